import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, awsName, childName, type Transform } from "./conventions.js";
import {
  type AlarmSpec,
  type AlarmThresholds,
  anyInAlarm,
  databaseAlarms,
  type DatabaseTargets,
  edgeAlarms,
  metricAlarmArgs,
  resolveThresholds,
  searchAlarms,
  type SearchTargets,
  webAlarms,
  type WebTargets,
} from "./observability/alarms.js";
import { databaseSection, edgeSection, layout, searchSection, type Section, webSection } from "./observability/dashboard.js";
import { createAppLogGroups, DEFAULT_LOG_GROUPS, DEFAULT_LOG_RETENTION_DAYS, validateLogGroups } from "./observability/logs.js";
import { createNotificationTopic, validateEmails } from "./shared/notification-topic.js";
import { createXRay, resolveXRay, type XRayArgs } from "./observability/xray.js";

export type { AlarmThresholds, DatabaseTargets, SearchTargets, WebTargets } from "./observability/alarms.js";
export { DEFAULT_THRESHOLDS } from "./observability/alarms.js";
export type { XRayArgs } from "./observability/xray.js";

/** CloudFront publishes its metrics in us-east-1 only; so WAF does for CLOUDFRONT-scope web ACLs. */
export const EDGE_METRICS_REGION = "us-east-1";

export interface ObservabilityArgs {
  /** Customer-managed KMS key (telemetry) for the alarm topic and X-Ray. Its policy must let cloudwatch.amazonaws.com use it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for the log groups; its policy must let `logs.<region>.amazonaws.com` use it.
   * @default kmsKeyArn
   */
  readonly logsKmsKeyArn?: pulumi.Input<string>;
  /**
   * Who the alarm topic emails (each address confirms its subscription once).
   * @default []
   */
  readonly alarmEmails?: readonly string[];
  /** The ALB, target group and ASG in this region. @default none: no web widgets or alarms */
  readonly web?: WebTargets;
  /** The database instance in this region. @default none */
  readonly database?: DatabaseTargets;
  /** The OpenSearch domain in this region. @default none */
  readonly search?: SearchTargets;
  /**
   * The stack's RPO budget: the replica-lag alarm's threshold, in seconds.
   * @default 60
   */
  readonly rpoSeconds?: number;
  /** Alarm thresholds over the defaults (DEFAULT_THRESHOLDS). @default {} */
  readonly thresholds?: Partial<AlarmThresholds>;
  /**
   * Prefix of the app log group names.
   * @default `/shop/<stack>`
   */
  readonly logGroupPrefix?: string;
  /**
   * App log groups under the prefix (the fleet's instance logs are WebTier's own group).
   * @default ["storefront/audit", "shopctl/operations"]
   */
  readonly logGroups?: readonly string[];
  /**
   * Days the app logs are kept: one of CloudWatch's retentions. 400 covers PCI DSS's 12 months.
   * @default 400
   */
  readonly logRetentionDays?: number;
  /**
   * Refuse to delete the log groups (CloudWatch Logs deletion protection).
   * @default true
   */
  readonly logDeletionProtection?: boolean;
  /**
   * X-Ray sampling rule, group and encryption; `false` for none.
   * @default { serviceName: "storefront", fixedRate: 0.05, reservoirSize: 1, priority: 1000, encrypt: true, insights: true }
   */
  readonly xray?: XRayArgs | false;
  /**
   * A CloudWatch dashboard for this region.
   * @default true
   */
  readonly dashboard?: boolean;
  /** Overrides for the children's args. */
  readonly transforms?: {
    readonly topic?: Transform<aws.sns.TopicArgs>;
    /** Applied to every metric alarm (branch on `args.name` for one). */
    readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
    readonly compositeAlarm?: Transform<aws.cloudwatch.CompositeAlarmArgs>;
    readonly dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
    /** Applied to every log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly samplingRule?: Transform<aws.xray.SamplingRuleArgs>;
    readonly xrayGroup?: Transform<aws.xray.GroupArgs>;
  };
}

/** A created alarm's physical name and ARN. */
export interface AlarmRef {
  readonly name: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
}

function definedOnly(outputs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

function requirePositive(where: string, what: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw new Error(`${where}: ${what} must be a positive number; got ${value}.`);
}

function validateRegionalArgs(where: string, args: ObservabilityArgs): void {
  validateEmails(args.alarmEmails ?? [], `${where}: alarmEmails`);
  const rpo = args.rpoSeconds ?? 60;
  if (!(Number.isInteger(rpo) && rpo >= 1 && rpo <= 86_400)) throw new Error(`${where}: rpoSeconds must be a whole number from 1 to 86400; got ${rpo}.`);
  if (args.database) requirePositive(where, "database.allocatedStorageGb", args.database.allocatedStorageGb);
  if (args.search) requirePositive(where, "search.volumeGb", args.search.volumeGb);
}

/**
 * Monitoring for one region: an encrypted SNS topic with email subscriptions, a dashboard, the
 * alarms for the parts present here (ALB, RDS, OpenSearch) with alarm and OK actions to the
 * topic, a composite "platform unhealthy" alarm, X-Ray sampling and a group, and the app log
 * groups. Create one per region (primary, and DR when the stack has one) with that region's
 * provider; CloudFront and WAF belong to EdgeObservability.
 */
export class Observability extends pulumi.ComponentResource {
  public readonly region: pulumi.Output<string>;
  public readonly alarmTopicArn: pulumi.Output<string>;
  /** Every metric alarm by key (`alb-5xx-rate`, `rds-replica-lag`, ...). */
  public readonly alarms: Readonly<Record<string, AlarmRef>>;
  /** The single-metric ALB healthy-hosts alarm a Route 53 CLOUDWATCH_METRIC health check can use; undefined without `web`. */
  public readonly healthyHostsAlarm: AlarmRef | undefined;
  /** The composite of the critical alarms; undefined when nothing critical is monitored here. */
  public readonly platformUnhealthyAlarm: AlarmRef | undefined;
  public readonly dashboardName: pulumi.Output<string> | undefined;
  /** Log group names by their suffix (`storefront/audit`). */
  public readonly logGroupNames: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly logGroupArns: Readonly<Record<string, pulumi.Output<string>>>;
  public readonly samplingRuleArn: pulumi.Output<string> | undefined;
  public readonly xrayGroupArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const where = `Observability ${name}`;
    validateRegionalArgs(where, args);
    const thresholds = resolveThresholds(where, args.thresholds);
    const logPrefix = args.logGroupPrefix ?? `/shop/${pulumi.getStack()}`;
    const logNames = args.logGroups ?? DEFAULT_LOG_GROUPS;
    const retentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
    validateLogGroups(where, { prefix: logPrefix, names: logNames, retentionDays });
    const xray = args.xray === false ? undefined : resolveXRay(where, args.xray);
    super("shop:observability:Observability", name, {}, opts);

    const region = aws.getRegionOutput({}, { parent: this }).region;
    const search = args.search ? { ...args.search, accountId: args.search.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId } : undefined;

    const topic = createNotificationTopic(childName(name, "alarms"), this, {
      kmsKeyArn: args.kmsKeyArn,
      emails: args.alarmEmails ?? [],
      publishers: ["cloudwatch"],
      dataClass: "telemetry",
      ...(args.transforms?.topic ? { transform: args.transforms.topic } : {}),
    }).topic;

    const specs: AlarmSpec[] = [
      ...(args.web ? webAlarms(args.web, thresholds) : []),
      ...(args.database ? databaseAlarms(args.database, thresholds, args.rpoSeconds ?? 60) : []),
      ...(search ? searchAlarms(search, thresholds) : []),
    ];
    const created = createAlarms(name, this, specs, topic.arn, args.transforms?.alarm);
    this.alarms = Object.fromEntries([...created].map(([key, alarm]) => [key, { name: alarm.name, arn: alarm.arn }]));
    this.healthyHostsAlarm = this.alarms["alb-healthy-hosts"];

    const critical = specs.filter((spec) => spec.critical).map((spec) => created.get(spec.key)).filter((alarm) => alarm !== undefined);
    if (critical.length > 0) {
      const composite = new aws.cloudwatch.CompositeAlarm(childName(name, "platform-unhealthy"), applyTransform<aws.cloudwatch.CompositeAlarmArgs>({
        alarmName: childName(name, "platform-unhealthy"),
        alarmDescription: `Platform unhealthy in this region: any of ${specs.filter((spec) => spec.critical).map((spec) => spec.key).join(", ")} is in ALARM. DR readiness reads this alarm.`,
        alarmRule: pulumi.all(critical.map((alarm) => alarm.name)).apply(anyInAlarm),
        actionsEnabled: true,
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      }, args.transforms?.compositeAlarm), { parent: this });
      this.platformUnhealthyAlarm = { name: composite.alarmName, arn: composite.arn };
    } else {
      this.platformUnhealthyAlarm = undefined;
    }

    if (args.dashboard !== false) {
      const sections: Section[] = [
        ...(args.web ? [webSection(args.web)] : []),
        ...(args.database ? [databaseSection(args.database)] : []),
        ...(search ? [searchSection(search)] : []),
      ];
      const alarmArns = [...[...created.values()].map((alarm) => alarm.arn), ...(this.platformUnhealthyAlarm ? [this.platformUnhealthyAlarm.arn] : [])];
      const dashboard = new aws.cloudwatch.Dashboard(childName(name, "dashboard"), applyTransform<aws.cloudwatch.DashboardArgs>({
        // Dashboards are global to the account: the region keeps primary and DR apart.
        dashboardName: region.apply((r) => awsName(`${name}-${r}`, 255, /[^a-zA-Z0-9_-]/g)),
        dashboardBody: pulumi.jsonStringify({ widgets: layout(sections, region, alarmArns) }),
      }, args.transforms?.dashboard), { parent: this });
      this.dashboardName = dashboard.dashboardName;
    } else {
      this.dashboardName = undefined;
    }

    if (xray) {
      const traces = createXRay(name, this, xray, args.kmsKeyArn, {
        ...(args.transforms?.samplingRule ? { samplingRule: args.transforms.samplingRule } : {}),
        ...(args.transforms?.xrayGroup ? { group: args.transforms.xrayGroup } : {}),
      });
      this.samplingRuleArn = traces.samplingRule.arn;
      this.xrayGroupArn = traces.group.arn;
    } else {
      this.samplingRuleArn = undefined;
      this.xrayGroupArn = undefined;
    }

    const logGroups = createAppLogGroups(name, this, {
      prefix: logPrefix,
      names: logNames,
      retentionDays,
      kmsKeyArn: args.logsKmsKeyArn ?? args.kmsKeyArn,
      deletionProtection: args.logDeletionProtection ?? true,
      ...(args.transforms?.logGroup ? { transform: args.transforms.logGroup } : {}),
    });
    this.logGroupNames = Object.fromEntries([...logGroups].map(([suffix, group]) => [suffix, group.name]));
    this.logGroupArns = Object.fromEntries([...logGroups].map(([suffix, group]) => [suffix, group.arn]));

    this.region = region;
    this.alarmTopicArn = topic.arn;
    // Absent parts are left out: the engine warns about undefined outputs.
    this.registerOutputs(definedOnly({
      region: this.region,
      alarmTopicArn: this.alarmTopicArn,
      alarms: this.alarms,
      healthyHostsAlarm: this.healthyHostsAlarm,
      platformUnhealthyAlarm: this.platformUnhealthyAlarm,
      dashboardName: this.dashboardName,
      logGroupNames: this.logGroupNames,
      logGroupArns: this.logGroupArns,
      samplingRuleArn: this.samplingRuleArn,
      xrayGroupArn: this.xrayGroupArn,
    }));
  }
}

function createAlarms(
  name: string,
  parent: pulumi.Resource,
  specs: readonly AlarmSpec[],
  topicArn: pulumi.Input<string>,
  transform: Transform<aws.cloudwatch.MetricAlarmArgs> | undefined,
): Map<string, aws.cloudwatch.MetricAlarm> {
  return new Map(specs.map((spec) => [
    spec.key,
    new aws.cloudwatch.MetricAlarm(childName(name, spec.key), applyTransform(metricAlarmArgs(spec, childName(name, spec.key), topicArn), transform), { parent }),
  ]));
}

export interface EdgeObservabilityArgs {
  /** The CloudFront distribution's id. */
  readonly distributionId: pulumi.Input<string>;
  /**
   * The CLOUDFRONT-scope web ACL's metric name (its visibilityConfig `metricName`, the WebACL dimension).
   * @default none: no WAF widget
   */
  readonly webAclMetricName?: pulumi.Input<string>;
  /** Customer-managed KMS key in us-east-1 for the edge alarm topic. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** @default [] */
  readonly alarmEmails?: readonly string[];
  /** @default { cloudFront5xxPercent: 5 } */
  readonly thresholds?: Pick<Partial<AlarmThresholds>, "cloudFront5xxPercent">;
  /** @default true */
  readonly dashboard?: boolean;
  readonly transforms?: {
    readonly topic?: Transform<aws.sns.TopicArgs>;
    readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
    readonly dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
  };
}

/**
 * The edge's monitoring, in us-east-1 (where CloudFront and CLOUDFRONT-scope WAF publish their
 * metrics): a dashboard for CloudFront and WAF, and a CloudFront 5xx alarm to its own topic
 * (alarms can only notify a topic in their region). Fails on a provider outside us-east-1.
 */
export class EdgeObservability extends pulumi.ComponentResource {
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly alarms: Readonly<Record<string, AlarmRef>>;
  public readonly dashboardName: pulumi.Output<string> | undefined;

  constructor(name: string, args: EdgeObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `EdgeObservability ${name}`;
    validateEmails(args.alarmEmails ?? [], `${where}: alarmEmails`);
    const thresholds = resolveThresholds(where, args.thresholds);
    super("shop:observability:EdgeObservability", name, {}, opts);

    const region = aws.getRegionOutput({}, { parent: this }).region.apply((actual) => {
      if (actual !== EDGE_METRICS_REGION) {
        throw new Error(`${where} must be created with a ${EDGE_METRICS_REGION} provider: CloudFront and CLOUDFRONT-scope WAF publish their metrics there only; this provider is in ${actual}.`);
      }
      return actual;
    });

    // Every child carries the checked region, so a wrong provider fails them all.
    const topicArn = createNotificationTopic(childName(name, "alarms"), this, {
      kmsKeyArn: args.kmsKeyArn,
      emails: args.alarmEmails ?? [],
      publishers: ["cloudwatch"],
      dataClass: "telemetry",
      region,
      ...(args.transforms?.topic ? { transform: args.transforms.topic } : {}),
    }).topicArn;

    const alarmTransform = (alarmArgs: aws.cloudwatch.MetricAlarmArgs) => applyTransform({ ...alarmArgs, region }, args.transforms?.alarm);
    const created = createAlarms(name, this, edgeAlarms(args.distributionId, thresholds), topicArn, alarmTransform);
    this.alarms = Object.fromEntries([...created].map(([key, alarm]) => [key, { name: alarm.name, arn: alarm.arn }]));

    if (args.dashboard !== false) {
      const dashboard = new aws.cloudwatch.Dashboard(childName(name, "dashboard"), applyTransform<aws.cloudwatch.DashboardArgs>({
        dashboardName: awsName(name, 255, /[^a-zA-Z0-9_-]/g),
        dashboardBody: pulumi.jsonStringify({ widgets: layout([edgeSection(args.distributionId, args.webAclMetricName)], region, [...created.values()].map((alarm) => alarm.arn)) }),
        region,
      }, args.transforms?.dashboard), { parent: this });
      this.dashboardName = dashboard.dashboardName;
    } else {
      this.dashboardName = undefined;
    }

    this.alarmTopicArn = topicArn;
    this.registerOutputs(definedOnly({ alarmTopicArn: this.alarmTopicArn, alarms: this.alarms, dashboardName: this.dashboardName }));
  }
}
