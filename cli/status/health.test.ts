// Status logic over mocked AWS answers (aws-sdk-client-mock): the cases moto cannot produce, such
// as backup recovery points, replica lag over the RPO or a domain mid-upgrade. The happy path
// against moto is in status.integration.test.ts.
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeDomainCommand, OpenSearchClient } from "@aws-sdk/client-opensearch";
import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stackOutputs } from "../../test/stack-outputs.js";
import { collectHealth, renderHealth, type RegionHealth } from "./health.js";

const asg = mockClient(AutoScalingClient);
const rds = mockClient(RDSClient);
const cloudwatch = mockClient(CloudWatchClient);
const opensearch = mockClient(OpenSearchClient);
const backup = mockClient(BackupClient);
const NOW = new Date("2025-06-01T12:00:00Z");
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);
const outputs = stackOutputs("prod");
const env = { SHOPCTL_AWS_ENDPOINT_URL: "http://127.0.0.1:9" };

function healthy(): void {
  asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: { AutoScalingGroupNames?: string[] }) => {
    const name = input.AutoScalingGroupNames?.[0] ?? "";
    const count = name.endsWith("-dr-web") ? 2 : 3;
    return { AutoScalingGroups: [{ AutoScalingGroupName: name, DesiredCapacity: count, MinSize: count, MaxSize: 12, Instances: Array.from({ length: count }, (_, index) => ({ InstanceId: `i-${index}`, AvailabilityZone: "eu-west-1a", ProtectedFromScaleIn: false, LifecycleState: "InService", HealthStatus: "Healthy" })) }] };
  });
  rds.on(DescribeDBInstancesCommand).callsFake((input: { DBInstanceIdentifier?: string }) => ({
    DBInstances: [{ DBInstanceIdentifier: input.DBInstanceIdentifier, DBInstanceStatus: "available", MultiAZ: !String(input.DBInstanceIdentifier).includes("-dr-"), EngineVersion: "16.4", ReadReplicaSourceDBInstanceIdentifier: String(input.DBInstanceIdentifier).includes("-dr-") ? outputs.primary.databaseArn : undefined }],
  }));
  cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag", Timestamps: [hoursAgo(0.1), hoursAgo(0.05)], Values: [30, 4] }] });
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [], CompositeAlarms: [] });
  opensearch.on(DescribeDomainCommand).callsFake((input: { DomainName?: string }) => ({ DomainStatus: { DomainName: input.DomainName, DomainId: "x", ARN: "arn", ClusterConfig: {}, Processing: false, UpgradeProcessing: false, Deleted: false, DomainProcessingStatus: "Active", EngineVersion: "OpenSearch_2.19" } }));
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [
    { RecoveryPointArn: "arn:old", CreationDate: hoursAgo(30), Status: "COMPLETED", ResourceType: "RDS" },
    { RecoveryPointArn: "arn:new", CreationDate: hoursAgo(9), Status: "COMPLETED", ResourceType: "RDS" },
  ] });
}

const byCheck = (region: RegionHealth | undefined) => Object.fromEntries((region?.checks ?? []).map((check) => [check.check, [check.status, check.summary]]));

beforeEach(() => { healthy(); });
afterEach(() => { for (const mock of [asg, rds, cloudwatch, opensearch, backup]) mock.reset(); });

describe("collectHealth", () => {
  it("reads every check in both regions and calls a healthy stack healthy", async () => {
    const health = await collectHealth(outputs, env, NOW);
    expect(health.status).toBe("healthy");
    expect(byCheck(health.regions[0])).toEqual({
      web: ["ok", "3/3 in service (min 3, max 12)"],
      database: ["ok", "available, Multi-AZ, PostgreSQL 16.4"],
      search: ["ok", "Active, OpenSearch_2.19"],
      alarms: ["ok", "none in ALARM"],
      backup: ["ok", "newest 2025-06-01T03:00:00.000Z (9h ago, COMPLETED, RDS)"],
    });
    expect(byCheck(health.regions[1])).toMatchObject({ database: ["ok", "available, read replica, PostgreSQL 16.4"], "replica-lag": ["ok", "4s behind (RPO 60s)"] });
    expect(rds.commandCalls(DescribeDBInstancesCommand).map((call) => call.args[0].input.DBInstanceIdentifier).sort()).toEqual(["shop-prod-db", "shop-prod-dr-db"]);
    expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([{ Name: "DBInstanceIdentifier", Value: "shop-prod-dr-db" }]);
  });

  it("fails replica lag over the RPO and a fleet with nothing in service", async () => {
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag", Timestamps: [hoursAgo(0.02)], Values: [95] }] });
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: "shop-prod-web", DefaultCooldown: 300, AvailabilityZones: ["eu-west-1a"], HealthCheckType: "ELB", CreatedTime: NOW, DesiredCapacity: 3, MinSize: 3, MaxSize: 12, Instances: [{ InstanceId: "i-1", AvailabilityZone: "eu-west-1a", ProtectedFromScaleIn: false, LifecycleState: "Pending", HealthStatus: "Healthy" }] }] });
    const health = await collectHealth(outputs, env, NOW);
    expect(health.status).toBe("unhealthy");
    expect(byCheck(health.regions[1])["replica-lag"]).toEqual(["fail", "95s behind, over the RPO of 60s"]);
    expect(byCheck(health.regions[0]).web).toEqual(["fail", "0/3 in service (min 3, max 12)"]);
  });

  it("lists the stack's alarms in ALARM, identified by its Project and Environment tags", async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [
        { AlarmName: "shop-prod-5xx", AlarmArn: "arn:ours", StateValue: "ALARM", StateReason: "Threshold crossed", StateUpdatedTimestamp: hoursAgo(1) },
        { AlarmName: "other-team-cpu", AlarmArn: "arn:theirs", StateValue: "ALARM" },
      ],
      CompositeAlarms: [{ AlarmName: "shop-prod-platform-unhealthy", AlarmArn: "arn:composite", StateValue: "ALARM" }],
    });
    cloudwatch.on(ListTagsForResourceCommand, { ResourceARN: "arn:ours" }).resolves({ Tags: [{ Key: "Project", Value: "shop-platform" }, { Key: "Environment", Value: "prod" }] });
    cloudwatch.on(ListTagsForResourceCommand, { ResourceARN: "arn:theirs" }).resolves({ Tags: [{ Key: "Project", Value: "search-team" }] });
    const health = await collectHealth(outputs, env, NOW);
    expect(byCheck(health.regions[0]).alarms).toEqual(["fail", "2 in ALARM: shop-prod-5xx, shop-prod-platform-unhealthy"]);
    expect(health.regions[0]?.checks.find((check) => check.check === "alarms")?.details).toEqual({
      firing: [
        { name: "shop-prod-5xx", reason: "Threshold crossed", since: hoursAgo(1).toISOString() },
        { name: "shop-prod-platform-unhealthy", reason: "", since: null },
      ],
    });
  });

  it("warns on an old or unfinished backup, a missing replica-lag datapoint and a domain mid-change", async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: "arn:old", CreationDate: hoursAgo(50), Status: "COMPLETED" }] });
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "lag", Timestamps: [], Values: [] }] });
    opensearch.on(DescribeDomainCommand).resolves({ DomainStatus: { DomainName: "d", DomainId: "x", ARN: "arn", ClusterConfig: {}, Processing: true, DomainProcessingStatus: "UpgradingEngineVersion", EngineVersion: "OpenSearch_2.17" } });
    const health = await collectHealth(outputs, env, NOW);
    expect(health.status).toBe("degraded");
    expect(byCheck(health.regions[0]).backup).toEqual(["warn", "newest 2025-05-30T10:00:00.000Z (50h ago, COMPLETED)"]);
    expect(byCheck(health.regions[1])["replica-lag"]).toEqual(["warn", "no ReplicaLag datapoint in the last 15 minutes"]);
    expect(byCheck(health.regions[0]).search).toEqual(["warn", "UpgradingEngineVersion (change in progress), OpenSearch_2.17"]);
  });

  it("reports what could not be read, per check, without hiding the rest", async () => {
    rds.on(DescribeDBInstancesCommand).rejects(new DBInstanceNotFoundFault({ message: "DBInstance shop-prod-db not found", $metadata: {} }));
    backup.on(ListRecoveryPointsByBackupVaultCommand).rejects(Object.assign(new Error("User is not authorized to perform backup:ListRecoveryPointsByBackupVault"), { name: "AccessDeniedException" }));
    const health = await collectHealth(outputs, env, NOW);
    expect(byCheck(health.regions[0]).database).toEqual(["fail", "RDS instance shop-prod-db not found"]);
    expect(byCheck(health.regions[0]).backup).toEqual(["error", "could not read: AccessDeniedException: User is not authorized to perform backup:ListRecoveryPointsByBackupVault"]);
    expect(byCheck(health.regions[0]).web?.[0]).toBe("ok");
    expect(health.status).toBe("unhealthy");
  });

  it("checks only the primary region of a stack without DR, and renders a table per region", async () => {
    const single = stackOutputs("dev", { tier: "dev", drStrategy: "none", dr: undefined });
    const health = await collectHealth(single, env, NOW);
    expect(health.regions.map((region) => region.role)).toEqual(["primary"]);
    const text = renderHealth(single, health);
    expect(text).toContain("Stack dev (tier dev, DR none): healthy   https://shop.example.com");
    expect(text).toContain("primary eu-west-1\n  ok    web         3/3 in service (min 3, max 12)");
  });
});
