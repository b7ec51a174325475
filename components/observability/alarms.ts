import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ArgsChecker } from "../common/args.js";

// What the platform alarms on, as plain specs: the component turns each into a MetricAlarm with
// alarm and OK actions. Every spec chooses treatMissingData on purpose; the comment says why.

export type TreatMissingData = "breaching" | "notBreaching" | "ignore" | "missing";
export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";
export type Dimensions = Readonly<Record<string, pulumi.Input<string>>>;

export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
}

/** One metric and one statistic: the only shape a Route 53 CLOUDWATCH_METRIC health check accepts. */
export interface SingleMetricSource {
  readonly kind: "metric";
  readonly metric: MetricRef;
  readonly period: number;
  /** A standard statistic, or a percentile such as `p99` (then sparse samples are ignored). */
  readonly statistic: "Average" | "Minimum" | "Maximum" | "Sum" | "SampleCount" | `p${number}`;
}

/** Metric math over a few metrics (ids are lower-case); the expression is what is compared. */
export interface MathSource {
  readonly kind: "math";
  readonly expression: string;
  readonly label: string;
  readonly period: number;
  readonly metrics: Readonly<Record<string, MetricRef & { readonly stat: string }>>;
}

export interface AlarmSpec {
  /** Stable key: the alarm is named `<component>-<key>`. */
  readonly key: string;
  readonly description: string;
  readonly source: SingleMetricSource | MathSource;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  /** M of N: alarm when this many of the evaluation periods breach. @default evaluationPeriods */
  readonly datapointsToAlarm?: number;
  readonly treatMissingData: TreatMissingData;
  /** Part of the composite "platform unhealthy" alarm. */
  readonly critical: boolean;
}

/** Alarm thresholds; every one can be overridden. */
export interface AlarmThresholds {
  /** ALB 5xx responses (ELB and targets) as a percentage of requests. @default 1 */
  readonly alb5xxPercent: number;
  /** Below this many requests a minute the 5xx rate counts as 0, so one error at night does not page. @default 10 */
  readonly albMinRequestsPerMinute: number;
  /** Target response time p99, in seconds. @default 1.5 */
  readonly albP99LatencySeconds: number;
  /** Fewer healthy targets than this is an outage (the Route 53 health check reads this alarm). @default 1 */
  readonly minHealthyHosts: number;
  /** RDS CPU, percent. @default 80 */
  readonly rdsCpuPercent: number;
  /** RDS free storage as a percentage of the allocated storage. @default 10 */
  readonly rdsFreeStoragePercent: number;
  /** OpenSearch JVM memory pressure, percent. @default 80 */
  readonly searchJvmPressurePercent: number;
  /** OpenSearch free storage on the fullest node as a percentage of its volume (AWS recommends 25). @default 25 */
  readonly searchFreeStoragePercent: number;
  /** CloudFront 5xx error rate, percent of requests (edge). @default 5 */
  readonly cloudFront5xxPercent: number;
}

export const DEFAULT_THRESHOLDS: AlarmThresholds = {
  alb5xxPercent: 1,
  albMinRequestsPerMinute: 10,
  albP99LatencySeconds: 1.5,
  minHealthyHosts: 1,
  rdsCpuPercent: 80,
  rdsFreeStoragePercent: 10,
  searchJvmPressurePercent: 80,
  searchFreeStoragePercent: 25,
  cloudFront5xxPercent: 5,
};

const PERCENTAGES = ["alb5xxPercent", "rdsCpuPercent", "rdsFreeStoragePercent", "searchJvmPressurePercent", "searchFreeStoragePercent", "cloudFront5xxPercent"] as const;

/** The defaults with the overrides on top; each override is checked. */
export function resolveThresholds(check: ArgsChecker, overrides: Partial<AlarmThresholds> = {}): AlarmThresholds {
  const known = new Set(Object.keys(DEFAULT_THRESHOLDS));
  const unknown = Object.keys(overrides).filter((key) => !known.has(key));
  check.require(unknown.length === 0, "thresholds", unknown, `unknown threshold ${unknown.join(", ")}; known: ${[...known].join(", ")}`);
  const thresholds: AlarmThresholds = { ...DEFAULT_THRESHOLDS, ...overrides };
  for (const key of PERCENTAGES) {
    const value = thresholds[key];
    if (!(Number.isFinite(value) && value > 0 && value < 100)) check.fail(`thresholds.${key}`, value, "a percentage above 0 and below 100");
  }
  if (!(Number.isFinite(thresholds.albP99LatencySeconds) && thresholds.albP99LatencySeconds > 0)) {
    check.fail("thresholds.albP99LatencySeconds", thresholds.albP99LatencySeconds, "a positive number of seconds");
  }
  for (const key of ["albMinRequestsPerMinute", "minHealthyHosts"] as const) {
    const min = key === "minHealthyHosts" ? 1 : 0;
    if (!(Number.isInteger(thresholds[key]) && thresholds[key] >= min)) check.fail(`thresholds.${key}`, thresholds[key], `a whole number from ${min}`);
  }
  return thresholds;
}

/** The web tier in this region: the ALB and its target group (their CloudWatch ARN suffixes). */
export interface WebTargets {
  /** `app/<name>/<id>`: the ALB's `arnSuffix`. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** `targetgroup/<name>/<id>`: the target group's `arnSuffix`. */
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  /** The web fleet's Auto Scaling group (dashboard only; group metrics must be enabled on it). @default none: no fleet graph */
  readonly autoScalingGroupName?: pulumi.Input<string>;
}

/** The database instance in this region: the primary, or in the DR region its cross-region replica. */
export interface DatabaseTargets {
  /** The RDS instance identifier (the `DBInstanceIdentifier` dimension). */
  readonly instanceId: pulumi.Input<string>;
  /** GiB allocated: free storage is alarmed as a percentage of it (RDS publishes no total). */
  readonly allocatedStorageGb: number;
  /** The instance is a read replica: adds the replica-lag widget and alarm (threshold: the RPO). @default false */
  readonly isReplica?: boolean;
}

/** The OpenSearch domain in this region. */
export interface SearchTargets {
  /** The OpenSearch domain's name (the `DomainName` dimension). */
  readonly domainName: pulumi.Input<string>;
  /** Account that owns the domain (the `ClientId` dimension). @default the deploying account */
  readonly accountId?: pulumi.Input<string>;
  /** EBS volume per data node in GiB: free storage is alarmed as a percentage of it. */
  readonly volumeGb: number;
}

const ELB = "AWS/ApplicationELB";
const RDS = "AWS/RDS";
const ES = "AWS/ES";
const GIB = 1024 ** 3;

export function webAlarms(web: WebTargets, t: AlarmThresholds): AlarmSpec[] {
  const lb = { LoadBalancer: web.loadBalancerArnSuffix };
  const targets = { TargetGroup: web.targetGroupArnSuffix, LoadBalancer: web.loadBalancerArnSuffix };
  return [
    {
      key: "alb-5xx-rate",
      description: `ALB 5xx responses (load balancer and targets) above ${t.alb5xxPercent}% of requests for 3 of 5 minutes`,
      source: {
        kind: "math",
        label: "5xx % of requests",
        period: 60,
        expression: `IF(requests >= ${t.albMinRequestsPerMinute}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
        metrics: {
          requests: { namespace: ELB, metricName: "RequestCount", dimensions: lb, stat: "Sum" },
          elb5xx: { namespace: ELB, metricName: "HTTPCode_ELB_5XX_Count", dimensions: lb, stat: "Sum" },
          target5xx: { namespace: ELB, metricName: "HTTPCode_Target_5XX_Count", dimensions: lb, stat: "Sum" },
        },
      },
      comparison: "GreaterThanThreshold",
      threshold: t.alb5xxPercent,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // No requests means no RequestCount datapoints: an idle store is not failing.
      treatMissingData: "notBreaching",
      critical: true,
    },
    {
      key: "alb-p99-latency",
      description: `ALB target response time p99 above ${t.albP99LatencySeconds}s for 3 of 5 minutes`,
      source: { kind: "metric", metric: { namespace: ELB, metricName: "TargetResponseTime", dimensions: lb }, statistic: "p99", period: 60 },
      comparison: "GreaterThanThreshold",
      threshold: t.albP99LatencySeconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // Latency exists only when requests do; silence is covered by the healthy-hosts alarm.
      treatMissingData: "notBreaching",
      critical: false,
    },
    {
      key: "alb-unhealthy-hosts",
      description: "At least one ALB target unhealthy for 3 of 5 minutes",
      source: { kind: "metric", metric: { namespace: ELB, metricName: "UnHealthyHostCount", dimensions: targets }, statistic: "Maximum", period: 60 },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // A target group with no registered targets reports nothing; the healthy-hosts alarm owns outages.
      treatMissingData: "notBreaching",
      critical: false,
    },
    {
      key: "alb-healthy-hosts",
      description: `Fewer than ${t.minHealthyHosts} healthy ALB target(s) for 2 minutes; a Route 53 health check reads this alarm`,
      // Single metric, standard statistic, no M-of-N: what a CLOUDWATCH_METRIC health check accepts.
      source: { kind: "metric", metric: { namespace: ELB, metricName: "HealthyHostCount", dimensions: targets }, statistic: "Minimum", period: 60 },
      comparison: "LessThanThreshold",
      threshold: t.minHealthyHosts,
      evaluationPeriods: 2,
      // The ALB reports this every minute while it lives: silence means it is gone, so fail over.
      treatMissingData: "breaching",
      critical: true,
    },
  ];
}

export function databaseAlarms(db: DatabaseTargets, t: AlarmThresholds, rpoSeconds: number): AlarmSpec[] {
  const instance = { DBInstanceIdentifier: db.instanceId };
  const freeBytes = Math.round(db.allocatedStorageGb * GIB * (t.rdsFreeStoragePercent / 100));
  const specs: AlarmSpec[] = [
    {
      key: "rds-cpu",
      description: `RDS CPU above ${t.rdsCpuPercent}% for 15 minutes`,
      source: { kind: "metric", metric: { namespace: RDS, metricName: "CPUUtilization", dimensions: instance }, statistic: "Average", period: 300 },
      comparison: "GreaterThanThreshold",
      threshold: t.rdsCpuPercent,
      evaluationPeriods: 3,
      // An instance that stops reporting is not busy: keep the last state rather than invent one.
      treatMissingData: "missing",
      critical: false,
    },
    {
      key: "rds-free-storage",
      description: `RDS free storage under ${t.rdsFreeStoragePercent}% of ${db.allocatedStorageGb} GiB for 10 minutes`,
      source: { kind: "metric", metric: { namespace: RDS, metricName: "FreeStorageSpace", dimensions: instance }, statistic: "Minimum", period: 300 },
      comparison: "LessThanThreshold",
      threshold: freeBytes,
      evaluationPeriods: 2,
      // Gaps in a storage gauge say nothing about the disk filling up: keep the last state.
      treatMissingData: "missing",
      critical: true,
    },
  ];
  if (db.isReplica === true) {
    specs.push({
      key: "rds-replica-lag",
      description: `RDS replica lag above the RPO budget of ${rpoSeconds}s for 3 of 5 minutes`,
      source: { kind: "metric", metric: { namespace: RDS, metricName: "ReplicaLag", dimensions: instance }, statistic: "Maximum", period: 60 },
      comparison: "GreaterThanThreshold",
      threshold: rpoSeconds,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      // A replica that stops reporting lag is not replicating as far as anyone can prove: the RPO is at risk.
      treatMissingData: "breaching",
      critical: true,
    });
  }
  return specs;
}

export function searchAlarms(search: SearchTargets & { readonly accountId: pulumi.Input<string> }, t: AlarmThresholds): AlarmSpec[] {
  const domain = { DomainName: search.domainName, ClientId: search.accountId };
  const freeMiB = Math.round(search.volumeGb * 1024 * (t.searchFreeStoragePercent / 100));
  const metric = (metricName: string) => ({ namespace: ES, metricName, dimensions: domain });
  return [
    {
      key: "search-red",
      description: "OpenSearch cluster status red (a primary shard is unassigned) for 1 minute",
      source: { kind: "metric", metric: metric("ClusterStatus.red"), statistic: "Maximum", period: 60 },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      // The domain reports status every minute; a silent domain cannot serve search either.
      treatMissingData: "breaching",
      critical: true,
    },
    {
      key: "search-yellow",
      description: "OpenSearch cluster status yellow (a replica shard is unassigned) for 5 minutes",
      // Yellow is normal for a few minutes during blue/green changes and shard relocation.
      source: { kind: "metric", metric: metric("ClusterStatus.yellow"), statistic: "Maximum", period: 60 },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 5,
      // Silence is the red alarm's business; yellow only speaks for replicas.
      treatMissingData: "notBreaching",
      critical: false,
    },
    {
      key: "search-jvm-pressure",
      description: `OpenSearch JVM memory pressure above ${t.searchJvmPressurePercent}% for 15 minutes`,
      source: { kind: "metric", metric: metric("JVMMemoryPressure"), statistic: "Maximum", period: 300 },
      comparison: "GreaterThanThreshold",
      threshold: t.searchJvmPressurePercent,
      evaluationPeriods: 3,
      // Gaps in a gauge are not memory pressure: keep the last state.
      treatMissingData: "missing",
      critical: false,
    },
    {
      key: "search-free-storage",
      description: `OpenSearch free storage on a node under ${t.searchFreeStoragePercent}% of its ${search.volumeGb} GiB volume`,
      source: { kind: "metric", metric: metric("FreeStorageSpace"), statistic: "Minimum", period: 60 },
      comparison: "LessThanOrEqualToThreshold",
      threshold: freeMiB,
      evaluationPeriods: 1,
      // Gaps in a gauge are not a full disk: keep the last state.
      treatMissingData: "missing",
      critical: false,
    },
    {
      key: "search-snapshot-failure",
      description: "OpenSearch automated snapshot failed",
      source: { kind: "metric", metric: metric("AutomatedSnapshotFailure"), statistic: "Maximum", period: 60 },
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      evaluationPeriods: 1,
      // Only a reported failure is a failure; the red alarm covers a silent domain.
      treatMissingData: "notBreaching",
      critical: false,
    },
  ];
}

/** The edge (us-east-1): CloudFront's own error rate, what shoppers actually see. */
export function edgeAlarms(distributionId: pulumi.Input<string>, t: AlarmThresholds): AlarmSpec[] {
  return [{
    key: "cloudfront-5xx-rate",
    description: `CloudFront 5xx error rate above ${t.cloudFront5xxPercent}% of requests for 3 of 5 minutes`,
    source: {
      kind: "metric",
      metric: { namespace: "AWS/CloudFront", metricName: "5xxErrorRate", dimensions: { DistributionId: distributionId, Region: "Global" } },
      statistic: "Average",
      period: 60,
    },
    comparison: "GreaterThanThreshold",
    threshold: t.cloudFront5xxPercent,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    // CloudFront publishes error rates only while it serves requests: no traffic, no errors.
    treatMissingData: "notBreaching",
    critical: false,
  }];
}

/** `ALARM("a") OR ALARM("b")`: the composite rule over the critical alarms. */
export function anyInAlarm(alarmNames: readonly string[]): string {
  if (alarmNames.length === 0) throw new Error("a composite alarm needs at least one alarm to watch");
  return alarmNames.map((name) => `ALARM(${JSON.stringify(name)})`).join(" OR ");
}

/** The MetricAlarm args for a spec: named, with alarm and OK actions to the topic. */
export function metricAlarmArgs(spec: AlarmSpec, alarmName: string, topicArn: pulumi.Input<string>): aws.cloudwatch.MetricAlarmArgs {
  const common: aws.cloudwatch.MetricAlarmArgs = {
    name: alarmName,
    alarmDescription: spec.description,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    ...(spec.datapointsToAlarm === undefined ? {} : { datapointsToAlarm: spec.datapointsToAlarm }),
    treatMissingData: spec.treatMissingData,
    actionsEnabled: true,
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
  const source = spec.source;
  if (source.kind === "metric") {
    const percentile = source.statistic.startsWith("p");
    return {
      ...common,
      namespace: source.metric.namespace,
      metricName: source.metric.metricName,
      dimensions: { ...source.metric.dimensions },
      period: source.period,
      // A percentile over a handful of requests is noise: ignore periods with too few samples.
      ...(percentile ? { extendedStatistic: source.statistic, evaluateLowSampleCountPercentiles: "ignore" } : { statistic: source.statistic }),
    };
  }
  return {
    ...common,
    metricQueries: [
      ...Object.entries(source.metrics).map(([id, metric]) => ({
        id,
        returnData: false,
        metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: { ...metric.dimensions }, period: source.period, stat: metric.stat },
      })),
      { id: "result", expression: source.expression, label: source.label, returnData: true },
    ],
  };
}
