import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awaitOutput } from "../harness.js";
import { type AwsxVpcLayout, type PlannedSubnet, planAwsxVpc } from "../models/awsx-vpc.js";
import { isRecord, type Properties, PropertyReader } from "../property-values.js";

// `awsx:ec2:Vpc` on the real engine: the component with its real children, declared as awsx 3.9
// declares them (names, types, parents), laid out by `planAwsxVpc` (the layout the mocks answer
// with). The children go through the inherited `aws` provider, i.e. the local cloud's aws plugin,
// so they get the mock cloud's ids, and in a preview after an `up` they keep them: the component's
// outputs are references to the children, known whenever the children exist.

const TYPE = "awsx:ec2:Vpc";

/** The inputs the layout depends on: awsx takes them as plain values, so they must be known. */
const LAYOUT_INPUTS = [
  "cidrBlock",
  "availabilityZoneNames",
  "numberOfAvailabilityZones",
  "availabilityZoneCidrMask",
  "subnetSpecs",
  "natGateways",
  "region",
] as const;

/** The inputs awsx passes on to the `aws.ec2.Vpc` child. */
const VPC_INPUTS = [
  "assignGeneratedIpv6CidrBlock",
  "enableDnsHostnames",
  "enableDnsSupport",
  "enableNetworkAddressUsageMetrics",
  "instanceTenancy",
  "ipv4IpamPoolId",
  "ipv4NetmaskLength",
  "ipv6CidrBlock",
  "ipv6CidrBlockNetworkBorderGroup",
  "ipv6IpamPoolId",
  "ipv6NetmaskLength",
] as const;

type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;

class AwsxVpc extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super(TYPE, name, {}, opts);
  }

  complete(state: pulumi.Inputs): void {
    this.registerOutputs(state);
  }
}

function pick(inputs: pulumi.Inputs, keys: readonly string[]): Record<string, pulumi.Input<unknown>> {
  const picked: Record<string, pulumi.Input<unknown>> = {};
  for (const key of keys) if (inputs[key] !== undefined) picked[key] = inputs[key] as pulumi.Input<unknown>;
  return picked;
}

async function knownLayoutInputs(name: string, inputs: pulumi.Inputs): Promise<Properties> {
  const picked = pick(inputs, LAYOUT_INPUTS);
  const resolved: unknown = await awaitOutput(pulumi.output(picked));
  if (!isRecord(resolved)) {
    throw new Error(
      `${TYPE} "${name}": ${Object.keys(picked).join(", ")} must be known when the VPC is constructed (awsx takes them as ` +
        `plain values); one of them is an output that is not known yet.`,
    );
  }
  return resolved;
}

/** awsx declares each AZ's subnets public first, then private, then isolated. */
const TYPE_ORDER: Readonly<Record<PlannedSubnet["type"], number>> = { Public: 0, Private: 1, Isolated: 2 };

function inAwsxOrder(layout: AwsxVpcLayout): number[] {
  return layout.subnets
    .map((subnet, index) => ({ subnet, index }))
    .sort((a, b) => a.subnet.zoneIndex - b.subnet.zoneIndex || TYPE_ORDER[a.subnet.type] - TYPE_ORDER[b.subnet.type] || a.index - b.index)
    .map(({ index }) => index);
}

function declareChildren(component: AwsxVpc, name: string, layout: AwsxVpcLayout, inputs: pulumi.Inputs): pulumi.Inputs {
  const userTags = pulumi.output((inputs.tags ?? {}) as Tags);
  const sharedTags = userTags.apply((tags): Record<string, string> => ({ Name: name, ...tags }));
  const named = (tagName: string, extra: Record<string, string> = {}): pulumi.Output<Record<string, string>> =>
    sharedTags.apply((tags): Record<string, string> => ({ ...tags, ...extra, Name: tagName }));
  // awsx 3.x passes the VPC's own region on to every child.
  const region = inputs.region === undefined ? {} : { region: inputs.region as pulumi.Input<string> };

  const vpc = new aws.ec2.Vpc(name, { ...pick(inputs, VPC_INPUTS), ...region, cidrBlock: layout.cidrBlock, tags: sharedTags }, { parent: component });
  const internetGateway = layout.internetGateway
    ? new aws.ec2.InternetGateway(name, { ...region, vpcId: vpc.id, tags: sharedTags }, { parent: vpc })
    : undefined;

  const order = inAwsxOrder(layout);
  const subnets = new Map<number, aws.ec2.Subnet>();
  const routeTables = new Map<number, aws.ec2.RouteTable>();
  const associations: aws.ec2.RouteTableAssociation[] = [];
  const eips = new Map<number, aws.ec2.Eip>();
  const natGateways = new Map<number, aws.ec2.NatGateway>();
  for (const index of order) {
    const planned = layout.subnets[index];
    if (planned === undefined) continue;
    const subnet = new aws.ec2.Subnet(
      planned.name,
      {
        ...region,
        vpcId: vpc.id,
        availabilityZone: planned.zone,
        mapPublicIpOnLaunch: planned.type === "Public",
        cidrBlock: planned.cidrBlock,
        tags: named(planned.name, { ...planned.specTags, SubnetType: planned.type }),
      },
      { parent: vpc },
    );
    subnets.set(index, subnet);
    const routeTable = new aws.ec2.RouteTable(planned.name, { ...region, vpcId: vpc.id, tags: named(planned.name, { SubnetType: planned.type }) }, { parent: subnet });
    routeTables.set(index, routeTable);
    associations.push(new aws.ec2.RouteTableAssociation(planned.name, { ...region, routeTableId: routeTable.id, subnetId: subnet.id }, { parent: routeTable }));
    if (layout.natSubnetIndexes.includes(index)) {
      const natName = `${name}-${planned.zoneIndex + 1}`;
      const natTags = userTags.apply((tags): Record<string, string> => ({ ...tags, Name: natName }));
      const eip = new aws.ec2.Eip(natName, { ...region, tags: natTags }, { parent: subnet });
      eips.set(index, eip);
      natGateways.set(index, new aws.ec2.NatGateway(natName, { ...region, subnetId: subnet.id, allocationId: eip.allocationId, tags: natTags }, { parent: subnet }));
    }
  }
  // The layout numbers NAT gateways in the order of `natSubnetIndexes`.
  const natGatewayAt = (natIndex: number): aws.ec2.NatGateway | undefined => {
    const subnetIndex = layout.natSubnetIndexes[natIndex];
    return subnetIndex === undefined ? undefined : natGateways.get(subnetIndex);
  };

  const routes: aws.ec2.Route[] = [];
  for (const index of order) {
    const planned = layout.subnets[index];
    const routeTable = routeTables.get(index);
    const route = layout.routes.find((candidate) => candidate.subnetIndex === index);
    if (planned === undefined || routeTable === undefined || route === undefined) continue;
    const target =
      route.target === "internetGateway" ? { gatewayId: internetGateway?.id } : { natGatewayId: natGatewayAt(route.natIndex)?.id };
    routes.push(new aws.ec2.Route(planned.name, { ...region, routeTableId: routeTable.id, destinationCidrBlock: "0.0.0.0/0", ...target }, { parent: routeTable }));
  }

  const ordered = order.flatMap((index) => {
    const subnet = subnets.get(index);
    const planned = layout.subnets[index];
    return subnet === undefined || planned === undefined ? [] : [{ subnet, type: planned.type }];
  });
  const ofType = (type: PlannedSubnet["type"]): aws.ec2.Subnet[] => ordered.filter((entry) => entry.type === type).map((entry) => entry.subnet);
  const idsOf = (list: aws.ec2.Subnet[]): pulumi.Output<string>[] => list.map((subnet) => subnet.id);
  return {
    vpc,
    vpcId: vpc.id,
    subnets: ordered.map((entry) => entry.subnet),
    publicSubnets: ofType("Public"),
    privateSubnets: ofType("Private"),
    isolatedSubnets: ofType("Isolated"),
    publicSubnetIds: idsOf(ofType("Public")),
    privateSubnetIds: idsOf(ofType("Private")),
    isolatedSubnetIds: idsOf(ofType("Isolated")),
    ...(internetGateway === undefined ? {} : { internetGateway }),
    natGateways: layout.natSubnetIndexes.flatMap((index) => natGateways.get(index) ?? []),
    eips: layout.natSubnetIndexes.flatMap((index) => eips.get(index) ?? []),
    routeTables: order.flatMap((index) => routeTables.get(index) ?? []),
    routeTableAssociations: associations,
    routes,
    vpcEndpoints: [],
    subnetLayout: layout.subnetLayout,
  };
}

/** The aws provider the component inherits (`undefined`: the default provider). */
function awsProviderOf(options: pulumi.ComponentResourceOptions): pulumi.ProviderResource | undefined {
  // The SDK's Construct passes the inherited providers as a package → provider map.
  const providers = options.providers;
  return providers === undefined || Array.isArray(providers) ? undefined : providers.aws;
}

/** Constructs the component (registered by this process, as the engine expects) and its children. */
export async function constructAwsxVpc(name: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<pulumi.provider.ConstructResult> {
  if (inputs.vpcEndpointSpecs !== undefined) {
    throw new Error(`${TYPE} "${name}": vpcEndpointSpecs is not modelled by the local cloud; declare aws.ec2.VpcEndpoint resources instead.`);
  }
  const layoutInputs = new PropertyReader(await knownLayoutInputs(name, inputs));
  // The region of the inherited aws provider, as awsx's own AZ lookup would see it.
  const region = layoutInputs.string("region") ?? (await aws.getRegion({}, { provider: awsProviderOf(options) })).region;
  // Everything awaited is awaited: from here to `complete` runs in one turn, because the SDK
  // registers a component's outputs (as empty) by itself once its constructor's turn is over.
  const component = new AwsxVpc(name, options);
  const state = declareChildren(component, name, planAwsxVpc(name, layoutInputs, region), inputs);
  component.complete(state);
  return { urn: component.urn, state };
}
