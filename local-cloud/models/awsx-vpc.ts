import { availabilityZoneIdOf, availabilityZoneNames } from "../aws-facts.js";
import type { Properties } from "../property-values.js";
import type { ResourceContext } from "../resource-model.js";
import { publicIpFor } from "./network.js";

// `awsx:ec2:Vpc` is a remote (multi-language) component: under mocks the awsx provider never runs,
// so none of its children are registered and its outputs would all be undefined. This model
// answers with the outputs the real component would produce: the VPC, one subnet per type per AZ
// (laid out like awsx's "Auto" strategy), NAT gateways and route tables. Resources appear as
// plain objects (`{ id, arn, ... }`), not as `aws.ec2.*` Resource instances.

type SubnetType = "Public" | "Private" | "Isolated" | "Unused";

interface SubnetSpec {
  readonly type: SubnetType;
  readonly name: string | undefined;
  readonly cidrMask: number | undefined;
}

function toInt(ip: string): number {
  return ip.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function toIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function parseCidr(cidr: string): { base: number; mask: number } {
  const [ip = "10.0.0.0", mask = "16"] = cidr.split("/");
  return { base: toInt(ip), mask: Number(mask) };
}

function subnetSpecsOf(r: ResourceContext): SubnetSpec[] {
  const given = r.inputs.records("subnetSpecs").map((spec): SubnetSpec => {
    const type = spec.string("type");
    return {
      type: type === "Public" || type === "Isolated" || type === "Unused" ? type : "Private",
      name: spec.string("name"),
      cidrMask: spec.number("cidrMask"),
    };
  });
  // awsx's default layout: a private and a public subnet in every AZ.
  return given.length > 0 ? given : [{ type: "Private", name: undefined, cidrMask: undefined }, { type: "Public", name: undefined, cidrMask: undefined }];
}

function zonesOf(r: ResourceContext): string[] {
  const named = r.inputs.strings("availabilityZoneNames");
  if (named.length > 0) return named;
  const count = r.inputs.number("numberOfAvailabilityZones") ?? 3;
  return availabilityZoneNames(r.region).slice(0, count);
}

export function awsxVpcOutputs(r: ResourceContext): Properties {
  const cidrBlock = r.inputs.string("cidrBlock") ?? "10.0.0.0/16";
  const vpcCidr = parseCidr(cidrBlock);
  const zones = zonesOf(r);
  const specs = subnetSpecsOf(r);
  const zoneMask = r.inputs.number("availabilityZoneCidrMask") ?? vpcCidr.mask + Math.ceil(Math.log2(Math.max(zones.length, 1)));
  const defaultSpecMask = zoneMask + Math.ceil(Math.log2(Math.max(specs.length, 1)));

  const vpcId = r.ec2Id("vpc");
  const vpc = {
    id: vpcId,
    arn: r.arn("ec2", `vpc/${vpcId}`),
    cidrBlock,
    defaultSecurityGroupId: r.ec2Id("sg", "default"),
    defaultNetworkAclId: r.ec2Id("acl", "default"),
    defaultRouteTableId: r.ec2Id("rtb", "main"),
    mainRouteTableId: r.ec2Id("rtb", "main"),
    enableDnsHostnames: r.inputs.boolean("enableDnsHostnames") ?? true,
    enableDnsSupport: r.inputs.boolean("enableDnsSupport") ?? true,
    instanceTenancy: r.inputs.string("instanceTenancy") ?? "default",
    ownerId: r.accountId,
    region: r.region,
    tags: { Name: r.name, ...r.inputs.stringMap("tags") },
  };
  r.inventory.add({ type: "aws:ec2/vpc:Vpc", name: r.name, id: vpcId, region: r.region, state: vpc });

  const subnets: Properties[] = [];
  zones.forEach((zone, zoneIndex) => {
    let next = vpcCidr.base + zoneIndex * 2 ** (32 - zoneMask);
    for (const spec of specs) {
      const mask = spec.cidrMask ?? defaultSpecMask;
      const size = 2 ** (32 - mask);
      next = Math.ceil(next / size) * size;
      const cidr = `${toIp(next)}/${mask}`;
      next += size;
      if (spec.type === "Unused") continue;
      const label = spec.name ?? spec.type.toLowerCase();
      const name = `${r.name}-${label}-${zoneIndex + 1}`;
      const id = r.ec2Id("subnet", name);
      const subnet = {
        id,
        arn: r.arn("ec2", `subnet/${id}`),
        availabilityZone: zone,
        availabilityZoneId: availabilityZoneIdOf(zone),
        cidrBlock: cidr,
        mapPublicIpOnLaunch: spec.type === "Public",
        vpcId,
        ownerId: r.accountId,
        region: r.region,
        tags: { Name: name, SubnetType: spec.type, ...r.inputs.stringMap("tags") },
        subnetType: spec.type,
      };
      r.inventory.add({ type: "aws:ec2/subnet:Subnet", name, id, region: r.region, state: subnet });
      subnets.push(subnet);
    }
  });

  const ofType = (type: SubnetType): Properties[] => subnets.filter((subnet) => subnet.subnetType === type);
  const idsOf = (list: Properties[]): unknown[] => list.map((subnet) => subnet.id);
  const publicSubnets = ofType("Public");
  const privateSubnets = ofType("Private");

  const igwId = r.ec2Id("igw");
  const internetGateway =
    publicSubnets.length > 0 ? { id: igwId, arn: r.arn("ec2", `internet-gateway/${igwId}`), vpcId, ownerId: r.accountId } : undefined;

  const strategy = r.inputs.record("natGateways")?.string("strategy") ?? "OnePerAz";
  const natSubnets =
    privateSubnets.length === 0 || publicSubnets.length === 0 || strategy === "None"
      ? []
      : strategy === "Single"
        ? publicSubnets.slice(0, 1)
        : publicSubnets;
  const eips = natSubnets.map((_, index) => {
    const id = r.ec2Id("eipalloc", `${index}`);
    return { id, allocationId: id, publicIp: publicIpFor(r, `eip${index}`), domain: "vpc" };
  });
  const natGateways = natSubnets.map((subnet, index) => ({
    id: r.ec2Id("nat", `${index}`),
    subnetId: subnet.id,
    allocationId: eips[index]?.id,
    publicIp: eips[index]?.publicIp,
    connectivityType: "public",
  }));

  const routeTables = subnets.map((subnet, index) => ({ id: r.ec2Id("rtb", `${index}`), vpcId, subnetId: subnet.id }));
  const routeTableAssociations = routeTables.map((table, index) => ({
    id: r.ec2Id("rtbassoc", `${index}`),
    routeTableId: table.id,
    subnetId: table.subnetId,
  }));
  const routes = subnets.flatMap((subnet, index): Properties[] => {
    const routeTableId = routeTables[index]?.id ?? "";
    if (subnet.subnetType === "Public" && internetGateway !== undefined) {
      return [{ id: `r-${routeTableId}1080289494`, routeTableId, destinationCidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }];
    }
    if (subnet.subnetType === "Private" && natGateways.length > 0) {
      const nat = natGateways.find((gateway) => {
        const natSubnet = subnets.find((s) => s.id === gateway.subnetId);
        return natSubnet?.availabilityZone === subnet.availabilityZone;
      }) ?? natGateways[0];
      return [{ id: `r-${routeTableId}1080289494`, routeTableId, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat?.id }];
    }
    return [];
  });

  return {
    vpc,
    vpcId,
    subnets,
    publicSubnets,
    privateSubnets,
    isolatedSubnets: ofType("Isolated"),
    publicSubnetIds: idsOf(publicSubnets),
    privateSubnetIds: idsOf(privateSubnets),
    isolatedSubnetIds: idsOf(ofType("Isolated")),
    ...(internetGateway === undefined ? {} : { internetGateway }),
    natGateways,
    eips,
    routeTables,
    routeTableAssociations,
    routes,
    vpcEndpoints: [],
    subnetLayout: specs.map((spec) => ({ type: spec.type, cidrMask: spec.cidrMask ?? defaultSpecMask, ...(spec.name === undefined ? {} : { name: spec.name }) })),
  };
}
