import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { clientSettings } from "./client-config.js";

export interface AsgHealth {
  name: string;
  desired: number;
  min: number;
  max: number;
  /** Instances in service and reported healthy. */
  inService: number;
  /** All instances the group holds, whatever their state. */
  instances: number;
  /** The launch template the group launches from (a launch configuration leaves it undefined). */
  launchTemplate: { id: string | undefined; name: string | undefined; version: string | undefined } | undefined;
  targetGroupArns: string[];
  /** The group's subnets (VPCZoneIdentifier). */
  subnetIds: string[];
}

/** The web tier's Auto Scaling group: how many instances serve traffic against what it wants. */
export async function describeAsg(region: string, name: string, env: NodeJS.ProcessEnv): Promise<AsgHealth | undefined> {
  const client = new AutoScalingClient(clientSettings("AUTO_SCALING", region, env));
  try {
    const result = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const group = result.AutoScalingGroups?.find((candidate) => candidate.AutoScalingGroupName === name);
    if (group === undefined) return undefined;
    const instances = group.Instances ?? [];
    return {
      name,
      desired: group.DesiredCapacity ?? 0,
      min: group.MinSize ?? 0,
      max: group.MaxSize ?? 0,
      inService: instances.filter((instance) => instance.LifecycleState === "InService" && instance.HealthStatus === "Healthy").length,
      instances: instances.length,
      launchTemplate: group.LaunchTemplate === undefined ? undefined : { id: group.LaunchTemplate.LaunchTemplateId, name: group.LaunchTemplate.LaunchTemplateName, version: group.LaunchTemplate.Version },
      targetGroupArns: group.TargetGroupARNs ?? [],
      subnetIds: (group.VPCZoneIdentifier ?? "").split(",").map((id) => id.trim()).filter((id) => id !== ""),
    };
  } finally {
    client.destroy();
  }
}

export interface FleetCapacity {
  min: number;
  max: number;
  desired: number;
}

/** Resize a group (failover scales fleets up and down); the group launches or terminates on its own. */
export async function setFleetCapacity(region: string, name: string, capacity: FleetCapacity, env: NodeJS.ProcessEnv): Promise<void> {
  const client = new AutoScalingClient(clientSettings("AUTO_SCALING", region, env));
  try {
    await client.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: capacity.min, MaxSize: capacity.max, DesiredCapacity: capacity.desired }));
  } finally {
    client.destroy();
  }
}
