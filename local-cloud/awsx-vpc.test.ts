import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "./index.js";

// awsx.ec2.Vpc is a remote component: its provider does not run under mocks, the mock cloud answers.

describe("awsx.ec2.Vpc under the mock cloud", () => {
  it("has realistic outputs: VPC id, subnet ids per type and AZ, NAT gateways", async () => {
    const run = await runUnderMocks(
      () => {
        const vpc = new awsx.ec2.Vpc("shop", {
          cidrBlock: "10.0.0.0/16",
          numberOfAvailabilityZones: 3,
          subnetStrategy: "Auto",
          subnetSpecs: [{ type: "Public" }, { type: "Private" }, { type: "Isolated", name: "data" }],
          natGateways: { strategy: "Single" },
        });
        return {
          vpcId: vpc.vpcId,
          cidr: vpc.vpc.cidrBlock,
          publicSubnetIds: vpc.publicSubnetIds,
          privateSubnetIds: vpc.privateSubnetIds,
          isolatedSubnetIds: vpc.isolatedSubnetIds,
          subnets: vpc.subnets,
          natGateways: vpc.natGateways,
        };
      },
      { stack: "dev", config: { "aws:region": "eu-central-1" } },
    );
    const o = run.outputs;
    expect(o.vpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(o.cidr).toBe("10.0.0.0/16");
    for (const ids of [o.publicSubnetIds, o.privateSubnetIds, o.isolatedSubnetIds]) {
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(id).toMatch(/^subnet-[0-9a-f]{17}$/);
    }
    expect(new Set([...o.publicSubnetIds, ...o.privateSubnetIds, ...o.isolatedSubnetIds]).size).toBe(9);
    const subnets = o.subnets as unknown as { id: string; availabilityZone: string; cidrBlock: string; vpcId: string }[];
    expect(subnets.map((s) => s.availabilityZone)).toEqual([
      "eu-central-1a",
      "eu-central-1a",
      "eu-central-1a",
      "eu-central-1b",
      "eu-central-1b",
      "eu-central-1b",
      "eu-central-1c",
      "eu-central-1c",
      "eu-central-1c",
    ]);
    expect(subnets.every((s) => s.vpcId === o.vpcId)).toBe(true);
    expect(new Set(subnets.map((s) => s.cidrBlock)).size).toBe(9);
    expect(o.natGateways).toHaveLength(1);
  });

  it("follows numberOfAvailabilityZones, the default layout and the provider's region", async () => {
    const run = await runUnderMocks(
      () => {
        const oregon = new aws.Provider("oregon", { region: "us-west-2" });
        const vpc = new awsx.ec2.Vpc("dr", { numberOfAvailabilityZones: 2 }, { provider: oregon });
        // Downstream resources can use the subnets; the mock cloud knows their VPC.
        const group = new aws.rds.SubnetGroup("dr-db", { subnetIds: vpc.privateSubnetIds }, { provider: oregon });
        return { vpcId: vpc.vpcId, privateSubnetIds: vpc.privateSubnetIds, publicSubnetIds: vpc.publicSubnetIds, isolated: vpc.isolatedSubnetIds, groupVpc: group.vpcId };
      },
      { stack: "dev", config: { "aws:region": "eu-west-1" } },
    );
    expect(run.outputs.privateSubnetIds).toHaveLength(2);
    expect(run.outputs.publicSubnetIds).toHaveLength(2);
    expect(run.outputs.isolated).toEqual([]);
    expect(run.outputs.groupVpc).toBe(run.outputs.vpcId);
    const vpc = findResource(run.resources, "awsx:ec2:Vpc");
    expect(vpc.custom).toBe(false);
    expect(vpc.region).toBe("us-west-2");
    const subnets = vpc.outputs.subnets as { availabilityZone: string }[];
    expect(subnets.map((s) => s.availabilityZone)).toEqual(["us-west-2a", "us-west-2a", "us-west-2b", "us-west-2b"]);
  });

  it("leaves the outputs unknown in a preview, like the real component", async () => {
    const run = await runUnderMocks(() => ({ vpcId: new awsx.ec2.Vpc("shop", {}).vpcId }), { stack: "dev", preview: true });
    expect(run.outputs.vpcId).toBeUndefined();
  });
});
