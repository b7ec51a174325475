import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { NetworkArgs } from "./network.js";
import { noPublicIpOnLaunch, subnetTransforms } from "./network/subnets.js";

const LOGS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555";

async function runNetwork(args: Partial<NetworkArgs> = {}, region = "eu-west-1", stack = "prod") {
  return runUnderMocks(
    async () => {
      const { Network } = await import("./network.js");
      const provider = new aws.Provider("primary", { region, defaultTags: { tags: { Project: "shop-platform", Environment: stack } } });
      const network = new Network("primary", { logsKmsKeyArn: LOGS_KEY, ...args }, { provider });
      return {
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        isolatedSubnetIds: network.isolatedSubnetIds,
        routeTableIds: network.routeTableIds,
        flowLogGroupName: network.flowLogGroupName,
        endpointSecurityGroupId: network.endpointSecurityGroupId ?? null,
        natGatewayCount: network.natGatewayCount,
      };
    },
    { stack },
  );
}

function policyOf(resource: CollectedResource, key: string): { Statement: Record<string, unknown>[] } {
  return JSON.parse(String(resource.inputs[key])) as { Statement: Record<string, unknown>[] };
}

describe("Network", () => {
  it("hands awsx a three-tier layout with one NAT gateway per AZ by default", async () => {
    const run = await runNetwork({ cidr: "10.30.0.0/16" });
    const vpc = findResource(run.resources, "awsx:ec2:Vpc");
    expect(vpc.inputs).toMatchObject({
      cidrBlock: "10.30.0.0/16",
      numberOfAvailabilityZones: 3,
      availabilityZoneCidrMask: 18,
      subnetStrategy: "Auto",
      natGateways: { strategy: "OnePerAz" },
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    expect(vpc.inputs.subnetSpecs).toEqual([
      { type: "Private", name: "private", cidrMask: 19 },
      { type: "Isolated", name: "isolated", cidrMask: 20 },
      { type: "Public", name: "public", cidrMask: 21 },
    ]);
    expect(vpc.region).toBe("eu-west-1");
    const component = findResource(run.resources, "shop:network:Network");
    expect(vpc.parent).toBe(component.urn);
    expect(run.outputs.natGatewayCount).toBe(3);
    for (const ids of [run.outputs.publicSubnetIds, run.outputs.privateSubnetIds, run.outputs.isolatedSubnetIds]) {
      expect(ids).toHaveLength(3);
    }
    // Subnets that overlap or fall outside the VPC would fail in AWS: check the layout the mock derived.
    const subnets = vpc.outputs.subnets as { cidrBlock: string; subnetType: string }[];
    expect(subnets.map((subnet) => subnet.cidrBlock).slice(0, 3)).toEqual(["10.30.0.0/19", "10.30.32.0/20", "10.30.48.0/21"]);
    expect(new Set(subnets.map((subnet) => subnet.cidrBlock)).size).toBe(9);
  });

  it("dev: a single NAT gateway, two AZs and no interface endpoints", async () => {
    const run = await runNetwork({ cidr: "10.10.0.0/16", azCount: 2, nat: "single", interfaceEndpoints: false }, "eu-west-1", "dev");
    const vpc = findResource(run.resources, "awsx:ec2:Vpc");
    expect(vpc.inputs).toMatchObject({ numberOfAvailabilityZones: 2, availabilityZoneCidrMask: 17, natGateways: { strategy: "Single" } });
    expect(run.outputs.natGatewayCount).toBe(1);
    const endpoints = findResources(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.map((endpoint) => endpoint.inputs.vpcEndpointType)).toEqual(["Gateway"]);
    expect(run.resources.filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup")).toEqual([]);
    expect(run.outputs.endpointSecurityGroupId).toBeNull();
  });

  it("prod: interface endpoints for every API the fleet calls, private DNS, HTTPS from the VPC only", async () => {
    const run = await runNetwork({ cidr: "10.30.0.0/16" });
    const endpoints = findResources(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface");
    expect(endpoints.map((endpoint) => endpoint.inputs.serviceName).sort()).toEqual(
      ["ec2messages", "kms", "logs", "monitoring", "secretsmanager", "ssm", "ssmmessages", "xray"].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    const sg = findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup");
    for (const endpoint of endpoints) {
      expect(endpoint.inputs).toMatchObject({ privateDnsEnabled: true, vpcId: run.outputs.vpcId, securityGroupIds: [sg.id] });
      expect(endpoint.inputs.subnetIds).toEqual(run.outputs.privateSubnetIds);
    }
    expect(run.outputs.endpointSecurityGroupId).toBe(sg.id);
    const ingress = findResources(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((rule) => rule.inputs)).toEqual([
      expect.objectContaining({ securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.30.0.0/16" }),
    ]);
    expect(run.resources.some((resource) => resource.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")).toBe(false);
  });

  it("routes S3 through a gateway endpoint on every route table", async () => {
    const run = await runNetwork();
    const s3 = findResources(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.vpcEndpointType === "Gateway")!;
    expect(s3.inputs.serviceName).toBe("com.amazonaws.eu-west-1.s3");
    expect(s3.inputs.routeTableIds).toEqual(run.outputs.routeTableIds);
    expect(run.outputs.routeTableIds).toHaveLength(9);
  });

  it("follows the partition's service names in China", async () => {
    const run = await runNetwork({ cidr: "10.0.0.0/16", azCount: 2 }, "cn-north-1");
    const names = findResources(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.inputs.serviceName);
    expect(names).toContain("cn.com.amazonaws.cn-north-1.s3");
    expect(names).toContain("cn.com.amazonaws.cn-north-1.ssm");
  });

  it("strips every rule from the default security group", async () => {
    const run = await runNetwork();
    const sg = findResource(run.resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(sg.inputs).toMatchObject({ vpcId: run.outputs.vpcId, ingress: [], egress: [] });
  });

  it("writes flow logs of all traffic to a KMS-encrypted log group with retention", async () => {
    const run = await runNetwork({}, "eu-west-1", "prod");
    const group = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({ name: "/shop/prod/primary/vpc-flow-logs", kmsKeyId: LOGS_KEY, retentionInDays: 365, tags: { DataClass: "logs" } });
    expect(run.outputs.flowLogGroupName).toBe("/shop/prod/primary/vpc-flow-logs");
    const flowLog = findResource(run.resources, "aws:ec2/flowLog:FlowLog");
    const role = findResource(run.resources, "aws:iam/role:Role");
    expect(flowLog.inputs).toMatchObject({
      vpcId: run.outputs.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.outputs.arn,
      iamRoleArn: role.outputs.arn,
    });

    const trust = policyOf(role, "assumeRolePolicy").Statement[0]!;
    expect(trust.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(trust.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
    });
    const permissions = policyOf(findResource(run.resources, "aws:iam/rolePolicy:RolePolicy"), "policy").Statement;
    expect(permissions.flatMap((statement) => [statement.Resource].flat())).not.toContain("*");
    expect(permissions[0]).toMatchObject({ Resource: [group.outputs.arn, `${String(group.outputs.arn)}:*`] });
  });

  it("plans in a preview, where awsx's outputs are unknown", async () => {
    const run = await runUnderMocks(
      async () => {
        const { Network } = await import("./network.js");
        new Network("primary", { logsKmsKeyArn: LOGS_KEY });
      },
      { stack: "prod", preview: true },
    );
    expect(findResources(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint")).toHaveLength(9);
    expect(findResource(run.resources, "aws:ec2/flowLog:FlowLog").inputs.trafficType).toBe("ALL");
  });

  it("an object transform merges into the child's args", async () => {
    const run = await runNetwork({
      transforms: {
        vpc: { instanceTenancy: "default", tags: { Team: "network" } },
        flowLogGroup: { retentionInDays: 731, tags: { Team: "network" } },
        interfaceEndpoint: { privateDnsEnabled: false },
        defaultSecurityGroup: { tags: { Name: "unused" } },
      },
      interfaceEndpointServices: ["ssm"],
    });
    expect(findResource(run.resources, "awsx:ec2:Vpc").inputs.tags).toEqual({ Team: "network" });
    const logGroup = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs;
    expect(logGroup.retentionInDays).toBe(731);
    // Plain objects merge key by key: the component's own tag stays.
    expect(logGroup.tags).toMatchObject({ DataClass: "logs", Team: "network" });
    const ssm = findResource(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint", "primary-vpce-ssm");
    expect(ssm.inputs.privateDnsEnabled).toBe(false);
    expect(findResource(run.resources, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs.tags).toMatchObject({ Name: "unused" });
  });

  it("a function transform can rename a child and set its options", async () => {
    let protect: boolean | undefined;
    const run = await runNetwork({
      transforms: {
        flowLogGroup: (args, opts, name) => {
          args.retentionInDays = 90;
          opts.protect = true;
          opts.ignoreChanges = ["tags"];
          protect = opts.protect;
          return `${name}-v2`;
        },
        // One key for every interface endpoint: the name tells them apart.
        interfaceEndpoint: (args, _opts, name) => {
          if (name.endsWith("-vpce-logs")) args.privateDnsEnabled = false;
        },
      },
      interfaceEndpointServices: ["ssm", "logs"],
    });
    const logGroup = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup", "primary-flow-logs-v2");
    expect(logGroup.inputs.retentionInDays).toBe(90);
    expect(logGroup.ignoreChanges).toEqual(["tags"]);
    expect(protect).toBe(true);
    expect(run.resources.some((resource) => resource.name === "primary-flow-logs")).toBe(false);
    expect(findResource(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint", "primary-vpce-logs").inputs.privateDnsEnabled).toBe(false);
    expect(findResource(run.resources, "aws:ec2/vpcEndpoint:VpcEndpoint", "primary-vpce-ssm").inputs.privateDnsEnabled).toBe(true);
  });

  it("every child has a transform key", async () => {
    const seen: string[] = [];
    const record = (_args: object, _opts: pulumi.CustomResourceOptions, name: string): void => {
      seen.push(name);
    };
    const keys = [
      "vpc", "defaultSecurityGroup", "flowLogGroup", "flowLogRole", "flowLogPolicy", "flowLog", "s3Endpoint",
      "endpointSecurityGroup", "endpointIngressRule", "interfaceEndpoint",
    ] as const;
    const run = await runNetwork({ interfaceEndpointServices: ["ssm", "logs"], transforms: Object.fromEntries(keys.map((key) => [key, record])) });
    const children = run.resources.filter((resource) => resource.parent?.endsWith("shop:network:Network::primary")).map((resource) => resource.name);
    expect(seen.sort()).toEqual(children.sort());
    expect(new Set(seen).size).toBe(keys.length + 1);
  });

  it.each([
    [{ azCount: 1 }, /azCount is 1; expected an integer from 2 to 6\./],
    [{ azCount: 2.5 }, /azCount is 2\.5; expected an integer from 2 to 6/],
    [{ nat: "none" as unknown as "single" }, /nat is "none"; expected one of single, per-az\./],
    [{ cidr: "10.0.0.0" }, /cidr is "10\.0\.0\.0"; expected an IPv4 CIDR such as 10\.30\.0\.0\/16\./],
    [{ cidr: "300.0.0.0/16" }, /cidr is "300\.0\.0\.0\/16"; expected an IPv4 CIDR/],
    [{ cidr: "8.8.0.0/16" }, /private address space/],
    [{ cidr: "10.0.0.0/12" }, /from \/16 to \/24 .*got \/12/],
    [{ cidr: "10.0.1.0/16" }, /host bits set/],
    [{ cidr: "10.0.0.0/24", azCount: 6 }, /too small for 6 AZs: the public subnets would be \/30/],
    [{ flowLogRetentionDays: 0 }, /flowLogRetentionDays is 0; expected one of 1, 3, 5/],
    [{ interfaceEndpointServices: ["SSM messages"] }, /interfaceEndpointServices is "SSM messages"; expected service short names such as ssm or logs/],
    [{ mapPublicIpOnLaunch: "yes" as unknown as boolean }, /mapPublicIpOnLaunch is "yes"; expected one of true, false\./],
  ])("refuses %j with a clear error and declares nothing", async (bad, message) => {
    let caught: unknown;
    const run = await runUnderMocks(
      async () => {
        const { Network } = await import("./network.js");
        try {
          new Network("primary", { logsKmsKeyArn: LOGS_KEY, ...bad });
        } catch (error) {
          caught = error;
        }
      },
      { stack: "prod" },
    );
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).name).toBe("InvalidArgsError");
    expect((caught as Error).message).toMatch(/^Network "primary": /);
    expect((caught as Error).message).toMatch(message);
    expect(run.resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});

describe("Network: no public IPs on launch", () => {
  const subnetArgs = (props: Record<string, unknown>): pulumi.ResourceTransformArgs => ({
    custom: true,
    type: "aws:ec2/subnet:Subnet",
    name: "primary-vpc-public-1",
    props: { vpcId: "vpc-1", availabilityZone: "eu-west-1a", cidrBlock: "10.30.224.0/21", ...props },
    opts: { dependsOn: [] },
  });

  it("turns off mapPublicIpOnLaunch on the public subnets awsx declares, keeping their other args and options", async () => {
    const args = subnetArgs({ mapPublicIpOnLaunch: true });
    const result = await noPublicIpOnLaunch(args);
    expect(result).toEqual({ props: { ...args.props, mapPublicIpOnLaunch: false }, opts: args.opts });
  });

  it("leaves awsx's other children alone", async () => {
    for (const type of ["aws:ec2/vpc:Vpc", "aws:ec2/routeTable:RouteTable", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"]) {
      expect(await noPublicIpOnLaunch({ ...subnetArgs({}), type })).toBeUndefined();
    }
  });

  it("gives awsx's Vpc the transform on the engine, unless the user opts in to public IPs", () => {
    expect(subnetTransforms(false, true)).toEqual([noPublicIpOnLaunch]);
    expect(subnetTransforms(true, true)).toEqual([]);
    // Pulumi's mocks refuse resource transforms, and register no awsx children to apply them to.
    expect(subnetTransforms(false, false)).toEqual([]);
  });

  it("hands awsx's Vpc no resource transforms under the mocks, with or without the opt-in", async () => {
    for (const mapPublicIpOnLaunch of [undefined, true]) {
      let transforms: unknown = "unseen";
      const run = await runNetwork({ mapPublicIpOnLaunch, transforms: { vpc: (_args, opts) => { transforms = opts.transforms; } } });
      expect(transforms).toBeUndefined();
      expect(findResource(run.resources, "awsx:ec2:Vpc").inputs).not.toHaveProperty("mapPublicIpOnLaunch");
    }
  });
});
