// Security group rules, wherever a program declares them: inline on aws.ec2.SecurityGroup, as
// aws.ec2.SecurityGroupRule, or as the v7 aws.vpc.SecurityGroupIngressRule/EgressRule. Several
// policies (world ingress, admin ports, CloudFront-only ALBs, data-tier egress) read them.
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf } from "../lib/typed.js";
import { blocksOf, numberOf, stringOf, stringsOf, type Json } from "../lib/values.js";

export type Direction = "ingress" | "egress";

/** One rule, normalised: every source (or destination) it names. */
export interface NormalisedRule {
  readonly direction: Direction;
  readonly protocol: string;
  readonly fromPort: number | undefined;
  readonly toPort: number | undefined;
  readonly cidrs: readonly string[];
  readonly prefixLists: readonly string[];
  readonly securityGroups: readonly string[];
  readonly self: boolean;
}

export const WORLD = ["0.0.0.0/0", "::/0"];

/** `"tcp"`, `"-1"` (all), or a protocol number given as a number. */
function protocolOf(value: unknown): string {
  if (typeof value === "number") return String(value);
  return typeof value === "string" && value !== "" ? value.toLowerCase() : "-1";
}

/** Rules from an inline `ingress`/`egress` block list of aws.ec2.SecurityGroup. */
export function inlineRules(blocks: unknown, direction: Direction): NormalisedRule[] {
  return blocksOf(blocks).map((block) => ({
    direction,
    protocol: protocolOf(block.protocol),
    fromPort: numberOf(block.fromPort),
    toPort: numberOf(block.toPort),
    cidrs: [...stringsOf(block.cidrBlocks), ...stringsOf(block.ipv6CidrBlocks)],
    prefixLists: stringsOf(block.prefixListIds),
    securityGroups: stringsOf(block.securityGroups),
    self: block.self === true,
  }));
}

/** A rule declared as aws.ec2.SecurityGroupRule. */
export function securityGroupRule(props: Json): NormalisedRule | undefined {
  const direction = props.type === "ingress" || props.type === "egress" ? props.type : undefined;
  if (direction === undefined) return undefined;
  const source = stringOf(props.sourceSecurityGroupId);
  return {
    direction,
    protocol: protocolOf(props.protocol),
    fromPort: numberOf(props.fromPort),
    toPort: numberOf(props.toPort),
    cidrs: [...stringsOf(props.cidrBlocks), ...stringsOf(props.ipv6CidrBlocks)],
    prefixLists: stringsOf(props.prefixListIds),
    securityGroups: source === undefined ? [] : [source],
    self: props.self === true,
  };
}

/** A rule declared as aws.vpc.SecurityGroupIngressRule or SecurityGroupEgressRule. */
export function vpcRule(props: Json, direction: Direction): NormalisedRule {
  const cidrs = [stringOf(props.cidrIpv4), stringOf(props.cidrIpv6)].filter((cidr): cidr is string => cidr !== undefined);
  const prefix = stringOf(props.prefixListId);
  const group = stringOf(props.referencedSecurityGroupId);
  return {
    direction,
    protocol: protocolOf(props.ipProtocol),
    fromPort: numberOf(props.fromPort),
    toPort: numberOf(props.toPort),
    cidrs,
    prefixLists: prefix === undefined ? [] : [prefix],
    securityGroups: group === undefined ? [] : [group],
    self: false,
  };
}

/** True when the rule covers `port` (all-protocol rules cover every port). */
export function coversPort(rule: NormalisedRule, port: number): boolean {
  if (rule.protocol === "-1" || rule.protocol === "all") return true;
  if (rule.protocol !== "tcp" && rule.protocol !== "6") return false;
  return (rule.fromPort ?? 0) <= port && port <= (rule.toPort ?? 65_535);
}

export function opensToWorld(rule: NormalisedRule): boolean {
  return rule.cidrs.some((cidr) => WORLD.includes(cidr));
}

export function describeRule(rule: NormalisedRule): string {
  const ports = rule.protocol === "-1" ? "all traffic" : `${rule.protocol} ${rule.fromPort ?? "?"}-${rule.toPort ?? "?"}`;
  const peers = [...rule.cidrs, ...rule.prefixLists, ...rule.securityGroups, ...(rule.self ? ["self"] : [])].join(", ") || "nothing";
  return `${rule.direction} ${ports} ${rule.direction === "ingress" ? "from" : "to"} ${peers}`;
}

/** Every rule of the security group `group`, wherever it is declared in the stack. */
export function rulesOfGroup(resources: PolicyResource[], group: PolicyResource): NormalisedRule[] {
  const ids = identifiersOf(group);
  const rules = [...inlineRules(group.props.ingress, "ingress"), ...inlineRules(group.props.egress, "egress")];
  for (const rule of resourcesOf<aws.ec2.SecurityGroupRule>(resources, aws.ec2.SecurityGroupRule)) {
    if (!refersTo(rule.resource, "securityGroupId", group, ids)) continue;
    const normalised = securityGroupRule(rule.resource.props);
    if (normalised !== undefined) rules.push(normalised);
  }
  for (const rule of resourcesOf<aws.vpc.SecurityGroupIngressRule>(resources, aws.vpc.SecurityGroupIngressRule)) {
    if (refersTo(rule.resource, "securityGroupId", group, ids)) rules.push(vpcRule(rule.resource.props, "ingress"));
  }
  for (const rule of resourcesOf<aws.vpc.SecurityGroupEgressRule>(resources, aws.vpc.SecurityGroupEgressRule)) {
    if (refersTo(rule.resource, "securityGroupId", group, ids)) rules.push(vpcRule(rule.resource.props, "egress"));
  }
  return rules;
}

/** The security groups of the stack whose id is in `ids`. */
export function groupsWithIds(resources: PolicyResource[], ids: readonly string[]): PolicyResource[] {
  return resourcesOf<aws.ec2.SecurityGroup>(resources, aws.ec2.SecurityGroup)
    .map((group) => group.resource)
    .filter((group) => ids.some((id) => identifiersOf(group).has(id)));
}
