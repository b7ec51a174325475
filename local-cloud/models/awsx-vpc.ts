import { availabilityZoneIdOf, availabilityZoneNames } from "../aws-facts.js";
import type { Properties, PropertyReader } from "../property-values.js";
import type { ResourceContext } from "../resource-model.js";
import { publicIpFor } from "./network.js";

// `awsx:ec2:Vpc` is a remote (multi-language) component. Two things serve it:
//  - under mocks its provider never runs, so none of its children are registered and its outputs
//    would all be undefined: `awsxVpcOutputs` answers with the outputs the real component would
//    produce, as plain objects (`{ id, arn, ... }`), not as `aws.ec2.*` Resource instances;
//  - on the real engine the local cloud's awsx plugin constructs it from real `aws.ec2.*` children.
// Both take the layout (subnets per type and AZ, NAT placement, routes) from `planAwsxVpc`.

export type SubnetType = "Public" | "Private" | "Isolated" | "Unused";

interface SubnetSpec {
  readonly type: SubnetType;
  readonly name: string | undefined;
  readonly cidrMask: number | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/** One subnet of the layout; `Unused` specs only reserve address space and get none. */
export interface PlannedSubnet {
  /** `<vpc name>-<spec name or type>-<AZ number>`, awsx's subnet name. */
  readonly name: string;
  readonly type: Exclude<SubnetType, "Unused">;
  readonly zone: string;
  /** 0-based position of the zone in the VPC's zones. */
  readonly zoneIndex: number;
  readonly cidrBlock: string;
  /** The spec's own tags. */
  readonly specTags: Readonly<Record<string, string>>;
}

/** The default route of a subnet's route table: to the internet gateway or to a NAT gateway. */
export type PlannedRoute =
  | { readonly subnetIndex: number; readonly target: "internetGateway" }
  | { readonly subnetIndex: number; readonly target: "natGateway"; readonly natIndex: number };

export interface AwsxVpcLayout {
  readonly cidrBlock: string;
  readonly zones: readonly string[];
  /** Zone by zone, in the order of the subnet specs. */
  readonly subnets: readonly PlannedSubnet[];
  /** Indexes into `subnets` of the public subnets that host a NAT gateway (one EIP each). */
  readonly natSubnetIndexes: readonly number[];
  /** An internet gateway exists when there are public subnets. */
  readonly internetGateway: boolean;
  readonly routes: readonly PlannedRoute[];
  /** awsx's `subnetLayout` output: the resolved specs. */
  readonly subnetLayout: Properties[];
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

function subnetSpecsOf(inputs: PropertyReader): SubnetSpec[] {
  const given = inputs.records("subnetSpecs").map((spec): SubnetSpec => {
    const type = spec.string("type");
    return {
      type: type === "Public" || type === "Isolated" || type === "Unused" ? type : "Private",
      name: spec.string("name"),
      cidrMask: spec.number("cidrMask"),
      tags: spec.stringMap("tags"),
    };
  });
  // awsx's default layout: a private and a public subnet in every AZ.
  const unnamed = { name: undefined, cidrMask: undefined, tags: {} };
  return given.length > 0 ? given : [{ type: "Private", ...unnamed }, { type: "Public", ...unnamed }];
}

function zonesOf(inputs: PropertyReader, region: string): string[] {
  const named = inputs.strings("availabilityZoneNames");
  if (named.length > 0) return named;
  const count = inputs.number("numberOfAvailabilityZones") ?? 3;
  return availabilityZoneNames(region).slice(0, count);
}

/**
 * The layout of an `awsx:ec2:Vpc` named `name` with these inputs in `region`: subnets laid out
 * like awsx's "Auto" strategy (each AZ gets an equal block; specs fill it in order), NAT gateways
 * in the public subnets (one per AZ, or one for `Single`), a default route per route table.
 */
export function planAwsxVpc(name: string, inputs: PropertyReader, region: string): AwsxVpcLayout {
  const cidrBlock = inputs.string("cidrBlock") ?? "10.0.0.0/16";
  const vpcCidr = parseCidr(cidrBlock);
  const zones = zonesOf(inputs, region);
  const specs = subnetSpecsOf(inputs);
  const zoneMask = inputs.number("availabilityZoneCidrMask") ?? vpcCidr.mask + Math.ceil(Math.log2(Math.max(zones.length, 1)));
  const defaultSpecMask = zoneMask + Math.ceil(Math.log2(Math.max(specs.length, 1)));

  const subnets: PlannedSubnet[] = [];
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
      subnets.push({ name: `${name}-${label}-${zoneIndex + 1}`, type: spec.type, zone, zoneIndex, cidrBlock: cidr, specTags: spec.tags });
    }
  });

  const indexesOf = (type: SubnetType): number[] => subnets.flatMap((subnet, index) => (subnet.type === type ? [index] : []));
  const publicIndexes = indexesOf("Public");
  const privateIndexes = indexesOf("Private");
  const internetGateway = publicIndexes.length > 0;

  const strategy = inputs.record("natGateways")?.string("strategy") ?? "OnePerAz";
  const natSubnetIndexes =
    privateIndexes.length === 0 || publicIndexes.length === 0 || strategy === "None"
      ? []
      : strategy === "Single"
        ? publicIndexes.slice(0, 1)
        : publicIndexes;

  const routes = subnets.flatMap((subnet, subnetIndex): PlannedRoute[] => {
    if (subnet.type === "Public" && internetGateway) return [{ subnetIndex, target: "internetGateway" }];
    if (subnet.type === "Private" && natSubnetIndexes.length > 0) {
      // The NAT gateway in the subnet's own AZ, else the first one.
      const inZone = natSubnetIndexes.findIndex((index) => subnets[index]?.zone === subnet.zone);
      return [{ subnetIndex, target: "natGateway", natIndex: inZone < 0 ? 0 : inZone }];
    }
    return [];
  });

  return {
    cidrBlock,
    zones,
    subnets,
    natSubnetIndexes,
    internetGateway,
    routes,
    subnetLayout: specs.map((spec) => ({ type: spec.type, cidrMask: spec.cidrMask ?? defaultSpecMask, ...(spec.name === undefined ? {} : { name: spec.name }) })),
  };
}

/** The outputs of an `awsx:ec2:Vpc` under mocks: its children as plain objects. */
export function awsxVpcOutputs(r: ResourceContext): Properties {
  const layout = planAwsxVpc(r.name, r.inputs, r.region);
  const cidrBlock = layout.cidrBlock;

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

  const subnets = layout.subnets.map((planned): Properties => {
    const id = r.ec2Id("subnet", planned.name);
    const subnet = {
      id,
      arn: r.arn("ec2", `subnet/${id}`),
      availabilityZone: planned.zone,
      availabilityZoneId: availabilityZoneIdOf(planned.zone),
      cidrBlock: planned.cidrBlock,
      mapPublicIpOnLaunch: planned.type === "Public",
      vpcId,
      ownerId: r.accountId,
      region: r.region,
      tags: { Name: planned.name, SubnetType: planned.type, ...r.inputs.stringMap("tags") },
      subnetType: planned.type,
    };
    r.inventory.add({ type: "aws:ec2/subnet:Subnet", name: planned.name, id, region: r.region, state: subnet });
    return subnet;
  });

  const ofType = (type: SubnetType): Properties[] => subnets.filter((subnet) => subnet.subnetType === type);
  const idsOf = (list: Properties[]): unknown[] => list.map((subnet) => subnet.id);
  const publicSubnets = ofType("Public");
  const privateSubnets = ofType("Private");

  const igwId = r.ec2Id("igw");
  const internetGateway = layout.internetGateway ? { id: igwId, arn: r.arn("ec2", `internet-gateway/${igwId}`), vpcId, ownerId: r.accountId } : undefined;

  const eips = layout.natSubnetIndexes.map((_, index) => {
    const id = r.ec2Id("eipalloc", `${index}`);
    return { id, allocationId: id, publicIp: publicIpFor(r, `eip${index}`), domain: "vpc" };
  });
  const natGateways = layout.natSubnetIndexes.map((subnetIndex, index) => ({
    id: r.ec2Id("nat", `${index}`),
    subnetId: subnets[subnetIndex]?.id,
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
  const routes = layout.routes.map((route): Properties => {
    const routeTableId = routeTables[route.subnetIndex]?.id ?? "";
    const common = { id: `r-${routeTableId}1080289494`, routeTableId, destinationCidrBlock: "0.0.0.0/0" };
    return route.target === "internetGateway" ? { ...common, gatewayId: igwId } : { ...common, natGatewayId: natGateways[route.natIndex]?.id };
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
    subnetLayout: layout.subnetLayout,
  };
}
