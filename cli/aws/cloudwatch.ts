import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListTagsForResourceCommand,
  PutMetricDataCommand,
  type CompositeAlarm,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { clientSettings } from "./client-config.js";

export interface FiringAlarm {
  name: string;
  reason: string;
  since: Date | undefined;
}

export interface ReplicaLag {
  seconds: number;
  at: Date;
}

const LAG_WINDOW_MS = 15 * 60_000;

/**
 * The newest `ReplicaLag` datapoint RDS published for a read replica in the last 15 minutes
 * (RDS publishes it once a minute), or `undefined` when there is none yet.
 */
export async function replicaLag(region: string, instanceId: string, env: NodeJS.ProcessEnv, now = new Date()): Promise<ReplicaLag | undefined> {
  const client = new CloudWatchClient(clientSettings("CLOUDWATCH", region, env));
  try {
    const result = await client.send(new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - LAG_WINDOW_MS),
      EndTime: now,
      ScanBy: "TimestampDescending",
      MetricDataQueries: [{
        Id: "lag",
        MetricStat: {
          Metric: { Namespace: "AWS/RDS", MetricName: "ReplicaLag", Dimensions: [{ Name: "DBInstanceIdentifier", Value: instanceId }] },
          Period: 60,
          Stat: "Maximum",
        },
      }],
    }));
    const series = result.MetricDataResults?.find((candidate) => candidate.Id === "lag");
    const points = (series?.Timestamps ?? []).map((at, index) => ({ at, seconds: series?.Values?.[index] }));
    const latest = points
      .filter((point): point is ReplicaLag => point.seconds !== undefined)
      .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
    return latest;
  } finally {
    client.destroy();
  }
}

type AnyAlarm = (MetricAlarm | CompositeAlarm) & { AlarmArn?: string | undefined };

/**
 * The alarms in ALARM that belong to a stack: those carrying its Project and Environment tags
 * (every resource of the platform gets them from the providers' default tags), plus the named
 * platform alarm whatever its tags.
 */
export async function firingAlarms(
  region: string,
  owner: { project: string; stack: string; alwaysInclude?: readonly string[] },
  env: NodeJS.ProcessEnv,
): Promise<FiringAlarm[]> {
  const client = new CloudWatchClient(clientSettings("CLOUDWATCH", region, env));
  try {
    const alarms: AnyAlarm[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new DescribeAlarmsCommand({ StateValue: "ALARM", AlarmTypes: ["MetricAlarm", "CompositeAlarm"], NextToken: token, MaxRecords: 100 }));
      alarms.push(...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? []));
      token = page.NextToken;
    } while (token !== undefined && token !== "");

    const firing: FiringAlarm[] = [];
    for (const alarm of alarms) {
      const name = alarm.AlarmName ?? "";
      if (owner.alwaysInclude?.includes(name) !== true && !(await ownedBy(client, alarm.AlarmArn, owner))) continue;
      firing.push({ name, reason: alarm.StateReason ?? "", since: alarm.StateUpdatedTimestamp });
    }
    return firing.sort((a, b) => a.name.localeCompare(b.name));
  } finally {
    client.destroy();
  }
}

async function ownedBy(client: CloudWatchClient, arn: string | undefined, owner: { project: string; stack: string }): Promise<boolean> {
  if (arn === undefined) return false;
  const { Tags: tags = [] } = await client.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  const value = (key: string) => tags.find((tag) => tag.Key === key)?.Value;
  return value("Project") === owner.project && value("Environment") === owner.stack;
}

export interface MetricValue {
  name: string;
  value: number;
  unit: "Seconds" | "Count" | "None";
  dimensions: Readonly<Record<string, string>>;
  at: Date;
}

/** Publish figures (DR RTO/RPO, drill restore time) as custom metrics in one namespace. */
export async function putMetrics(region: string, namespace: string, metrics: readonly MetricValue[], env: NodeJS.ProcessEnv): Promise<void> {
  const client = new CloudWatchClient(clientSettings("CLOUDWATCH", region, env));
  try {
    await client.send(new PutMetricDataCommand({
      Namespace: namespace,
      MetricData: metrics.map((metric) => ({
        MetricName: metric.name,
        Value: metric.value,
        Unit: metric.unit,
        Timestamp: metric.at,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      })),
    }));
  } finally {
    client.destroy();
  }
}
