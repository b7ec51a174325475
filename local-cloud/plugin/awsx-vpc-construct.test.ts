import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../index.js";
import { planAwsxVpc } from "../models/awsx-vpc.js";
import { PropertyReader } from "../property-values.js";
import { constructAwsxVpc } from "./awsx-vpc-construct.js";

// The awsx plugin's Construct, run under the mock cloud: the children it declares go through the
// same models the engine's aws plugin uses, so names, parents, wiring and layout can be checked
// without an engine.

const inputs = {
  cidrBlock: "10.20.0.0/16",
  numberOfAvailabilityZones: 3,
  availabilityZoneCidrMask: 18,
  subnetStrategy: "Auto",
  subnetSpecs: [
    { type: "Private", name: "private", cidrMask: 19 },
    { type: "Isolated", name: "isolated", cidrMask: 20 },
    { type: "Public", name: "public", cidrMask: 21 },
  ],
  natGateways: { strategy: "OnePerAz" },
  enableDnsHostnames: true,
  enableDnsSupport: true,
  tags: { Team: "platform" },
};

interface VpcState {
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
  isolatedSubnetIds: pulumi.Output<string>[];
  routeTables: aws.ec2.RouteTable[];
  natGateways: aws.ec2.NatGateway[];
  subnetLayout: unknown;
}

async function construct(args: pulumi.Inputs, stack = "dev") {
  return runUnderMocks(
    async () => {
      const { state } = await constructAwsxVpc("main-vpc", args, {});
      const vpc = state as unknown as VpcState;
      return {
        vpcId: vpc.vpcId,
        publicSubnetIds: pulumi.all(vpc.publicSubnetIds),
        privateSubnetIds: pulumi.all(vpc.privateSubnetIds),
        isolatedSubnetIds: pulumi.all(vpc.isolatedSubnetIds),
        routeTableIds: pulumi.all(vpc.routeTables.map((table) => table.id)),
        natGatewayIds: pulumi.all(vpc.natGateways.map((nat) => nat.id)),
        subnetLayout: vpc.subnetLayout,
      };
    },
    { stack, config: { "aws:region": "eu-west-1" } },
  );
}

function byName(resources: readonly CollectedResource[], type: string): Map<string, CollectedResource> {
  return new Map(findResources(resources, type).map((resource) => [resource.name, resource]));
}

describe("constructAwsxVpc", () => {
  it("declares awsx's children with awsx's names and parents, laid out like the mock model", async () => {
    const run = await construct(inputs);
    const component = findResource(run.resources, "awsx:ec2:Vpc", "main-vpc");
    const vpc = findResource(run.resources, "aws:ec2/vpc:Vpc", "main-vpc");
    expect(vpc.parent).toBe(component.urn);
    expect(vpc.inputs).toMatchObject({ cidrBlock: "10.20.0.0/16", enableDnsHostnames: true, tags: { Name: "main-vpc", Team: "platform" } });
    expect(findResource(run.resources, "aws:ec2/internetGateway:InternetGateway", "main-vpc").parent).toBe(vpc.urn);

    const layout = planAwsxVpc("main-vpc", new PropertyReader(inputs), "eu-west-1");
    const subnets = byName(run.resources, "aws:ec2/subnet:Subnet");
    expect([...subnets.keys()]).toEqual([
      "main-vpc-public-1",
      "main-vpc-private-1",
      "main-vpc-isolated-1",
      "main-vpc-public-2",
      "main-vpc-private-2",
      "main-vpc-isolated-2",
      "main-vpc-public-3",
      "main-vpc-private-3",
      "main-vpc-isolated-3",
    ]);
    for (const planned of layout.subnets) {
      const subnet = subnets.get(planned.name)!;
      expect(subnet.parent).toBe(vpc.urn);
      expect(subnet.inputs).toMatchObject({ cidrBlock: planned.cidrBlock, availabilityZone: planned.zone, tags: { Name: planned.name, SubnetType: planned.type } });
      const table = findResource(run.resources, "aws:ec2/routeTable:RouteTable", planned.name);
      expect(table.parent).toBe(subnet.urn);
      expect(findResource(run.resources, "aws:ec2/routeTableAssociation:RouteTableAssociation", planned.name).inputs).toEqual({
        routeTableId: table.id,
        subnetId: subnet.id,
      });
    }

    // One NAT gateway (and EIP) per AZ, in that AZ's public subnet; private subnets route through their own AZ's.
    const nats = byName(run.resources, "aws:ec2/natGateway:NatGateway");
    expect([...nats.keys()]).toEqual(["main-vpc-1", "main-vpc-2", "main-vpc-3"]);
    expect(byName(run.resources, "aws:ec2/eip:Eip").size).toBe(3);
    for (const zone of [1, 2, 3]) {
      expect(nats.get(`main-vpc-${zone}`)!.parent).toBe(subnets.get(`main-vpc-public-${zone}`)!.urn);
      expect(findResource(run.resources, "aws:ec2/route:Route", `main-vpc-private-${zone}`).inputs.natGatewayId).toBe(nats.get(`main-vpc-${zone}`)!.id);
      expect(findResource(run.resources, "aws:ec2/route:Route", `main-vpc-public-${zone}`).inputs.gatewayId).toBeDefined();
    }
    expect(findResources(run.resources, "aws:ec2/route:Route").map((route) => route.name)).not.toContain("main-vpc-isolated-1");
    expect(run.outputs.subnetLayout).toEqual(layout.subnetLayout);
  });

  it("returns state whose ids are the children's, per type in AZ order", async () => {
    const run = await construct(inputs);
    const ids = (names: string[]) => names.map((name) => findResource(run.resources, "aws:ec2/subnet:Subnet", name).id);
    expect(run.outputs.vpcId).toBe(findResource(run.resources, "aws:ec2/vpc:Vpc").id);
    expect(run.outputs.publicSubnetIds).toEqual(ids(["main-vpc-public-1", "main-vpc-public-2", "main-vpc-public-3"]));
    expect(run.outputs.privateSubnetIds).toEqual(ids(["main-vpc-private-1", "main-vpc-private-2", "main-vpc-private-3"]));
    expect(run.outputs.isolatedSubnetIds).toEqual(ids(["main-vpc-isolated-1", "main-vpc-isolated-2", "main-vpc-isolated-3"]));
    expect(run.outputs.routeTableIds).toHaveLength(9);
    // The component registers its outputs too (the engine keeps them in the stack's state).
    expect(findResource(run.resources, "awsx:ec2:Vpc").outputs).toMatchObject({ vpcId: run.outputs.vpcId, publicSubnetIds: run.outputs.publicSubnetIds });
    // Deterministic: the same program gives the same ids.
    expect((await construct(inputs)).outputs).toEqual(run.outputs);
  });

  it("with a single NAT gateway, routes every private subnet through the first AZ's", async () => {
    const run = await construct({ ...inputs, natGateways: { strategy: "Single" } });
    const nat = findResource(run.resources, "aws:ec2/natGateway:NatGateway", "main-vpc-1");
    for (const zone of [1, 2, 3]) expect(findResource(run.resources, "aws:ec2/route:Route", `main-vpc-private-${zone}`).inputs.natGatewayId).toBe(nat.id);
    expect(run.outputs.natGatewayIds).toEqual([nat.id]);
  });

  it("refuses vpcEndpointSpecs, which the local cloud does not model", async () => {
    await expect(construct({ ...inputs, vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.s3" }] })).rejects.toThrow(
      /awsx:ec2:Vpc "main-vpc": vpcEndpointSpecs is not modelled by the local cloud/,
    );
  });
});
