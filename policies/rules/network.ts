// Network: security groups and VPC flow logs.
import * as aws from "@pulumi/aws";
import type { PolicyResource, ResourceValidation } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped } from "../lib/typed.js";
import { blockOf, stringOf, stringsOf } from "../lib/values.js";
import { coversPort, describeRule, inlineRules, opensToWorld, rulesOfGroup, securityGroupRule, vpcRule, type NormalisedRule } from "./network-rules.js";

/** One check over every ingress rule a resource declares, whichever of the three rule types it is. */
function forIngressRules(check: (rule: NormalisedRule, report: (message: string) => void) => void): ResourceValidation[] {
  return [
    validateTyped(aws.ec2.SecurityGroup, (group, _args, report) => {
      for (const rule of inlineRules(group.ingress, "ingress")) check(rule, report);
    }),
    validateTyped(aws.ec2.SecurityGroupRule, (rule, args, report) => {
      const normalised = securityGroupRule(rule);
      if (normalised?.direction !== "ingress") return args.notApplicable("an egress rule");
      check(normalised, report);
    }),
    validateTyped(aws.vpc.SecurityGroupIngressRule, (rule, _args, report) => { check(vpcRule(rule, "ingress"), report); }),
  ];
}

export const noWorldIngress = resourcePolicy({
  name: "sg-no-world-ingress",
  description: "No security group accepts traffic from the whole internet (0.0.0.0/0 or ::/0); public entry is CloudFront's prefix list.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "network",
  compliance: { pciDss: "1.3.1", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Replace the 0.0.0.0/0 or ::/0 source with the peer that needs access: CloudFront's origin-facing managed prefix list for the " +
    "ALB, the ALB's security group for the web tier, the web tier's security group for the database and search.",
  validateResource: forIngressRules((rule, report) => {
    if (opensToWorld(rule)) report(`The rule allows ${describeRule(rule)}.`);
  }),
});

const ADMIN_PORTS: readonly { port: number; service: string }[] = [{ port: 22, service: "SSH" }, { port: 3389, service: "RDP" }];

export const noAdminPorts = resourcePolicy({
  name: "sg-no-admin-ports",
  description: "No security group opens SSH (22) or RDP (3389): operators use SSM Session Manager.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "network",
  compliance: { pciDss: "1.2.5", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Remove the rule; reach instances with `aws ssm start-session` (the web tier's instance role has AmazonSSMManagedInstanceCore).",
  validateResource: forIngressRules((rule, report) => {
    for (const { port, service } of ADMIN_PORTS) {
      if (coversPort(rule, port) && (rule.cidrs.length > 0 || rule.prefixLists.length > 0 || rule.securityGroups.length > 0 || rule.self)) {
        report(`The rule opens ${service} (${port}): ${describeRule(rule)}.`);
      }
    }
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

export const dataTierEgress = stackPolicy({
  name: "sg-data-tier-no-open-egress",
  description: "Security groups of data stores (RDS, OpenSearch, ElastiCache) allow no egress to the whole internet.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "network",
  compliance: { pciDss: "1.3.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Remove the 0.0.0.0/0 or ::/0 egress rule from the data store's security group (an aws.ec2.SecurityGroup declared without egress has none); allow only the peers it must reach.",
  validateStack: (args, report) => {
    const owners = dataTierGroupIds(args.resources);
    if (owners.size === 0) args.notApplicable("the stack declares no data store in a VPC security group");
    for (const group of resourcesOf<aws.ec2.SecurityGroup>(args.resources, aws.ec2.SecurityGroup)) {
      const owner = [...identifiersOf(group.resource)].map((id) => owners.get(id)).find((name) => name !== undefined);
      if (owner === undefined) continue;
      for (const rule of rulesOfGroup(args.resources, group.resource).filter((candidate) => candidate.direction === "egress" && opensToWorld(candidate))) {
        report(`Security group ${group.resource.name} of ${owner} allows ${describeRule(rule)}.`, group.resource.urn);
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

