import { availabilityZoneIdOf, ec2PublicDnsDomain } from "../aws-facts.js";
import type { ModelTable, ResourceContext, ResourceModel } from "../resource-model.js";
import { defaultVpcId } from "./shared.js";

// EC2 networking: VPCs, subnets, gateways, route tables, security groups, endpoints, flow logs,
// launch templates.

/** A public IPv4 address in one of AWS's EC2 ranges (3.x, 18.x, 52.x, 54.x). */
export function publicIpFor(r: ResourceContext, salt: string): string {
  const first = [3, 18, 52, 54][parseInt(r.digits(2, `${salt}:a`), 10) % 4] ?? 3;
  const octet = (part: string): number => parseInt(r.digits(3, `${salt}:${part}`), 10) % 254 + 1;
  return `${first}.${octet("b")}.${octet("c")}.${octet("d")}`;
}

function privateIpFor(r: ResourceContext, salt: string): string {
  const octet = (part: string): number => parseInt(r.digits(3, `${salt}:${part}`), 10) % 254 + 1;
  return `10.0.${octet("c")}.${octet("d")}`;
}

function ec2Arn(r: ResourceContext, kind: string, id: string): string {
  return r.arn("ec2", `${kind}/${id}`);
}

/** The common EC2 shape: `<prefix>-<17 hex>` id, `arn:...:ec2:...:<kind>/<id>`, owner account. */
function ec2Resource(prefix: string, arnKind: string, defaults?: ResourceModel["defaults"]): ResourceModel {
  return {
    tagged: true,
    ...(defaults === undefined ? {} : { defaults }),
    create(r) {
      const id = r.ec2Id(prefix);
      return { id, outputs: { arn: ec2Arn(r, arnKind, id), ownerId: r.accountId } };
    },
  };
}

function securityGroupRuleModel(): ResourceModel {
  return {
    tagged: true,
    create(r) {
      const id = r.ec2Id("sgr");
      return { id, outputs: { arn: ec2Arn(r, "security-group-rule", id), securityGroupRuleId: id } };
    },
  };
}

export const networkModels: ModelTable = {
  "aws:ec2/vpc:Vpc": {
    tagged: true,
    defaults: {
      assignGeneratedIpv6CidrBlock: false,
      enableDnsHostnames: false,
      enableDnsSupport: true,
      enableNetworkAddressUsageMetrics: false,
      instanceTenancy: "default",
    },
    create(r) {
      const id = r.ec2Id("vpc");
      const routeTable = r.ec2Id("rtb", "main");
      return {
        id,
        outputs: {
          arn: ec2Arn(r, "vpc", id),
          ownerId: r.accountId,
          defaultSecurityGroupId: r.ec2Id("sg", "default"),
          defaultNetworkAclId: r.ec2Id("acl", "default"),
          defaultRouteTableId: routeTable,
          mainRouteTableId: routeTable,
          dhcpOptionsId: r.ec2Id("dopt"),
          ipv6AssociationId: "",
          ipv6CidrBlock: "",
        },
      };
    },
  },
  "aws:ec2/subnet:Subnet": {
    tagged: true,
    defaults: { assignIpv6AddressOnCreation: false, enableDns64: false, mapPublicIpOnLaunch: false, privateDnsHostnameTypeOnLaunch: "ip-name" },
    create(r) {
      const id = r.ec2Id("subnet");
      const availabilityZone = r.inputs.string("availabilityZone") ?? `${r.region}a`;
      return {
        id,
        outputs: {
          arn: ec2Arn(r, "subnet", id),
          ownerId: r.accountId,
          availabilityZone,
          availabilityZoneId: r.inputs.string("availabilityZoneId") ?? availabilityZoneIdOf(availabilityZone),
        },
      };
    },
  },
  "aws:ec2/internetGateway:InternetGateway": ec2Resource("igw", "internet-gateway"),
  "aws:ec2/eip:Eip": {
    tagged: true,
    defaults: { domain: "vpc" },
    create(r) {
      const id = r.ec2Id("eipalloc");
      const publicIp = publicIpFor(r, "eip");
      return {
        id,
        outputs: {
          allocationId: id,
          arn: ec2Arn(r, "elastic-ip", id),
          publicIp,
          publicDns: `ec2-${publicIp.replaceAll(".", "-")}.${ec2PublicDnsDomain(r.region)}`,
          networkBorderGroup: r.region,
          publicIpv4Pool: "amazon",
          ptrRecord: "",
        },
      };
    },
  },
  "aws:ec2/natGateway:NatGateway": {
    tagged: true,
    defaults: { connectivityType: "public" },
    create(r) {
      const allocationId = r.inputs.string("allocationId");
      return {
        id: r.ec2Id("nat"),
        outputs: {
          associationId: r.ec2Id("eipassoc"),
          networkInterfaceId: r.ec2Id("eni"),
          privateIp: privateIpFor(r, "nat"),
          publicIp: r.inventory.stringOf(allocationId, "publicIp") ?? publicIpFor(r, "nat"),
        },
      };
    },
  },
  "aws:ec2/routeTable:RouteTable": ec2Resource("rtb", "route-table"),
  "aws:ec2/route:Route": {
    create(r) {
      // Terraform's route id: "r-" + route table id + a hash of the destination.
      return { id: `r-${r.inputs.string("routeTableId") ?? ""}${r.digits(10)}`, outputs: { origin: "CreateRoute", state: "active" } };
    },
  },
  "aws:ec2/routeTableAssociation:RouteTableAssociation": {
    create(r) {
      return { id: r.ec2Id("rtbassoc") };
    },
  },
  "aws:ec2/networkAcl:NetworkAcl": ec2Resource("acl", "network-acl"),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": {
    tagged: true,
    create(r) {
      const id = r.inputs.string("defaultNetworkAclId") ?? r.ec2Id("acl");
      return { id, outputs: { arn: ec2Arn(r, "network-acl", id), ownerId: r.accountId } };
    },
  },
  "aws:ec2/defaultRouteTable:DefaultRouteTable": {
    tagged: true,
    create(r) {
      const id = r.inputs.string("defaultRouteTableId") ?? r.ec2Id("rtb");
      return { id, outputs: { arn: ec2Arn(r, "route-table", id), ownerId: r.accountId } };
    },
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 255 },
    // Pulumi's default description; Terraform removes AWS's default allow-all egress rule.
    defaults: { description: "Managed by Pulumi", egress: [], ingress: [], revokeRulesOnDelete: false },
    create(r) {
      const id = r.ec2Id("sg");
      return {
        id,
        outputs: {
          arn: ec2Arn(r, "security-group", id),
          ownerId: r.accountId,
          vpcId: r.inputs.string("vpcId") ?? defaultVpcId(r),
        },
      };
    },
  },
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
    tagged: true,
    defaults: { egress: [], ingress: [], revokeRulesOnDelete: false },
    create(r) {
      const vpcId = r.inputs.string("vpcId") ?? defaultVpcId(r);
      const id = r.inventory.stringOf(vpcId, "defaultSecurityGroupId") ?? r.ec2Id("sg");
      return {
        id,
        outputs: {
          arn: ec2Arn(r, "security-group", id),
          description: "default VPC security group",
          name: "default",
          ownerId: r.accountId,
          vpcId,
        },
      };
    },
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRuleModel(),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": securityGroupRuleModel(),
  "aws:ec2/securityGroupRule:SecurityGroupRule": {
    create(r) {
      return { id: `sgrule-${r.digits(10)}`, outputs: { securityGroupRuleId: r.ec2Id("sgr") } };
    },
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": {
    tagged: true,
    defaults: { autoAccept: false, privateDnsEnabled: false, vpcEndpointType: "Gateway" },
    create(r) {
      const id = r.ec2Id("vpce");
      const type = r.inputs.string("vpcEndpointType") ?? "Gateway";
      const serviceName = r.inputs.string("serviceName") ?? "";
      const service = serviceName.split(".").slice(3).join(".") || serviceName;
      const subnetIds = r.inputs.strings("subnetIds");
      const interfaceOutputs =
        type === "Interface"
          ? {
              dnsEntries: [
                {
                  dnsName: `${id}-${r.lower(8, "dns")}.${service}.${r.region}.vpce.${r.dnsSuffix}`,
                  hostedZoneId: `Z${r.upper(13, "vpce-zone")}`,
                },
              ],
              networkInterfaceIds: subnetIds.map((_, index) => r.ec2Id("eni", `${index}`)),
            }
          : { dnsEntries: [], networkInterfaceIds: [], prefixListId: `pl-${r.hex(8, "prefix-list")}` };
      return {
        id,
        outputs: {
          arn: ec2Arn(r, "vpc-endpoint", id),
          ownerId: r.accountId,
          requesterManaged: false,
          state: "available",
          ...interfaceOutputs,
        },
      };
    },
  },
  "aws:ec2/flowLog:FlowLog": ec2Resource("fl", "vpc-flow-log", { logDestinationType: "cloud-watch-logs", maxAggregationInterval: 600 }),
  "aws:ec2/launchTemplate:LaunchTemplate": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 128 },
    create(r) {
      const id = r.ec2Id("lt");
      return { id, outputs: { arn: ec2Arn(r, "launch-template", id), defaultVersion: 1, latestVersion: 1 } };
    },
  },
};
