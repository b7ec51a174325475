import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../conventions.js";
import type { ArgsChecker } from "./args.js";
import { type Transform, transform } from "./transform.js";

/** Who may reach a data store: the web tier, plus named operator sources. */
export interface DataStoreAccess {
  vpcId: pulumi.Input<string>;
  webSecurityGroupId: pulumi.Input<string>;
  opsSecurityGroupIds?: pulumi.Input<string>[];
  opsCidrBlocks?: string[];
}

/** RFC 1918 space and the carrier-grade NAT range that VPNs and Transit Gateways use. */
const PRIVATE_RANGES: readonly (readonly [number, number])[] = [
  [ipv4ToInt([10, 0, 0, 0]), 8],
  [ipv4ToInt([172, 16, 0, 0]), 12],
  [ipv4ToInt([192, 168, 0, 0]), 16],
  [ipv4ToInt([100, 64, 0, 0]), 10],
];

function ipv4ToInt(octets: readonly number[]): number {
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function isPrivateCidr(cidr: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return false;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return false;
  const address = ipv4ToInt(octets);
  return PRIVATE_RANGES.some(([base, bits]) => prefix >= bits && Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** Operator CIDRs must be private: a data store is never reachable from the internet. */
export function checkOpsCidrs(check: ArgsChecker, cidrs: readonly string[] | undefined): void {
  for (const [index, cidr] of (cidrs ?? []).entries()) {
    if (!isPrivateCidr(cidr)) {
      check.fail(`opsCidrBlocks[${index}]`, cidr, "a private IPv4 CIDR (10/8, 172.16/12, 192.168/16 or 100.64/10) such as 10.99.0.0/16");
    }
  }
}

/**
 * A security group that admits `port` from the web tier and the named operator sources only.
 * No egress rules: the provider removes AWS's default allow-all egress, and neither RDS nor
 * OpenSearch starts connections of its own. `groupChange` applies to the group, `ruleChange` to
 * each ingress rule.
 */
export function dataStoreSecurityGroup(
  parent: pulumi.Resource,
  name: string,
  port: number,
  description: string,
  access: DataStoreAccess,
  groupChange: Transform<aws.ec2.SecurityGroupArgs> | undefined,
  ruleChange?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>,
): aws.ec2.SecurityGroup {
  const sgName = childName(name, "sg");
  const group = new aws.ec2.SecurityGroup(...transform<aws.ec2.SecurityGroupArgs>(
    groupChange,
    sgName,
    { vpcId: access.vpcId, description, tags: { Name: sgName } },
    { parent },
  ));
  const rule = (suffix: string, source: Pick<aws.vpc.SecurityGroupIngressRuleArgs, "referencedSecurityGroupId" | "cidrIpv4">, what: string) =>
    new aws.vpc.SecurityGroupIngressRule(...transform<aws.vpc.SecurityGroupIngressRuleArgs>(
      ruleChange,
      childName(sgName, suffix),
      { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: `${what} to port ${port}`, ...source },
      { parent },
    ));
  rule("from-web", { referencedSecurityGroupId: access.webSecurityGroupId }, "Web tier");
  (access.opsSecurityGroupIds ?? []).forEach((id, index) => rule(`from-ops-sg-${index}`, { referencedSecurityGroupId: id }, "Operators"));
  (access.opsCidrBlocks ?? []).forEach((cidr, index) => rule(`from-ops-cidr-${index}`, { cidrIpv4: cidr }, `Operators (${cidr})`));
  return group;
}
