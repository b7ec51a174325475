import { beforeAll, describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { EdgeObservabilityArgs, ObservabilityArgs } from "./observability.js";

const TELEMETRY_KEY = "arn:aws:kms:eu-west-1:123456789012:key/33333333-3333-3333-3333-333333333333";
const LOGS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/44444444-4444-4444-4444-444444444444";
const EDGE_KEY = "arn:aws:kms:us-east-1:123456789012:key/55555555-5555-5555-5555-555555555555";
const ALB = "app/shop-prod-web/0123456789abcdef";
const TARGETS = "targetgroup/shop-prod-web/fedcba9876543210";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

type Region = "eu-west-1" | "eu-central-1" | "us-east-1";

/** The stack's shapes: prod primary (everything), prod DR (the replica), dev (one small region). */
const PROD_PRIMARY: ObservabilityArgs = {
  kmsKeyArn: TELEMETRY_KEY,
  logsKmsKeyArn: LOGS_KEY,
  alarmEmails: ["oncall@example.com"],
  rpoSeconds: 60,
  web: { loadBalancerArnSuffix: ALB, targetGroupArnSuffix: TARGETS, autoScalingGroupName: "shop-prod-web" },
  database: { instanceId: "shop-prod-catalog", allocatedStorageGb: 100 },
  search: { domainName: "shop-prod-search", volumeGb: 100 },
};
const PROD_DR: ObservabilityArgs = {
  ...PROD_PRIMARY,
  web: { loadBalancerArnSuffix: "app/shop-prod-dr-web/1111111111111111", targetGroupArnSuffix: "targetgroup/shop-prod-dr-web/2222222222222222" },
  database: { instanceId: "shop-prod-catalog-replica", allocatedStorageGb: 100, isReplica: true },
  search: { domainName: "shop-prod-dr-search", volumeGb: 20 },
};
const DEV: ObservabilityArgs = {
  kmsKeyArn: TELEMETRY_KEY,
  rpoSeconds: 3600,
  logRetentionDays: 30,
  logDeletionProtection: false,
  web: { loadBalancerArnSuffix: ALB, targetGroupArnSuffix: TARGETS },
  database: { instanceId: "shop-dev-catalog", allocatedStorageGb: 20 },
  search: { domainName: "shop-dev-search", volumeGb: 10 },
};

/** Stack outputs without the absent parts (the engine warns about undefined outputs). */
function defined<T extends object>(outputs: T): Partial<T> {
  return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined)) as Partial<T>;
}

async function runRegional(args: ObservabilityArgs, region: Region = "eu-west-1", preview = false) {
  return runUnderMocks(async () => {
    const aws = await import("@pulumi/aws");
    const { Observability } = await import("./observability.js");
    const provider = new aws.Provider("regional", { region, defaultTags: { tags: { Project: "shop-platform" } } });
    const ops = new Observability("shop-ops", args, { provider });
    return defined({
      region: ops.region,
      alarmTopicArn: ops.alarmTopicArn,
      alarms: ops.alarms,
      healthyHostsAlarm: ops.healthyHostsAlarm,
      platformUnhealthyAlarm: ops.platformUnhealthyAlarm,
      dashboardName: ops.dashboardName,
      logGroupNames: ops.logGroupNames,
      samplingRuleArn: ops.samplingRuleArn,
      xrayGroupArn: ops.xrayGroupArn,
    });
  }, { stack: "test", preview });
}

async function runEdge(args: Partial<EdgeObservabilityArgs> = {}, region: Region = "us-east-1") {
  return runUnderMocks(async () => {
    const aws = await import("@pulumi/aws");
    const { EdgeObservability } = await import("./observability.js");
    const provider = new aws.Provider("edge", { region });
    const edge = new EdgeObservability("shop-edge", { distributionId: "E2QWRUHAPOMQZL", webAclMetricName: "shop-edge-acl", kmsKeyArn: EDGE_KEY, ...args }, { provider });
    return { alarmTopicArn: edge.alarmTopicArn, alarms: edge.alarms, dashboardName: edge.dashboardName };
  }, { stack: "test" });
}

function alarmsByKey(resources: CollectedResource[], prefix = "shop-ops-"): Map<string, CollectedResource> {
  return new Map(findResources(resources, ALARM).map((alarm) => [alarm.name.slice(prefix.length), alarm]));
}

interface DashboardWidget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: { title?: string; region?: string; metrics?: unknown[][]; alarms?: string[]; markdown?: string };
}

function dashboardOf(resources: CollectedResource[]): DashboardWidget[] {
  const body = JSON.parse(String(findResource(resources, "aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody)) as { widgets: DashboardWidget[] };
  return body.widgets;
}

function metricNames(widget: DashboardWidget | undefined): unknown[] {
  return (widget?.properties.metrics ?? []).map((row) => row[1]);
}

describe("Observability (one region) under the mock cloud", () => {
  it("an encrypted alarm topic that only CloudWatch alarms of this account and region may publish to", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const topic = findResource(run.resources, "aws:sns/topic:Topic");
    expect(topic.inputs).toMatchObject({ name: "shop-ops-alarms", kmsMasterKeyId: TELEMETRY_KEY, tags: { DataClass: "telemetry" } });
    expect(topic.region).toBe("eu-west-1");
    const policy = JSON.parse(String(findResource(run.resources, "aws:sns/topicPolicy:TopicPolicy").inputs.policy)) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: run.outputs.alarmTopicArn,
      Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*" }, StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    const subscription = findResource(run.resources, "aws:sns/topicSubscription:TopicSubscription");
    expect(subscription.inputs).toMatchObject({ protocol: "email", endpoint: "oncall@example.com", topic: run.outputs.alarmTopicArn });
    expect(subscription.inputs.filterPolicy).toBeUndefined();
  });

  it("every alarm, composite included, sends both ALARM and OK to the topic and says how it treats missing data", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const topicArn = run.outputs.alarmTopicArn;
    const alarms = [...findResources(run.resources, ALARM), ...findResources(run.resources, COMPOSITE)];
    expect(alarms).toHaveLength(12);
    for (const alarm of alarms) {
      expect(alarm.inputs, alarm.name).toMatchObject({ actionsEnabled: true, alarmActions: [topicArn], okActions: [topicArn] });
      expect(alarm.region).toBe("eu-west-1");
    }
    for (const alarm of findResources(run.resources, ALARM)) {
      expect(["breaching", "notBreaching", "missing"], alarm.name).toContain(alarm.inputs.treatMissingData);
      expect(String(alarm.inputs.alarmDescription), alarm.name).not.toBe("");
    }
  });

  it("prod primary: the ALB, RDS and OpenSearch alarms with their thresholds", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const alarms = alarmsByKey(run.resources);
    expect([...alarms.keys()].sort()).toEqual([
      "alb-5xx-rate", "alb-healthy-hosts", "alb-p99-latency", "alb-unhealthy-hosts",
      "rds-cpu", "rds-free-storage",
      "search-free-storage", "search-jvm-pressure", "search-red", "search-snapshot-failure", "search-yellow",
    ]);
    expect(alarms.get("rds-cpu")?.inputs).toMatchObject({ metricName: "CPUUtilization", namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: "shop-prod-catalog" }, threshold: 80, comparisonOperator: "GreaterThanThreshold" });
    // 10% of 100 GiB, in bytes: RDS reports FreeStorageSpace in bytes.
    expect(alarms.get("rds-free-storage")?.inputs).toMatchObject({ metricName: "FreeStorageSpace", statistic: "Minimum", threshold: 10 * 1024 ** 3, comparisonOperator: "LessThanThreshold" });
    const searchDims = { DomainName: "shop-prod-search", ClientId: "123456789012" };
    expect(alarms.get("search-red")?.inputs).toMatchObject({ namespace: "AWS/ES", metricName: "ClusterStatus.red", dimensions: searchDims, threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", treatMissingData: "breaching" });
    expect(alarms.get("search-yellow")?.inputs).toMatchObject({ metricName: "ClusterStatus.yellow", evaluationPeriods: 5, treatMissingData: "notBreaching" });
    expect(alarms.get("search-jvm-pressure")?.inputs).toMatchObject({ metricName: "JVMMemoryPressure", threshold: 80, comparisonOperator: "GreaterThanThreshold" });
    // 25% of a 100 GiB volume, in MiB: OpenSearch reports FreeStorageSpace in megabytes.
    expect(alarms.get("search-free-storage")?.inputs).toMatchObject({ metricName: "FreeStorageSpace", threshold: 25_600, comparisonOperator: "LessThanOrEqualToThreshold" });
    expect(alarms.get("search-snapshot-failure")?.inputs).toMatchObject({ metricName: "AutomatedSnapshotFailure", threshold: 1, treatMissingData: "notBreaching" });
    expect(run.resources.some((resource) => resource.name === "shop-ops-rds-replica-lag")).toBe(false);
  });

  it("the 5xx rate is metric math over ELB and target 5xx per request, guarded against a quiet night", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const alarm = alarmsByKey(run.resources).get("alb-5xx-rate");
    expect(alarm?.inputs).toMatchObject({ threshold: 1, comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 5, datapointsToAlarm: 3, treatMissingData: "notBreaching" });
    expect(alarm?.inputs.metricName).toBeUndefined();
    const queries = alarm?.inputs.metricQueries as { id: string; expression?: string; returnData: boolean; metric?: { metricName: string; stat: string; dimensions: Record<string, string> } }[];
    expect(queries.filter((query) => query.returnData).map((query) => query.id)).toEqual(["result"]);
    expect(queries.find((query) => query.id === "result")?.expression).toBe("IF(requests >= 10, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)");
    expect(queries.filter((query) => query.metric).map((query) => [query.id, query.metric?.metricName, query.metric?.stat, query.metric?.dimensions.LoadBalancer])).toEqual([
      ["requests", "RequestCount", "Sum", ALB],
      ["elb5xx", "HTTPCode_ELB_5XX_Count", "Sum", ALB],
      ["target5xx", "HTTPCode_Target_5XX_Count", "Sum", ALB],
    ]);
  });

  it("the p99 latency alarm uses the percentile and ignores sparse samples", async () => {
    const run = await runRegional(PROD_PRIMARY);
    expect(alarmsByKey(run.resources).get("alb-p99-latency")?.inputs).toMatchObject({
      metricName: "TargetResponseTime", extendedStatistic: "p99", evaluateLowSampleCountPercentiles: "ignore", threshold: 1.5,
    });
  });

  it("the healthy-hosts alarm is one metric with a standard statistic, so Route 53 can use it, and is exposed", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const alarm = alarmsByKey(run.resources).get("alb-healthy-hosts");
    expect(alarm?.inputs).toMatchObject({
      name: "shop-ops-alb-healthy-hosts",
      namespace: "AWS/ApplicationELB",
      metricName: "HealthyHostCount",
      dimensions: { TargetGroup: TARGETS, LoadBalancer: ALB },
      statistic: "Minimum",
      period: 60,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      treatMissingData: "breaching",
    });
    for (const unsupported of ["metricQueries", "extendedStatistic", "datapointsToAlarm"]) expect(alarm?.inputs[unsupported], unsupported).toBeUndefined();
    expect(run.outputs.healthyHostsAlarm).toEqual({ name: "shop-ops-alb-healthy-hosts", arn: "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:shop-ops-alb-healthy-hosts" });
  });

  it("the composite 'platform unhealthy' watches the critical alarms and is exposed for DR readiness", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const composite = findResource(run.resources, COMPOSITE);
    expect(composite.inputs.alarmName).toBe("shop-ops-platform-unhealthy");
    expect(composite.inputs.alarmRule).toBe(
      'ALARM("shop-ops-alb-5xx-rate") OR ALARM("shop-ops-alb-healthy-hosts") OR ALARM("shop-ops-rds-free-storage") OR ALARM("shop-ops-search-red")',
    );
    expect(run.outputs.platformUnhealthyAlarm?.name).toBe("shop-ops-platform-unhealthy");
  });

  it("prod DR: the replica's lag is alarmed against the RPO budget and counts as platform health", async () => {
    const run = await runRegional({ ...PROD_DR, rpoSeconds: 300 }, "eu-central-1");
    const lag = alarmsByKey(run.resources).get("rds-replica-lag");
    expect(lag?.region).toBe("eu-central-1");
    expect(lag?.inputs).toMatchObject({
      metricName: "ReplicaLag", dimensions: { DBInstanceIdentifier: "shop-prod-catalog-replica" }, statistic: "Maximum",
      threshold: 300, comparisonOperator: "GreaterThanThreshold", treatMissingData: "breaching",
    });
    expect(String(findResource(run.resources, COMPOSITE).inputs.alarmRule)).toContain('ALARM("shop-ops-rds-replica-lag")');
    const widgets = dashboardOf(run.resources);
    expect(widgets.find((widget) => widget.properties.title === "RDS replica lag")?.properties.region).toBe("eu-central-1");
    expect(run.outputs.dashboardName).toBe("shop-ops-eu-central-1");
  });

  it("a dashboard with the ALB, ASG, RDS and OpenSearch graphs and every alarm", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const widgets = dashboardOf(run.resources);
    expect(run.outputs.dashboardName).toBe("shop-ops-eu-west-1");
    const graphs = widgets.filter((widget) => widget.type === "metric");
    expect(graphs.map((widget) => widget.properties.title)).toEqual([
      "ALB requests", "ALB 4xx / 5xx", "Target response time", "Targets", "ASG instances in service", "ASG CPU",
      "RDS CPU", "RDS connections", "RDS freeable memory", "RDS free storage", "RDS latency",
      "OpenSearch cluster status", "OpenSearch CPU", "OpenSearch JVM memory pressure", "OpenSearch free storage", "OpenSearch indexing and search rates",
    ]);
    for (const graph of graphs) expect(graph.properties.region, graph.properties.title).toBe("eu-west-1");
    const byTitle = (title: string) => graphs.find((widget) => widget.properties.title === title);
    expect(byTitle("Target response time")?.properties.metrics?.map((row) => row.at(-1))).toEqual([
      { stat: "p50", label: "p50" }, { stat: "p90", label: "p90" }, { stat: "p99", label: "p99" },
    ]);
    expect(byTitle("Targets")?.properties.metrics?.[0]).toEqual(["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", TARGETS, "LoadBalancer", ALB, { stat: "Minimum", label: "healthy" }]);
    expect(metricNames(byTitle("ASG instances in service"))).toEqual(["GroupInServiceInstances"]);
    expect(metricNames(byTitle("RDS latency"))).toEqual(["ReadLatency", "WriteLatency"]);
    expect(metricNames(byTitle("OpenSearch cluster status"))).toEqual(["ClusterStatus.green", "ClusterStatus.yellow", "ClusterStatus.red"]);
    expect(metricNames(byTitle("OpenSearch indexing and search rates"))).toEqual(["IndexingRate", "SearchRate"]);
    const alarmWidget = widgets.find((widget) => widget.type === "alarm");
    expect(alarmWidget?.properties.alarms).toHaveLength(12);
    expect(alarmWidget?.properties.alarms).toContain(run.outputs.healthyHostsAlarm?.arn);
  });

  it("X-Ray: a 5% sampling rule with a 1/s reservoir, a group for the storefront, traces encrypted with the telemetry key", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const rule = findResource(run.resources, "aws:xray/samplingRule:SamplingRule");
    expect(rule.inputs).toMatchObject({
      ruleName: "shop-ops-sampling", fixedRate: 0.05, reservoirSize: 1, priority: 1000, version: 1,
      serviceName: "storefront", serviceType: "*", host: "*", httpMethod: "*", urlPath: "*", resourceArn: "*",
    });
    expect(String(rule.inputs.ruleName).length).toBeLessThanOrEqual(32);
    expect(findResource(run.resources, "aws:xray/group:Group").inputs).toMatchObject({
      groupName: "shop-ops", filterExpression: 'service("storefront")', insightsConfiguration: { insightsEnabled: true, notificationsEnabled: true },
    });
    expect(findResource(run.resources, "aws:xray/encryptionConfig:EncryptionConfig").inputs).toEqual({ type: "KMS", keyId: TELEMETRY_KEY });
    expect(run.outputs.samplingRuleArn).toMatch(/^arn:aws:xray:eu-west-1:123456789012:sampling-rule\/shop-ops-sampling$/);
  });

  it("prod: app log groups kept 400 days, encrypted with the logs key, protected from deletion", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const groups = findResources(run.resources, LOG_GROUP);
    expect(groups.map((group) => group.inputs.name)).toEqual(["/shop/test/storefront/audit", "/shop/test/shopctl/operations"]);
    for (const group of groups) {
      expect(group.inputs).toMatchObject({ retentionInDays: 400, kmsKeyId: LOGS_KEY, deletionProtectionEnabled: true, tags: { DataClass: "logs" } });
    }
    expect(run.outputs.logGroupNames).toEqual({ "storefront/audit": "/shop/test/storefront/audit", "shopctl/operations": "/shop/test/shopctl/operations" });
  });

  it("dev differs from prod only through args: shorter retention, no deletion protection, no emails, the DB's own budget", async () => {
    const run = await runRegional(DEV);
    for (const group of findResources(run.resources, LOG_GROUP)) {
      expect(group.inputs).toMatchObject({ retentionInDays: 30, kmsKeyId: TELEMETRY_KEY, deletionProtectionEnabled: false });
    }
    expect(run.resources.some((resource) => resource.type === "aws:sns/topicSubscription:TopicSubscription")).toBe(false);
    const alarms = alarmsByKey(run.resources);
    expect(alarms.get("rds-free-storage")?.inputs.threshold).toBe(2 * 1024 ** 3);
    expect(alarms.get("search-free-storage")?.inputs.threshold).toBe(2560);
    // Without DR there is no replica, so no lag alarm, whatever the RPO.
    expect(alarms.has("rds-replica-lag")).toBe(false);
  });

  it("every log group has a retention and a key, whatever the shape of the region", async () => {
    for (const [args, region] of [[PROD_PRIMARY, "eu-west-1"], [PROD_DR, "eu-central-1"], [DEV, "eu-west-1"]] as const) {
      const run = await runRegional(args, region);
      for (const group of findResources(run.resources, LOG_GROUP)) {
        expect(group.inputs.retentionInDays, String(group.inputs.name)).toBeGreaterThan(0);
        expect(String(group.inputs.kmsKeyId), String(group.inputs.name)).toMatch(/^arn:aws:kms:/);
      }
    }
  });

  it("a region with nothing to watch still has the topic, log groups and X-Ray, but no composite or alarms", async () => {
    const run = await runRegional({ kmsKeyArn: TELEMETRY_KEY, dashboard: false, xray: false });
    expect(run.resources.some((resource) => resource.type === ALARM || resource.type === COMPOSITE)).toBe(false);
    expect(run.resources.some((resource) => resource.type.startsWith("aws:xray/"))).toBe(false);
    expect(findResources(run.resources, LOG_GROUP)).toHaveLength(2);
    expect(run.outputs.alarms).toEqual({});
    for (const absent of ["healthyHostsAlarm", "platformUnhealthyAlarm", "dashboardName", "samplingRuleArn", "xrayGroupArn"] as const) expect(run.outputs[absent], absent).toBeUndefined();
  });

  it("thresholds, names and transforms can be overridden", async () => {
    const run = await runRegional({
      ...PROD_PRIMARY,
      thresholds: { alb5xxPercent: 2, albMinRequestsPerMinute: 50, minHealthyHosts: 2, searchJvmPressurePercent: 90 },
      logGroupPrefix: "/acme/prod/",
      logGroups: ["web/app"],
      logRetentionDays: 731,
      xray: { fixedRate: 0.1, reservoirSize: 5, serviceName: "shop-web", encrypt: false },
      transforms: {
        alarm: (args, _opts, name) => {
          if (name === "shop-ops-rds-cpu") args.threshold = 95;
        },
        compositeAlarm: { alarmDescription: "custom" },
        dashboard: { dashboardName: "custom-dashboard" },
        logGroup: { logGroupClass: "INFREQUENT_ACCESS" },
        samplingRule: { urlPath: "/api/*" },
        xrayGroup: { groupName: "custom-group" },
        topic: { displayName: "Shop alarms" },
        topicPolicy: (_args, opts) => {
          opts.ignoreChanges = ["policy"];
        },
        topicSubscription: { rawMessageDelivery: false },
      },
    });
    const alarms = alarmsByKey(run.resources);
    expect(alarms.get("rds-cpu")?.inputs.threshold).toBe(95);
    expect(alarms.get("rds-free-storage")?.inputs.threshold).toBe(10 * 1024 ** 3);
    expect(alarms.get("alb-healthy-hosts")?.inputs.threshold).toBe(2);
    expect(alarms.get("search-jvm-pressure")?.inputs.threshold).toBe(90);
    const queries = alarms.get("alb-5xx-rate")?.inputs.metricQueries as { id: string; expression?: string }[];
    expect(queries.find((query) => query.id === "result")?.expression).toMatch(/^IF\(requests >= 50, /);
    expect(alarms.get("alb-5xx-rate")?.inputs.threshold).toBe(2);
    expect(findResource(run.resources, COMPOSITE).inputs.alarmDescription).toBe("custom");
    expect(run.outputs.dashboardName).toBe("custom-dashboard");
    expect(findResource(run.resources, LOG_GROUP).inputs).toMatchObject({ name: "/acme/prod/web/app", retentionInDays: 731, logGroupClass: "INFREQUENT_ACCESS" });
    expect(findResource(run.resources, "aws:xray/samplingRule:SamplingRule").inputs).toMatchObject({ fixedRate: 0.1, reservoirSize: 5, serviceName: "shop-web", urlPath: "/api/*" });
    expect(findResource(run.resources, "aws:xray/group:Group").inputs.groupName).toBe("custom-group");
    expect(run.resources.some((resource) => resource.type === "aws:xray/encryptionConfig:EncryptionConfig")).toBe(false);
    expect(findResource(run.resources, "aws:sns/topic:Topic").inputs.displayName).toBe("Shop alarms");
    expect(findResource(run.resources, "aws:sns/topicPolicy:TopicPolicy").ignoreChanges).toEqual(["policy"]);
    expect(findResource(run.resources, "aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({ rawMessageDelivery: false, protocol: "email" });
  });

  it("a function transform can rename a child and set its options; objects merge into nested args", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await runRegional({
      ...PROD_PRIMARY,
      transforms: {
        compositeAlarm: (args, opts, name) => {
          args.actionsEnabled = false;
          opts.protect = true;
          opts.ignoreChanges = ["alarmRule"];
          seen.push(opts);
          return `${name}-v2`;
        },
        xrayGroup: { tags: { Team: "ops" } },
        xrayEncryption: (_args, opts) => {
          opts.ignoreChanges = ["keyId"];
        },
      },
    });
    const composite = findResource(run.resources, COMPOSITE);
    expect(composite.name).toBe("shop-ops-platform-unhealthy-v2");
    expect(composite.inputs).toMatchObject({ actionsEnabled: false, alarmName: "shop-ops-platform-unhealthy" });
    expect(composite.ignoreChanges).toEqual(["alarmRule"]);
    expect(composite.parent).toBe(findResource(run.resources, "shop:observability:Observability").urn);
    expect(seen[0]?.protect).toBe(true);
    // Plain objects merge key by key: the DataClass tag stays.
    expect(findResource(run.resources, "aws:xray/group:Group").inputs.tags).toEqual({ DataClass: "telemetry", Team: "ops" });
    expect(findResource(run.resources, "aws:xray/encryptionConfig:EncryptionConfig").ignoreChanges).toEqual(["keyId"]);
  });

  it("every child sits under the component", async () => {
    const run = await runRegional(PROD_PRIMARY);
    const component = findResource(run.resources, "shop:observability:Observability");
    for (const resource of run.resources.filter((item) => item.custom && item.type !== "pulumi:providers:aws")) {
      expect(resource.parent, `${resource.type} ${resource.name}`).toBe(component.urn);
    }
  });

  it("previews with unknown ARNs and ids", async () => {
    const run = await runRegional(PROD_PRIMARY, "eu-west-1", true);
    expect(findResources(run.resources, ALARM)).toHaveLength(11);
    expect(run.outputs.alarmTopicArn).toBeUndefined();
  });
});

describe("EdgeObservability under the mock cloud", () => {
  it("a CloudFront 5xx alarm and a CloudFront and WAF dashboard in us-east-1", async () => {
    const run = await runEdge({ alarmEmails: ["oncall@example.com"] });
    const alarm = findResource(run.resources, ALARM);
    expect(alarm.region).toBe("us-east-1");
    expect(alarm.inputs).toMatchObject({
      name: "shop-edge-cloudfront-5xx-rate", namespace: "AWS/CloudFront", metricName: "5xxErrorRate",
      dimensions: { DistributionId: "E2QWRUHAPOMQZL", Region: "Global" }, statistic: "Average", threshold: 5,
      alarmActions: [run.outputs.alarmTopicArn], okActions: [run.outputs.alarmTopicArn], treatMissingData: "notBreaching",
    });
    expect(findResource(run.resources, "aws:sns/topic:Topic").inputs).toMatchObject({ kmsMasterKeyId: EDGE_KEY, region: "us-east-1" });
    const graphs = dashboardOf(run.resources).filter((widget) => widget.type === "metric");
    expect(graphs.map((widget) => widget.properties.title)).toEqual(["CloudFront requests", "CloudFront error rates", "CloudFront bytes downloaded", "WAF requests"]);
    for (const graph of graphs) expect(graph.properties.region).toBe("us-east-1");
    expect(graphs.at(-1)?.properties.metrics?.[0]).toEqual(["AWS/WAFV2", "BlockedRequests", "WebACL", "shop-edge-acl", "Rule", "ALL", { stat: "Sum", label: "blocked" }]);
    expect(run.outputs.dashboardName).toBe("shop-edge");
  });

  it("without a web ACL there is no WAF graph; the threshold can be changed", async () => {
    const run = await runEdge({ webAclMetricName: undefined, thresholds: { cloudFront5xxPercent: 2 } });
    expect(dashboardOf(run.resources).some((widget) => widget.properties.title === "WAF requests")).toBe(false);
    expect(findResource(run.resources, ALARM).inputs.threshold).toBe(2);
  });

  it("refuses a provider outside us-east-1", async () => {
    await expect(runEdge({}, "eu-west-1")).rejects.toThrow(/EdgeObservability shop-edge must be created with an aws.Provider for us-east-1 .* but its provider is in eu-west-1/);
  });

  it("transforms: objects merge into the alarms' args, a function renames the dashboard and sets its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await runEdge({
      alarmEmails: ["oncall@example.com"],
      transforms: {
        alarm: { evaluationPeriods: 5 },
        topicSubscription: { confirmationTimeoutInMinutes: 5 },
        dashboard: (_args, opts, name) => {
          opts.protect = true;
          opts.ignoreChanges = ["dashboardBody"];
          seen.push(opts);
          return `${name}-main`;
        },
      },
    });
    expect(findResource(run.resources, ALARM).inputs).toMatchObject({ evaluationPeriods: 5, region: "us-east-1", namespace: "AWS/CloudFront" });
    expect(findResource(run.resources, "aws:sns/topicSubscription:TopicSubscription").inputs).toMatchObject({ confirmationTimeoutInMinutes: 5, region: "us-east-1" });
    const dashboard = findResource(run.resources, "aws:cloudwatch/dashboard:Dashboard");
    expect(dashboard.name).toBe("shop-edge-dashboard-main");
    expect(dashboard.ignoreChanges).toEqual(["dashboardBody"]);
    expect(seen[0]?.protect).toBe(true);
  });
});

describe("Observability refuses bad args before declaring anything", () => {
  let observability: typeof import("./observability.js");
  beforeAll(async () => {
    observability = await import("./observability.js");
  });
  const regional = (args: Partial<ObservabilityArgs>) => () => new observability.Observability("shop-ops", { kmsKeyArn: TELEMETRY_KEY, ...args });

  it.each([
    ["a malformed email", { alarmEmails: ["oncall"] }, /alarmEmails: "oncall" is not an email address/],
    ["an RPO of zero", { rpoSeconds: 0 }, /Observability "shop-ops": rpoSeconds is 0; expected an integer from 1 to 86400/],
    ["a database without storage", { database: { instanceId: "db", allocatedStorageGb: 0 } }, /database.allocatedStorageGb is 0; expected a positive number/],
    ["a search domain with a negative volume", { search: { domainName: "s", volumeGb: -1 } }, /search.volumeGb is -1; expected a positive number/],
    ["an unknown threshold", { thresholds: { cpu: 50 } as never }, /unknown threshold cpu; known: alb5xxPercent/],
    ["a percentage of 100", { thresholds: { rdsCpuPercent: 100 } }, /thresholds.rdsCpuPercent is 100; expected a percentage above 0 and below 100/],
    ["a zero latency", { thresholds: { albP99LatencySeconds: 0 } }, /albP99LatencySeconds is 0; expected a positive number of seconds/],
    ["no healthy host required", { thresholds: { minHealthyHosts: 0 } }, /thresholds.minHealthyHosts is 0; expected a whole number from 1/],
    ["a retention CloudWatch does not offer", { logRetentionDays: 100 }, /logRetentionDays is 100; expected one of 1, 3, 5/],
    ["a log group name with a space", { logGroups: ["store front"] }, /log group "\/shop\/(.*\/)?store front" must be 1 to 512 letters/],
    ["the same log group twice", { logGroups: ["app", "app"] }, /log group \/shop\/(.*\/)?app is listed twice/],
    ["a sampling rate above 1", { xray: { fixedRate: 5 } }, /xray.fixedRate is 5; expected a share of requests from 0 to 1/],
    ["a negative reservoir", { xray: { reservoirSize: -1 } }, /xray.reservoirSize is -1; expected a whole number of requests a second, 0 or more/],
    ["a priority of 0", { xray: { priority: 0 } }, /xray.priority is 0; expected an integer from 1 to 9999/],
    ["a service name X-Ray refuses", { xray: { serviceName: "shop<web>" } }, /xray.serviceName is "shop<web>"; expected 1 to 64 characters/],
  ] satisfies [string, Partial<ObservabilityArgs>, RegExp][])("%s", (_label, args, message) => {
    expect(regional(args)).toThrow(message);
  });

  it("EdgeObservability: a bad email or threshold", () => {
    const edge = (args: Partial<EdgeObservabilityArgs>) => () => new observability.EdgeObservability("shop-edge", { distributionId: "E1", kmsKeyArn: EDGE_KEY, ...args });
    expect(edge({ alarmEmails: ["x@"] })).toThrow(/EdgeObservability "shop-edge": alarmEmails: "x@" is not an email address/);
    expect(edge({ thresholds: { cloudFront5xxPercent: 0 } })).toThrow(/EdgeObservability "shop-edge": thresholds.cloudFront5xxPercent is 0; expected a percentage above 0 and below 100/);
  });
});
