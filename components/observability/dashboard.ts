import type * as pulumi from "@pulumi/pulumi";
import type { DatabaseTargets, Dimensions, SearchTargets, WebTargets } from "./alarms.js";

// CloudWatch dashboard bodies as plain data: sections of graphs laid out on the 24-column grid.
// Values may be Inputs (ARN suffixes, ids); the component resolves them with pulumi.jsonStringify.

export interface Line {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Dimensions;
  readonly stat: string;
  readonly label?: string;
}

export interface Graph {
  readonly title: string;
  readonly lines: readonly Line[];
  /** Percent, bytes, ...: shown as the left axis label. */
  readonly unit?: string;
}

export interface Section {
  readonly title: string;
  readonly graphs: readonly Graph[];
}

type Row = pulumi.Input<string | Readonly<Record<string, string>>>[];

export interface Widget {
  readonly type: "metric" | "alarm" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

const GRID = 24;
const GRAPH_WIDTH = 8;
const GRAPH_HEIGHT = 6;

function metricRow(line: Line): Row {
  const dims = Object.entries(line.dimensions).flatMap(([name, value]): pulumi.Input<string>[] => [name, value]);
  return [line.namespace, line.metricName, ...dims, { stat: line.stat, ...(line.label === undefined ? {} : { label: line.label }) }];
}

/** Lays out sections top to bottom: a heading, then graphs three to a row. */
export function layout(sections: readonly Section[], region: pulumi.Input<string>, alarmArns: readonly pulumi.Input<string>[] = []): Widget[] {
  const widgets: Widget[] = [];
  let y = 0;
  if (alarmArns.length > 0) {
    widgets.push({ type: "alarm", x: 0, y, width: GRID, height: 4, properties: { title: "Alarms", alarms: [...alarmArns], sortBy: "stateUpdatedTimestamp" } });
    y += 4;
  }
  for (const section of sections) {
    if (section.graphs.length === 0) continue;
    widgets.push({ type: "text", x: 0, y, width: GRID, height: 1, properties: { markdown: `## ${section.title}` } });
    y += 1;
    section.graphs.forEach((graph, index) => {
      const column = index % (GRID / GRAPH_WIDTH);
      if (index > 0 && column === 0) y += GRAPH_HEIGHT;
      widgets.push({
        type: "metric",
        x: column * GRAPH_WIDTH,
        y,
        width: GRAPH_WIDTH,
        height: GRAPH_HEIGHT,
        properties: {
          title: graph.title,
          region,
          view: "timeSeries",
          stacked: false,
          period: 60,
          metrics: graph.lines.map(metricRow),
          ...(graph.unit === undefined ? {} : { yAxis: { left: { label: graph.unit, showUnits: false } } }),
        },
      });
    });
    y += GRAPH_HEIGHT;
  }
  return widgets;
}

const ELB = "AWS/ApplicationELB";

export function webSection(web: WebTargets): Section {
  const lb = { LoadBalancer: web.loadBalancerArnSuffix };
  const targets = { TargetGroup: web.targetGroupArnSuffix, LoadBalancer: web.loadBalancerArnSuffix };
  const graphs: Graph[] = [
    { title: "ALB requests", lines: [{ namespace: ELB, metricName: "RequestCount", dimensions: lb, stat: "Sum", label: "requests" }] },
    {
      title: "ALB 4xx / 5xx",
      lines: [
        { namespace: ELB, metricName: "HTTPCode_ELB_4XX_Count", dimensions: lb, stat: "Sum", label: "ELB 4xx" },
        { namespace: ELB, metricName: "HTTPCode_Target_4XX_Count", dimensions: lb, stat: "Sum", label: "target 4xx" },
        { namespace: ELB, metricName: "HTTPCode_ELB_5XX_Count", dimensions: lb, stat: "Sum", label: "ELB 5xx" },
        { namespace: ELB, metricName: "HTTPCode_Target_5XX_Count", dimensions: lb, stat: "Sum", label: "target 5xx" },
      ],
    },
    {
      title: "Target response time",
      unit: "seconds",
      lines: ["p50", "p90", "p99"].map((stat) => ({ namespace: ELB, metricName: "TargetResponseTime", dimensions: lb, stat, label: stat })),
    },
    {
      title: "Targets",
      lines: [
        { namespace: ELB, metricName: "HealthyHostCount", dimensions: targets, stat: "Minimum", label: "healthy" },
        { namespace: ELB, metricName: "UnHealthyHostCount", dimensions: targets, stat: "Maximum", label: "unhealthy" },
      ],
    },
  ];
  if (web.autoScalingGroupName !== undefined) {
    const group = { AutoScalingGroupName: web.autoScalingGroupName };
    graphs.push(
      { title: "ASG instances in service", lines: [{ namespace: "AWS/AutoScaling", metricName: "GroupInServiceInstances", dimensions: group, stat: "Average", label: "in service" }] },
      {
        title: "ASG CPU",
        unit: "%",
        lines: [
          { namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: group, stat: "Average", label: "average" },
          { namespace: "AWS/EC2", metricName: "CPUUtilization", dimensions: group, stat: "Maximum", label: "max" },
        ],
      },
    );
  }
  return { title: "Web tier", graphs };
}

export function databaseSection(db: DatabaseTargets): Section {
  const instance = { DBInstanceIdentifier: db.instanceId };
  const line = (metricName: string, stat: string, label?: string): Line => ({ namespace: "AWS/RDS", metricName, dimensions: instance, stat, ...(label === undefined ? {} : { label }) });
  const graphs: Graph[] = [
    { title: "RDS CPU", unit: "%", lines: [line("CPUUtilization", "Average")] },
    { title: "RDS connections", lines: [line("DatabaseConnections", "Maximum")] },
    { title: "RDS freeable memory", unit: "bytes", lines: [line("FreeableMemory", "Minimum")] },
    { title: "RDS free storage", unit: "bytes", lines: [line("FreeStorageSpace", "Minimum")] },
    { title: "RDS latency", unit: "seconds", lines: [line("ReadLatency", "Average", "read"), line("WriteLatency", "Average", "write")] },
  ];
  if (db.isReplica === true) graphs.push({ title: "RDS replica lag", unit: "seconds", lines: [line("ReplicaLag", "Maximum")] });
  return { title: db.isReplica === true ? "Database (replica)" : "Database", graphs };
}

export function searchSection(search: SearchTargets & { readonly accountId: pulumi.Input<string> }): Section {
  const domain = { DomainName: search.domainName, ClientId: search.accountId };
  const line = (metricName: string, stat: string, label?: string): Line => ({ namespace: "AWS/ES", metricName, dimensions: domain, stat, ...(label === undefined ? {} : { label }) });
  return {
    title: "Search",
    graphs: [
      { title: "OpenSearch cluster status", lines: [line("ClusterStatus.green", "Maximum", "green"), line("ClusterStatus.yellow", "Maximum", "yellow"), line("ClusterStatus.red", "Maximum", "red")] },
      { title: "OpenSearch CPU", unit: "%", lines: [line("CPUUtilization", "Maximum")] },
      { title: "OpenSearch JVM memory pressure", unit: "%", lines: [line("JVMMemoryPressure", "Maximum")] },
      { title: "OpenSearch free storage", unit: "MiB", lines: [line("FreeStorageSpace", "Minimum")] },
      { title: "OpenSearch indexing and search rates", lines: [line("IndexingRate", "Average", "indexing"), line("SearchRate", "Average", "search")] },
    ],
  };
}

/** CloudFront and WAF: their metrics exist only in us-east-1. */
export function edgeSection(distributionId: pulumi.Input<string>, webAclMetricName: pulumi.Input<string> | undefined): Section {
  const distribution = { DistributionId: distributionId, Region: "Global" };
  const cf = (metricName: string, stat: string, label?: string): Line => ({ namespace: "AWS/CloudFront", metricName, dimensions: distribution, stat, ...(label === undefined ? {} : { label }) });
  const graphs: Graph[] = [
    { title: "CloudFront requests", lines: [cf("Requests", "Sum")] },
    { title: "CloudFront error rates", unit: "%", lines: [cf("4xxErrorRate", "Average", "4xx"), cf("5xxErrorRate", "Average", "5xx")] },
    { title: "CloudFront bytes downloaded", unit: "bytes", lines: [cf("BytesDownloaded", "Sum")] },
  ];
  if (webAclMetricName !== undefined) {
    // Rule "ALL" is the web ACL's total; a CLOUDFRONT-scope ACL has no Region dimension.
    const acl = { WebACL: webAclMetricName, Rule: "ALL" };
    graphs.push({
      title: "WAF requests",
      lines: [
        { namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: acl, stat: "Sum", label: "blocked" },
        { namespace: "AWS/WAFV2", metricName: "AllowedRequests", dimensions: acl, stat: "Sum", label: "allowed" },
      ],
    });
  }
  return { title: "Edge", graphs };
}
