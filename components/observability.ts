import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "./conventions.js";
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
import { createXRay, type ResolvedXRay, resolveXRay, type XRayArgs } from "./observability/xray.js";
import { ArgsChecker } from "./common/args.js";
import { checkedEdgeRegion } from "./common/edge-region.js";
import { createNotificationTopic, type NotificationTopic, validateEmails } from "./common/notification-topic.js";
import { transform, type Transform } from "./common/transform.js";

export type { AlarmThresholds, DatabaseTargets, SearchTargets, WebTargets } from "./observability/alarms.js";
export { DEFAULT_THRESHOLDS } from "./observability/alarms.js";
export type { XRayArgs } from "./observability/xray.js";

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
  /** The database instance in this region. @default none: no database widgets or alarms */
  readonly database?: DatabaseTargets;
  /** The OpenSearch domain in this region. @default none: no search widgets or alarms */
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
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  readonly transforms?: {
    /** The alarm topic. */
    readonly topic?: Transform<aws.sns.TopicArgs>;
    /** The alarm topic's policy. */
    readonly topicPolicy?: Transform<aws.sns.TopicPolicyArgs>;
    /** Each email subscription to the alarm topic. */
    readonly topicSubscription?: Transform<aws.sns.TopicSubscriptionArgs>;
    /** Applied to every metric alarm (a function can tell them apart by the child's name). */
    readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
    /** The composite "platform unhealthy" alarm. */
    readonly compositeAlarm?: Transform<aws.cloudwatch.CompositeAlarmArgs>;
    /** The CloudWatch dashboard (only with `dashboard`). */
    readonly dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
    /** Applied to every app log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The X-Ray sampling rule. */
    readonly samplingRule?: Transform<aws.xray.SamplingRuleArgs>;
    /** The X-Ray group. */
    readonly xrayGroup?: Transform<aws.xray.GroupArgs>;
    /** The account's X-Ray encryption setting (only with `xray.encrypt`). */
    readonly xrayEncryption?: Transform<aws.xray.EncryptionConfigArgs>;
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

/** The regional args with their defaults applied, once checked. */
interface RegionalSettings {
  readonly thresholds: AlarmThresholds;
  readonly rpoSeconds: number;
  readonly logPrefix: string;
  readonly logNames: readonly string[];
  readonly retentionDays: number;
  readonly xray: ResolvedXRay | undefined;
}

function validateRegionalArgs(name: string, args: ObservabilityArgs): RegionalSettings {
  const check = new ArgsChecker(`Observability "${name}"`);
  validateEmails(args.alarmEmails ?? [], `${check.component}: alarmEmails`);
  const rpoSeconds = check.integer("rpoSeconds", args.rpoSeconds ?? 60, 1, 86_400);
  const positive = (value: number) => Number.isFinite(value) && value > 0;
  if (args.database && !positive(args.database.allocatedStorageGb)) check.fail("database.allocatedStorageGb", args.database.allocatedStorageGb, "a positive number");
  if (args.search && !positive(args.search.volumeGb)) check.fail("search.volumeGb", args.search.volumeGb, "a positive number");
  const thresholds = resolveThresholds(check, args.thresholds);
  const logPrefix = args.logGroupPrefix ?? `/shop/${pulumi.getStack()}`;
  const logNames = args.logGroups ?? DEFAULT_LOG_GROUPS;
  const retentionDays = args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  validateLogGroups(check, { prefix: logPrefix, names: logNames, retentionDays });
  const xray = args.xray === false ? undefined : resolveXRay(check, args.xray);
  return { thresholds, rpoSeconds, logPrefix, logNames, retentionDays, xray };
}

/**
 * Monitoring for one region: an encrypted SNS topic with email subscriptions, a dashboard, the
 * alarms for the parts present here (ALB, RDS, OpenSearch) with alarm and OK actions to the
 * topic, a composite "platform unhealthy" alarm, X-Ray sampling and a group, and the app log
 * groups. Create one per region (primary, and DR when the stack has one) with that region's
 * provider; CloudFront and WAF belong to EdgeObservability.
 *
 * @example
 * ```ts
 * new Observability("primary-observability", {
 *   kmsKeyArn: keys.keyArn("telemetry"),
 *   logsKmsKeyArn: keys.keyArn("logs"),
 *   alarmEmails: ["oncall@example.com"],
 *   web: { loadBalancerArnSuffix: lb.arnSuffix, targetGroupArnSuffix: lb.targetGroupArnSuffix, autoScalingGroupName: web.autoScalingGroupName },
 *   database: { instanceId: database.identifier, allocatedStorageGb: 100 },
 *   search: { domainName: search.domainName, volumeGb: 100 },
 * }, { provider: primaryProvider });
 * ```
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
    const settings = validateRegionalArgs(name, args);
    super("shop:observability:Observability", name, {}, opts);
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const search = this.searchTargets(args);

    const topic = this.createTopic(name, args).topic;
    const specs: AlarmSpec[] = [
      ...(args.web ? webAlarms(args.web, settings.thresholds) : []),
      ...(args.database ? databaseAlarms(args.database, settings.thresholds, settings.rpoSeconds) : []),
      ...(search ? searchAlarms(search, settings.thresholds) : []),
    ];
    const created = createAlarms(name, this, specs, topic.arn, args.transforms?.alarm);
    this.alarms = alarmRefs(created);
    this.healthyHostsAlarm = this.alarms["alb-healthy-hosts"];
    this.platformUnhealthyAlarm = this.createPlatformUnhealthyAlarm(name, args, specs, created, topic.arn);
    const alarmArns = [...[...created.values()].map((alarm) => alarm.arn), ...(this.platformUnhealthyAlarm ? [this.platformUnhealthyAlarm.arn] : [])];
    this.dashboardName = args.dashboard === false ? undefined : this.createDashboard(name, args, region, search, alarmArns).dashboardName;
    const traces = settings.xray === undefined ? undefined : this.createTraces(name, args, settings.xray);
    this.samplingRuleArn = traces?.samplingRule.arn;
    this.xrayGroupArn = traces?.group.arn;
    const logGroups = this.createLogGroups(name, args, settings);
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

  /** The search targets with the account (the domain's metrics carry a ClientId dimension). */
  private searchTargets(args: ObservabilityArgs): (SearchTargets & { readonly accountId: pulumi.Input<string> }) | undefined {
    if (!args.search) return undefined;
    return { ...args.search, accountId: args.search.accountId ?? aws.getCallerIdentityOutput({}, { parent: this }).accountId };
  }

  /** The encrypted alarm topic CloudWatch publishes to, with the email subscriptions. */
  private createTopic(name: string, args: ObservabilityArgs): NotificationTopic {
    return createNotificationTopic(childName(name, "alarms"), this, {
      kmsKeyArn: args.kmsKeyArn,
      emails: args.alarmEmails ?? [],
      publishers: ["cloudwatch"],
      dataClass: "telemetry",
      transform: args.transforms?.topic,
      policyTransform: args.transforms?.topicPolicy,
      subscriptionTransform: args.transforms?.topicSubscription,
    });
  }

  /** ALARM when any critical alarm is; undefined when nothing critical is monitored here. */
  private createPlatformUnhealthyAlarm(
    name: string,
    args: ObservabilityArgs,
    specs: readonly AlarmSpec[],
    created: ReadonlyMap<string, aws.cloudwatch.MetricAlarm>,
    topicArn: pulumi.Output<string>,
  ): AlarmRef | undefined {
    const criticalSpecs = specs.filter((spec) => spec.critical);
    const critical = criticalSpecs.map((spec) => created.get(spec.key)).filter((alarm) => alarm !== undefined);
    if (critical.length === 0) return undefined;
    const composite = new aws.cloudwatch.CompositeAlarm(...transform(args.transforms?.compositeAlarm, childName(name, "platform-unhealthy"), {
      alarmName: childName(name, "platform-unhealthy"),
      alarmDescription: `Platform unhealthy in this region: any of ${criticalSpecs.map((spec) => spec.key).join(", ")} is in ALARM. DR readiness reads this alarm.`,
      alarmRule: pulumi.all(critical.map((alarm) => alarm.name)).apply(anyInAlarm),
      actionsEnabled: true,
      alarmActions: [topicArn],
      okActions: [topicArn],
    }, { parent: this }));
    return { name: composite.alarmName, arn: composite.arn };
  }

  private createDashboard(
    name: string,
    args: ObservabilityArgs,
    region: pulumi.Output<string>,
    search: (SearchTargets & { readonly accountId: pulumi.Input<string> }) | undefined,
    alarmArns: readonly pulumi.Input<string>[],
  ): aws.cloudwatch.Dashboard {
    const sections: Section[] = [
      ...(args.web ? [webSection(args.web)] : []),
      ...(args.database ? [databaseSection(args.database)] : []),
      ...(search ? [searchSection(search)] : []),
    ];
    return new aws.cloudwatch.Dashboard(...transform(args.transforms?.dashboard, childName(name, "dashboard"), {
      // Dashboards are global to the account: the region keeps primary and DR apart.
      dashboardName: region.apply((r) => awsName(`${name}-${r}`, 255, /[^a-zA-Z0-9_-]/g)),
      dashboardBody: pulumi.jsonStringify({ widgets: layout(sections, region, alarmArns) }),
    }, { parent: this }));
  }

  private createTraces(name: string, args: ObservabilityArgs, xray: ResolvedXRay): { samplingRule: aws.xray.SamplingRule; group: aws.xray.Group } {
    return createXRay(name, this, xray, args.kmsKeyArn, {
      samplingRule: args.transforms?.samplingRule,
      group: args.transforms?.xrayGroup,
      encryption: args.transforms?.xrayEncryption,
    });
  }

  private createLogGroups(name: string, args: ObservabilityArgs, settings: RegionalSettings): Map<string, aws.cloudwatch.LogGroup> {
    return createAppLogGroups(name, this, {
      prefix: settings.logPrefix,
      names: settings.logNames,
      retentionDays: settings.retentionDays,
      kmsKeyArn: args.logsKmsKeyArn ?? args.kmsKeyArn,
      deletionProtection: args.logDeletionProtection ?? true,
      transform: args.transforms?.logGroup,
    });
  }
}

/** One metric alarm per spec, named after the component and the spec's key. */
function createAlarms(
  name: string,
  parent: pulumi.Resource,
  specs: readonly AlarmSpec[],
  topicArn: pulumi.Input<string>,
  change: Transform<aws.cloudwatch.MetricAlarmArgs> | undefined,
  extraArgs: Partial<aws.cloudwatch.MetricAlarmArgs> = {},
): Map<string, aws.cloudwatch.MetricAlarm> {
  return new Map(specs.map((spec) => [
    spec.key,
    new aws.cloudwatch.MetricAlarm(...transform(change, childName(name, spec.key), { ...metricAlarmArgs(spec, childName(name, spec.key), topicArn), ...extraArgs }, { parent })),
  ]));
}

function alarmRefs(created: ReadonlyMap<string, aws.cloudwatch.MetricAlarm>): Record<string, AlarmRef> {
  return Object.fromEntries([...created].map(([key, alarm]) => [key, { name: alarm.name, arn: alarm.arn }]));
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
  /**
   * Who the edge alarm topic emails (each address confirms its subscription once).
   * @default []
   */
  readonly alarmEmails?: readonly string[];
  /**
   * The CloudFront 5xx error rate, in percent, that raises the alarm.
   * @default { cloudFront5xxPercent: 5 }
   */
  readonly thresholds?: Pick<Partial<AlarmThresholds>, "cloudFront5xxPercent">;
  /**
   * A CloudWatch dashboard for CloudFront and WAF.
   * @default true
   */
  readonly dashboard?: boolean;
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  readonly transforms?: {
    /** The edge alarm topic. */
    readonly topic?: Transform<aws.sns.TopicArgs>;
    /** The edge alarm topic's policy. */
    readonly topicPolicy?: Transform<aws.sns.TopicPolicyArgs>;
    /** Each email subscription to the edge alarm topic. */
    readonly topicSubscription?: Transform<aws.sns.TopicSubscriptionArgs>;
    /** Applied to every metric alarm. */
    readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
    /** The CloudWatch dashboard (only with `dashboard`). */
    readonly dashboard?: Transform<aws.cloudwatch.DashboardArgs>;
  };
}

/**
 * The edge's monitoring, in us-east-1 (where CloudFront and CLOUDFRONT-scope WAF publish their
 * metrics): a dashboard for CloudFront and WAF, and a CloudFront 5xx alarm to its own topic
 * (alarms can only notify a topic in their region). Fails on a provider outside us-east-1.
 *
 * @example
 * ```ts
 * new EdgeObservability("edge-observability", {
 *   distributionId: cdn.distributionId,
 *   webAclMetricName: firewall.metricName,
 *   kmsKeyArn: edgeKeys.keyArn("telemetry"),
 *   alarmEmails: ["oncall@example.com"],
 * }, { provider: edgeProvider });
 * ```
 */
export class EdgeObservability extends pulumi.ComponentResource {
  public readonly alarmTopicArn: pulumi.Output<string>;
  public readonly alarms: Readonly<Record<string, AlarmRef>>;
  public readonly dashboardName: pulumi.Output<string> | undefined;

  constructor(name: string, args: EdgeObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const check = new ArgsChecker(`EdgeObservability "${name}"`);
    validateEmails(args.alarmEmails ?? [], `${check.component}: alarmEmails`);
    const thresholds = resolveThresholds(check, args.thresholds);
    super("shop:observability:EdgeObservability", name, {}, opts);

    // Every child carries the checked region, so a wrong provider fails them all.
    const region = checkedEdgeRegion(this, `EdgeObservability ${name}`);
    const topicArn = this.createTopic(name, args, region).topicArn;
    const created = createAlarms(name, this, edgeAlarms(args.distributionId, thresholds), topicArn, args.transforms?.alarm, { region });
    this.alarms = alarmRefs(created);
    this.dashboardName = args.dashboard === false ? undefined : this.createDashboard(name, args, region, created).dashboardName;

    this.alarmTopicArn = topicArn;
    this.registerOutputs(definedOnly({ alarmTopicArn: this.alarmTopicArn, alarms: this.alarms, dashboardName: this.dashboardName }));
  }

  private createTopic(name: string, args: EdgeObservabilityArgs, region: pulumi.Output<string>): NotificationTopic {
    return createNotificationTopic(childName(name, "alarms"), this, {
      kmsKeyArn: args.kmsKeyArn,
      emails: args.alarmEmails ?? [],
      publishers: ["cloudwatch"],
      dataClass: "telemetry",
      region,
      transform: args.transforms?.topic,
      policyTransform: args.transforms?.topicPolicy,
      subscriptionTransform: args.transforms?.topicSubscription,
    });
  }

  /** CloudFront's and WAF's graphs with the edge alarms, in us-east-1. */
  private createDashboard(name: string, args: EdgeObservabilityArgs, region: pulumi.Output<string>, created: ReadonlyMap<string, aws.cloudwatch.MetricAlarm>): aws.cloudwatch.Dashboard {
    const alarmArns = [...created.values()].map((alarm) => alarm.arn);
    return new aws.cloudwatch.Dashboard(...transform(args.transforms?.dashboard, childName(name, "dashboard"), {
      dashboardName: awsName(name, 255, /[^a-zA-Z0-9_-]/g),
      dashboardBody: pulumi.jsonStringify({ widgets: layout([edgeSection(args.distributionId, args.webAclMetricName)], region, alarmArns) }),
      region,
    }, { parent: this }));
  }
}
