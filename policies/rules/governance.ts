// Governance: where data lives (data residency) and what every resource says about itself (tags).
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, type ShopPolicy } from "../lib/define.js";
import { effectiveTags, identifiersOf, regionOf } from "../lib/references.js";
import { resourcesOf } from "../lib/typed.js";
import { blockOf, blocksOf, stringOf, stringsOf } from "../lib/values.js";

/** Types that store or process personal data: their region is where that data lives. */
const DATA_TYPES = [
  "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:rds/instance:Instance", "aws:rds/cluster:Cluster",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "aws:opensearch/domain:Domain",
  "aws:cloudwatch/logGroup:LogGroup", "aws:backup/vault:Vault", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance",
  "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:ebs/volume:Volume",
  "aws:sns/topic:Topic", "aws:sqs/queue:Queue", "aws:secretsmanager/secret:Secret", "aws:dynamodb/table:Table",
  "aws:elasticache/replicationGroup:ReplicationGroup", "aws:efs/fileSystem:FileSystem", "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
];

/** The name a data store is known by, for the AWS-mandated `aws-waf-logs-` prefix. */
function physicalName(resource: PolicyResource): string {
  return stringOf(resource.props.name) ?? stringOf(resource.props.bucket) ?? "";
}

interface ResidencyConfig {
  allowedRegions: string[];
  edgeRegion: string;
  edgeNamePrefixes: string[];
  edgeAlarmNamespaces: string[];
  dataTypes: string[];
}

/** The metric namespaces an alarm watches (its own, or its metric queries'). */
function alarmNamespaces(alarm: PolicyResource): string[] {
  const own = stringOf(alarm.props.namespace);
  const queried = blocksOf(alarm.props.metricQueries).map((query) => stringOf(blockOf(query.metric)?.namespace));
  return [own, ...queried].filter((namespace): namespace is string => namespace !== undefined);
}

/**
 * An SNS topic that only alarms on edge metrics notify. CloudFront and CLOUDFRONT-scope WAF publish
 * metrics in us-east-1 only, and an alarm can only notify a topic in its own region, so such a
 * topic cannot live anywhere else.
 */
function isEdgeAlarmTopic(topic: PolicyResource, resources: PolicyResource[], namespaces: readonly string[]): boolean {
  if (topic.type !== "aws:sns/topic:Topic") return false;
  const ids = identifiersOf(topic);
  const notifying = resourcesOf<aws.cloudwatch.MetricAlarm>(resources, aws.cloudwatch.MetricAlarm)
    .map((alarm) => alarm.resource)
    .filter((alarm) => ["alarmActions", "okActions", "insufficientDataActions"].some((key) => stringsOf(alarm.props[key]).some((arn) => ids.has(arn))));
  return notifying.length > 0 && notifying.every((alarm) => {
    const watched = alarmNamespaces(alarm);
    return watched.length > 0 && watched.every((namespace) => namespaces.includes(namespace));
  });
}

export const dataResidency = stackPolicy({
  name: "data-residency",
  description: "Every resource that stores or processes personal data lives in a region the stack's data residency allows.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "governance",
  compliance: { pciDss: "12.5.1", gdpr: "Art. 44" },
  remediationSteps:
    "Move the resource to an allowed region (shop:primaryRegion / shop:drRegion must both be allowed by shop:dataResidency), or " +
    "change shop:dataResidency if the transfer is covered by Chapter V safeguards. Only what AWS requires in us-east-1 for " +
    "CloudFront may stay there: WAF logs of a CloudFront web ACL (names starting aws-waf-logs-; keep sensitive fields redacted) " +
    "and the SNS topic that only CloudFront/WAF alarms notify.",
  configSchema: {
    properties: {
      allowedRegions: { type: "array", items: { type: "string" }, default: [], description: "Regions data may live in; empty: the policy does not apply (dataResidency any)." },
      edgeRegion: { type: "string", default: "us-east-1", description: "The region CloudFront's WAF logs must be delivered to." },
      edgeNamePrefixes: { type: "array", items: { type: "string" }, default: ["aws-waf-logs-"], description: "Name prefixes of the WAF log destinations allowed in the edge region." },
      edgeAlarmNamespaces: { type: "array", items: { type: "string" }, default: ["AWS/CloudFront", "AWS/WAFV2"], description: "Metric namespaces of edge alarms: a topic only their alarms notify may live in the edge region." },
      dataTypes: { type: "array", items: { type: "string" }, default: DATA_TYPES, description: "Resource types that hold or process personal data." },
    },
  },
  validateStack: (args, report) => {
    const config = args.getConfig<ResidencyConfig>();
    if (config.allowedRegions.length === 0) args.notApplicable("no allowedRegions configured (data residency any)");
    for (const resource of args.resources.filter((candidate) => config.dataTypes.includes(candidate.type))) {
      const region = regionOf(resource);
      if (region === undefined) {
        report(`Cannot tell which region ${resource.type} "${resource.name}" lives in (no region property and no provider region).`, resource.urn);
        continue;
      }
      if (config.allowedRegions.includes(region)) continue;
      if (region === config.edgeRegion && config.edgeNamePrefixes.some((prefix) => physicalName(resource).startsWith(prefix))) continue;
      if (region === config.edgeRegion && isEdgeAlarmTopic(resource, args.resources, config.edgeAlarmNamespaces)) continue;
      report(`${resource.type} "${resource.name}" is in ${region}, outside the allowed regions (${config.allowedRegions.join(", ")}).`, resource.urn);
    }
  },
});

export const requiredTags = stackPolicy({
  name: "required-tags",
  description: "Every taggable resource carries the required tags (provider default tags count).",
  enforcementLevel: "mandatory",
  severity: "low",
  service: "governance",
  compliance: { pciDss: "12.5.1", gdpr: "Art. 30" },
  remediationSteps: "Declare resources with a provider whose defaultTags carry the required tags (stacks/providers.ts does, from shop:tags), or add the tags to the resource.",
  configSchema: {
    properties: { tags: { type: "array", items: { type: "string" }, uniqueItems: true, default: ["Owner", "CostCenter"], description: "Tag keys every taggable resource must carry, non-empty." } },
  },
  validateStack: (args, report) => {
    const { tags } = args.getConfig<{ tags: string[] }>();
    let taggable = 0;
    for (const resource of args.resources) {
      const present = effectiveTags(resource);
      if (present === undefined) continue;
      taggable += 1;
      const missing = tags.filter((key) => (present[key] ?? "").trim() === "");
      if (missing.length > 0) report(`${resource.type} "${resource.name}" lacks the tag(s) ${missing.join(", ")}.`, resource.urn);
    }
    if (taggable === 0) args.notApplicable("the stack declares no taggable resource");
  },
});

const DATA_STORES = [
  "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2", "aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:opensearch/domain:Domain",
  "aws:backup/vault:Vault", "aws:cloudwatch/logGroup:LogGroup", "aws:secretsmanager/secret:Secret", "aws:kms/key:Key",
];

export const dataClassTag = stackPolicy({
  name: "data-class-tag",
  description: "Every data store and KMS key carries a DataClass tag naming one of the platform's data classes.",
  enforcementLevel: "advisory",
  advisoryBecause: "The DataClass tag drives access reviews and cost reports rather than protecting data itself; a missing tag is flagged for follow-up without blocking a deployment.",
  severity: "low",
  service: "governance",
  compliance: { pciDss: "12.5.1", gdpr: "Art. 30" },
  remediationSteps: "Add tags { DataClass: \"<class>\" } to the resource (components set it from components/conventions.ts DATA_CLASSES).",
  configSchema: {
    properties: {
      dataClasses: { type: "array", items: { type: "string" }, default: ["database", "search", "backup", "logs", "assets", "secrets", "telemetry"], description: "Accepted DataClass values." },
    },
  },
  validateStack: (args, report) => {
    const { dataClasses } = args.getConfig<{ dataClasses: string[] }>();
    const stores = args.resources.filter((resource) => DATA_STORES.includes(resource.type));
    if (stores.length === 0) args.notApplicable("the stack declares no data store");
    for (const store of stores) {
      const dataClass = effectiveTags(store)?.DataClass;
      if (dataClass === undefined) report(`${store.type} "${store.name}" has no DataClass tag.`, store.urn);
      else if (!dataClasses.includes(dataClass)) report(`${store.type} "${store.name}" has DataClass "${dataClass}", not one of ${dataClasses.join(", ")}.`, store.urn);
    }
  },
});

export const governancePolicies: readonly ShopPolicy[] = [dataResidency, requiredTags, dataClassTag];
