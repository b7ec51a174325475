// Network: security groups and VPC flow logs.
import * as aws from "@pulumi/aws";
import type { PolicyResource, ResourceValidation } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped } from "../lib/typed.js";
import { blockOf, stringOf, stringsOf } from "../lib/values.js";
import { describePublic, readCidr, wholeInternetFamilies } from "../lib/address-ranges.js";
import {
  admitsPort, describeScope, inlineRules, rulesOfGroup, scopeCovers, scopeOf, securityGroupRule, vpcRule, type NormalisedRule,
} from "./network-rules.js";

/**
 * One check over the ingress rules of each resource that declares them, whichever of the three
 * rule types it is; `subject` names the security group or rule for messages.
 */
function forIngressRules(check: (subject: string, rules: readonly NormalisedRule[], report: (message: string) => void) => void): ResourceValidation[] {
  return [
    validateTyped(aws.ec2.SecurityGroup, (group, args, report) => {
      const rules = inlineRules(group.ingress, "ingress");
      if (rules.length > 0) check(`Security group ${args.name}`, rules, report);
    }),
    validateTyped(aws.ec2.SecurityGroupRule, (rule, args, report) => {
      const normalised = securityGroupRule(rule);
      if (normalised?.direction !== "ingress") return args.notApplicable("an egress rule");
      check(`Rule ${args.name}`, [normalised], report);
    }),
    validateTyped(aws.vpc.SecurityGroupIngressRule, (rule, args, report) => { check(`Rule ${args.name}`, [vpcRule(rule, "ingress")], report); }),
  ];
}

/** A rule's CIDRs that admit public addresses (unreadable ones count: the rule must not pass unread). */
function publicCidrsOf(rule: NormalisedRule): string[] {
  return rule.cidrs.filter((cidr) => readCidr(cidr).kind !== "private");
}

export const noWorldIngress = resourcePolicy({
  name: "sg-no-world-ingress",
  description:
    "No security group accepts traffic on any port from public addresses (anything outside RFC 1918, CGNAT 100.64.0.0/10, " +
    "loopback, link-local and IPv6 unique local ranges), however the ranges are written or split; public entry is CloudFront's prefix list.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "network",
  compliance: { pciDss: "1.3.1", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Replace the public source with the peer that needs access: CloudFront's origin-facing managed prefix list for the " +
    "ALB, the ALB's security group for the web tier, the web tier's security group for the database and search, a private CIDR for operators.",
  // Ranges combine per resource and port: on each rule's ports, the public ranges of every rule of
  // the resource that admits those ports are listed together, so two /1s read as the whole internet.
  // Any one public range is already a violation, so a rule resource judged alone misses nothing.
  validateResource: forIngressRules((subject, rules, report) => {
    const exposed = rules.map((rule) => ({ scope: scopeOf(rule), cidrs: publicCidrsOf(rule) })).filter((entry) => entry.cidrs.length > 0);
    const reported = new Set<string>();
    for (const anchor of exposed) {
      const ports = describeScope(anchor.scope);
      if (reported.has(ports)) continue;
      reported.add(ports);
      const wider = exposed.filter((other) => other !== anchor && scopeCovers(other.scope, anchor.scope)).flatMap((other) => other.cidrs);
      report(`${subject} admits public addresses on ${ports} from ${describePublic([...anchor.cidrs, ...wider]) ?? "?"}.`);
    }
  }),
});

/** Remote administration services; operators reach instances through SSM Session Manager instead. */
const ADMIN_PORTS: readonly { service: string; protocol: "tcp" | "udp"; port: number }[] = [
  { service: "SSH", protocol: "tcp", port: 22 },
  { service: "Telnet", protocol: "tcp", port: 23 },
  { service: "RDP", protocol: "tcp", port: 3389 },
  { service: "RDP", protocol: "udp", port: 3389 },
  { service: "VNC", protocol: "tcp", port: 5900 },
  { service: "WinRM", protocol: "tcp", port: 5985 },
  { service: "WinRM", protocol: "tcp", port: 5986 },
];

/** Who `rules` admit: public ranges (combined, as for world ingress) first, then every other peer. */
function describePeers(rules: readonly NormalisedRule[]): string | undefined {
  const publicRanges = describePublic(rules.flatMap(publicCidrsOf));
  const others = [...new Set(rules.flatMap((rule) => [
    ...rule.cidrs.filter((cidr) => readCidr(cidr).kind === "private"), ...rule.prefixLists, ...rule.securityGroups, ...(rule.self ? ["self"] : []),
  ]))];
  const parts = [publicRanges === undefined ? undefined : `public addresses ${publicRanges}`, others.length > 0 ? others.join(", ") : undefined];
  const named = parts.filter((part): part is string => part !== undefined);
  return named.length === 0 ? undefined : named.join(" and to ");
}

export const noAdminPorts = resourcePolicy({
  name: "sg-no-admin-ports",
  description: "No security group opens a remote administration port (SSH 22, Telnet 23, RDP 3389 over TCP or UDP, VNC 5900, WinRM 5985/5986) to anyone: operators use SSM Session Manager.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "network",
  compliance: { pciDss: "1.2.5", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Remove the rule; reach instances with `aws ssm start-session` (the web tier's instance role has AmazonSSMManagedInstanceCore).",
  validateResource: forIngressRules((subject, rules, report) => {
    // Ports opened to the same peers share one message, so an all-traffic rule reports once.
    const byPeers = new Map<string, string[]>();
    for (const { service, protocol, port } of ADMIN_PORTS) {
      const peers = describePeers(rules.filter((rule) => admitsPort(rule, protocol, port)));
      if (peers !== undefined) byPeers.set(peers, [...(byPeers.get(peers) ?? []), `${service} (${protocol} ${port})`]);
    }
    for (const [peers, services] of byPeers) report(`${subject} opens ${services.join(", ")} to ${peers}.`);
  }),
});

/** Security group ids that data stores (RDS, OpenSearch, ElastiCache) use. */
function dataTierGroupIds(resources: Parameters<typeof resourcesOf>[0]): Map<string, string> {
  const ids = new Map<string, string>();
  const add = (groupIds: string[], owner: string) => { for (const id of groupIds) ids.set(id, owner); };
  for (const instance of resourcesOf<aws.rds.Instance>(resources, aws.rds.Instance)) add(stringsOf(instance.props.vpcSecurityGroupIds), `database ${instance.resource.name}`);
  for (const cluster of resourcesOf<aws.rds.Cluster>(resources, aws.rds.Cluster)) add(stringsOf(cluster.props.vpcSecurityGroupIds), `database ${cluster.resource.name}`);
  for (const domain of resourcesOf<aws.opensearch.Domain>(resources, aws.opensearch.Domain)) add(stringsOf(blockOf(domain.props.vpcOptions)?.securityGroupIds), `search domain ${domain.resource.name}`);
  for (const cache of resourcesOf<aws.elasticache.ReplicationGroup>(resources, aws.elasticache.ReplicationGroup)) add(stringsOf(cache.props.securityGroupIds), `cache ${cache.resource.name}`);
  return ids;
}

/**
 * Where `rules` let traffic out to the whole internet: on each egress rule's ports, the union of the
 * ranges of every rule that covers those ports admits every public address of a family (an
 * unreadable range counts too). Yields "<ports> to <ranges>" once per port scope.
 */
function worldEgress(rules: readonly NormalisedRule[]): string[] {
  const egress = rules.filter((rule) => rule.direction === "egress").map((rule) => ({ scope: scopeOf(rule), cidrs: publicCidrsOf(rule) })).filter((entry) => entry.cidrs.length > 0);
  const found = new Map<string, string>();
  for (const anchor of egress) {
    const ports = describeScope(anchor.scope);
    const cidrs = [...anchor.cidrs, ...egress.filter((other) => other !== anchor && scopeCovers(other.scope, anchor.scope)).flatMap((other) => other.cidrs)];
    const readings = cidrs.map(readCidr);
    const ranges = readings.flatMap((reading) => (reading.kind === "unreadable" ? [] : [reading.range]));
    if (found.has(ports) || (wholeInternetFamilies(ranges).length === 0 && readings.every((reading) => reading.kind !== "unreadable"))) continue;
    found.set(ports, `${ports} to ${describePublic(cidrs) ?? "?"}`);
  }
  return [...found.values()];
}

export const dataTierEgress = stackPolicy({
  name: "sg-data-tier-no-open-egress",
  description: "Security groups of data stores (RDS, OpenSearch, ElastiCache) allow no egress to the whole internet, however its ranges are written or split.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "network",
  compliance: { pciDss: "1.3.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Remove the egress rules that together reach every public address (0.0.0.0/0, ::/0 or ranges adding up to them) from the data store's security group (an aws.ec2.SecurityGroup declared without egress has none); allow only the peers it must reach.",
  validateStack: (args, report) => {
    const owners = dataTierGroupIds(args.resources);
    if (owners.size === 0) args.notApplicable("the stack declares no data store in a VPC security group");
    for (const group of resourcesOf<aws.ec2.SecurityGroup>(args.resources, aws.ec2.SecurityGroup)) {
      const owner = [...identifiersOf(group.resource)].map((id) => owners.get(id)).find((name) => name !== undefined);
      if (owner === undefined) continue;
      for (const ports of worldEgress(rulesOfGroup(args.resources, group.resource))) {
        report(`Security group ${group.resource.name} of ${owner} allows egress ${ports}.`, group.resource.urn);
      }
    }
  },
});

export const flowLogs = stackPolicy({
  name: "vpc-flow-logs",
  description: "Every VPC records flow logs of all traffic.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "network",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Declare an aws.ec2.FlowLog with vpcId the VPC's id, trafficType \"ALL\" and a CloudWatch log group (with retention and KMS) or S3 destination.",
  validateStack: (args, report) => {
    // awsx's Vpc registers its aws:ec2/vpc:Vpc child in a real deployment; under the mock cloud only its outputs exist.
    const vpcs = new Map<string, PolicyResource>();
    for (const vpc of resourcesOf<aws.ec2.Vpc>(args.resources, aws.ec2.Vpc)) vpcs.set(stringOf(vpc.props.id) ?? vpc.resource.urn, vpc.resource);
    for (const component of args.resources.filter((resource) => resource.type === "awsx:ec2:Vpc")) {
      const id = stringOf(component.props.vpcId);
      if (id !== undefined && !vpcs.has(id)) vpcs.set(id, component);
    }
    if (vpcs.size === 0) args.notApplicable("the stack declares no VPC");
    const logs = resourcesOf<aws.ec2.FlowLog>(args.resources, aws.ec2.FlowLog);
    for (const [id, vpc] of vpcs) {
      const own = logs.filter((log) => refersTo(log.resource, "vpcId", vpc, new Set([id])));
      if (own.length === 0) report(`VPC ${vpc.name} (${id}) has no flow log.`, vpc.urn);
      else if (!own.some((log) => (stringOf(log.props.trafficType) ?? "ALL") === "ALL")) report(`VPC ${vpc.name}'s flow logs record only ${own.map((log) => stringOf(log.props.trafficType) ?? "?").join(", ")} traffic, not ALL.`, vpc.urn);
    }
  },
});

export const networkPolicies: readonly ShopPolicy[] = [noWorldIngress, noAdminPorts, dataTierEgress, flowLogs];

