import {
  DescribeInstancesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { clientSettings } from "./client-config.js";

// EC2 calls of the DR drill: read the web tier's launch template, start one instance from it
// (in a subnet and with security groups named explicitly) and terminate it again.

async function withEc2<T>(region: string, env: NodeJS.ProcessEnv, body: (client: EC2Client) => Promise<T>): Promise<T> {
  const client = new EC2Client(clientSettings("EC2", region, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

export interface LaunchTemplateVersion {
  id: string;
  version: number;
  /** The user data, decoded from base64. */
  userData: string | undefined;
  /** Security groups of the first network interface (the web tier sets them there). */
  securityGroupIds: string[];
}

/** One version of a launch template (`$Latest`, `$Default` or a number), or undefined when it does not exist. */
export async function launchTemplateVersion(region: string, id: string, version: string, env: NodeJS.ProcessEnv): Promise<LaunchTemplateVersion | undefined> {
  try {
    const result = await withEc2(region, env, (client) => client.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: [version] })));
    const found = result.LaunchTemplateVersions?.[0];
    if (found === undefined) return undefined;
    const data = found.LaunchTemplateData;
    const groups = data?.NetworkInterfaces?.[0]?.Groups ?? data?.SecurityGroupIds ?? [];
    return {
      id,
      version: found.VersionNumber ?? 0,
      userData: data?.UserData === undefined ? undefined : Buffer.from(data.UserData, "base64").toString("utf8"),
      securityGroupIds: groups,
    };
  } catch (error) {
    if (error instanceof Error && /^InvalidLaunchTemplate(Id|Name)\./.test(error.name)) return undefined;
    throw error;
  }
}

export interface DrillInstanceSpec {
  launchTemplateId: string;
  launchTemplateVersion: string;
  subnetId: string;
  securityGroupIds: readonly string[];
  userData: string;
  tags: Readonly<Record<string, string>>;
  /** Idempotency token: a retried call with the same token starts no second instance. */
  clientToken: string;
}

/** Start one instance from the launch template with its network and user data overridden; returns its id. */
export async function runDrillInstance(region: string, spec: DrillInstanceSpec, env: NodeJS.ProcessEnv): Promise<string> {
  const tags = Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value }));
  const result = await withEc2(region, env, (client) => client.send(new RunInstancesCommand({
    LaunchTemplate: { LaunchTemplateId: spec.launchTemplateId, Version: spec.launchTemplateVersion },
    MinCount: 1,
    MaxCount: 1,
    ClientToken: spec.clientToken,
    NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: spec.subnetId, Groups: [...spec.securityGroupIds], AssociatePublicIpAddress: false, DeleteOnTermination: true }],
    UserData: Buffer.from(spec.userData, "utf8").toString("base64"),
    TagSpecifications: [{ ResourceType: "instance", Tags: tags }, { ResourceType: "volume", Tags: tags }],
  })));
  const id = result.Instances?.[0]?.InstanceId;
  if (id === undefined) throw new Error("EC2 started no instance");
  return id;
}

export interface InstanceState {
  id: string;
  /** `pending`, `running`, `shutting-down`, `terminated`, `stopping`, `stopped`. */
  state: string;
}

/** Instances carrying tag `key=value` that are not terminated yet. */
export async function instancesTagged(region: string, key: string, value: string, env: NodeJS.ProcessEnv): Promise<InstanceState[]> {
  const result = await withEc2(region, env, (client) => client.send(new DescribeInstancesCommand({ Filters: [{ Name: `tag:${key}`, Values: [value] }] })));
  return (result.Reservations ?? [])
    .flatMap((reservation) => reservation.Instances ?? [])
    .map((instance) => ({ id: instance.InstanceId ?? "", state: instance.State?.Name ?? "unknown" }))
    .filter((instance) => instance.id !== "" && instance.state !== "terminated");
}

export async function terminateInstances(region: string, ids: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (ids.length === 0) return;
  await withEc2(region, env, (client) => client.send(new TerminateInstancesCommand({ InstanceIds: [...ids] })));
}
