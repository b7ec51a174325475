// Security group rules, wherever a program declares them: inline on aws.ec2.SecurityGroup, as
// aws.ec2.SecurityGroupRule, or as the v7 aws.vpc.SecurityGroupIngressRule/EgressRule. Several
// policies (world ingress, admin ports, CloudFront-only ALBs, data-tier egress) read them, and
// judge their ranges with lib/address-ranges.ts, never by comparing CIDR strings.
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

/** The traffic a rule admits: all of it, or one protocol on a port range (the whole protocol for ICMP and others). */
export type PortScope = { readonly all: true } | { readonly all: false; readonly protocol: string; readonly from: number; readonly to: number };

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { "-1": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

export function scopeOf(rule: NormalisedRule): PortScope {
  const protocol = PROTOCOL_NAMES[rule.protocol] ?? rule.protocol;
  if (protocol === "all") return { all: true };
  if (protocol !== "tcp" && protocol !== "udp") return { all: false, protocol, from: 0, to: 65_535 };
  // A missing or negative port admits the whole range, as far as a guardrail should assume.
  const from = rule.fromPort === undefined || rule.fromPort < 0 ? 0 : rule.fromPort;
  const to = rule.toPort === undefined || rule.toPort < 0 ? 65_535 : rule.toPort;
  return { all: false, protocol, from, to };
}

/** True when everything `inner` admits, `outer` admits too. */
export function scopeCovers(outer: PortScope, inner: PortScope): boolean {
  if (outer.all) return true;
  return !inner.all && outer.protocol === inner.protocol && outer.from <= inner.from && inner.to <= outer.to;
}

/** True when the rule admits `protocol` traffic to `port` (all-traffic rules admit every port). */
export function admitsPort(rule: NormalisedRule, protocol: "tcp" | "udp", port: number): boolean {
  return scopeCovers(scopeOf(rule), { all: false, protocol, from: port, to: port });
}

export function describeScope(scope: PortScope): string {
  if (scope.all) return "all traffic";
  return scope.protocol === "tcp" || scope.protocol === "udp" ? `${scope.protocol} ${scope.from}-${scope.to}` : scope.protocol;
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
