// `shopctl status` against moto on loopback: the AWS resources are created in moto through the
// SDK, a stub engine returns outputs naming them, and status reads their live state. moto has no
// AWS Backup recovery points, so that one client is mocked (aws-sdk-client-mock).
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateLaunchConfigurationCommand } from "@aws-sdk/client-auto-scaling";
import { BackupClient, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeImagesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateDomainCommand, OpenSearchClient } from "@aws-sdk/client-opensearch";
import { CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../../test/memory-io.js";
import { serviceEndpoints } from "../../test/services.js";
import { regionOutputs, stackOutputs } from "../../test/stack-outputs.js";
import { StubEngine, stubDeps } from "../../test/stub-engine.js";
import { status } from "../commands/core/status-action.js";
import { ExitCode } from "../exit-codes.js";
import type { StackHealth } from "./health.js";

const { motoUrl } = serviceEndpoints();
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
const awsVariables = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_EC2_METADATA_DISABLED: "true" };
const saved = Object.fromEntries(Object.keys(awsVariables).map((key) => [key, process.env[key]]));
// moto is shared by every test run: names are unique per run.
const id = `st${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
const PRIMARY = "eu-west-1";
const DR = "eu-central-1";
const backupMock = mockClient(BackupClient);

const client = <T>(Client: new (config: object) => T, region: string): T => new Client({ region, endpoint: motoUrl, credentials });

async function createFleet(region: string, name: string, size: number): Promise<void> {
  const ec2 = client(EC2Client, region);
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
  const imageId = images.Images?.[0]?.ImageId ?? "ami-12c6146b";
  const autoscaling = client(AutoScalingClient, region);
  await autoscaling.send(new CreateLaunchConfigurationCommand({ LaunchConfigurationName: `${name}-lc`, ImageId: imageId, InstanceType: "t4g.small" }));
  await autoscaling.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: name, LaunchConfigurationName: `${name}-lc`, MinSize: size, MaxSize: 6, DesiredCapacity: size, AvailabilityZones: [`${region}a`, `${region}b`],
  }));
}

async function taggedAlarm(region: string, name: string, state: "ALARM" | "OK", tags: Record<string, string>): Promise<void> {
  const cloudwatch = client(CloudWatchClient, region);
  await cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: name, Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_Target_5XX_Count", Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 10,
    ComparisonOperator: "GreaterThanThreshold", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
  }));
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: `${state} for the status test` }));
}

beforeAll(async () => {
  Object.assign(process.env, awsVariables);
  const rdsPrimary = client(RDSClient, PRIMARY);
  const primaryDb = await rdsPrimary.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: `${id}-db`, DBInstanceClass: "db.t4g.micro", Engine: "postgres", EngineVersion: "16.4", AllocatedStorage: 20,
    MasterUsername: "shop", MasterUserPassword: "not-a-real-password-1", MultiAZ: true,
  }));
  await client(RDSClient, DR).send(new CreateDBInstanceReadReplicaCommand({
    DBInstanceIdentifier: `${id}-dr-db`, SourceDBInstanceIdentifier: primaryDb.DBInstance?.DBInstanceArn, DBInstanceClass: "db.t4g.micro",
  }));
  await createFleet(PRIMARY, `${id}-web`, 2);
  await createFleet(DR, `${id}-dr-web`, 1);
  for (const [region, name] of [[PRIMARY, `${id}-search`], [DR, `${id}-dr-search`]] as const) {
    await client(OpenSearchClient, region).send(new CreateDomainCommand({ DomainName: name, EngineVersion: "OpenSearch_2.19" }));
  }
  // RDS publishes ReplicaLag for the replica; here the test publishes it.
  await client(CloudWatchClient, DR).send(new PutMetricDataCommand({
    Namespace: "AWS/RDS",
    MetricData: [{ MetricName: "ReplicaLag", Dimensions: [{ Name: "DBInstanceIdentifier", Value: `${id}-dr-db` }], Timestamp: new Date(Date.now() - 60_000), Value: 7, Unit: "Seconds" }],
  }));
  const ours = { Project: "shop-platform", Environment: id };
  await taggedAlarm(PRIMARY, `${id}-5xx`, "ALARM", ours);
  await taggedAlarm(PRIMARY, `${id}-latency`, "OK", ours);
  await taggedAlarm(PRIMARY, `${id}-someone-elses`, "ALARM", { Project: "other", Environment: id });
  backupMock.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: "arn:aws:backup:eu-west-1:123456789012:recovery-point:1", CreationDate: new Date(Date.now() - 3 * 3_600_000), Status: "COMPLETED", ResourceType: "RDS" }] });
});

afterAll(() => {
  backupMock.restore();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
});

describe("shopctl status (moto)", () => {
  it("reads the fleets, databases, replica lag, domains, alarms and backups the outputs name", async () => {
    const outputs = stackOutputs(id, { primary: regionOutputs(PRIMARY, id), dr: regionOutputs(DR, `${id}-dr`), rpoSeconds: 60 });
    const deps = stubDeps({ engine: new StubEngine({ outputs: { values: outputs, secretKeys: [] } }), now: () => Date.now() });
    const io = memoryIo({ SHOPCTL_AWS_ENDPOINT_URL: motoUrl, SHOPCTL_HOME: path.join("/tmp", id) });
    const code = await status({ json: true, stack: "prod" }, io, deps);

    const document = JSON.parse(io.out()) as { stack: string; health: StackHealth };
    const checks = Object.fromEntries(document.health.regions.map((region) => [region.role, Object.fromEntries(region.checks.map((check) => [check.check, `${check.status}: ${check.summary}`]))]));
    expect(checks.primary).toMatchObject({
      web: "ok: 2/2 in service (min 2, max 6)",
      database: expect.stringMatching(/^ok: available, Multi-AZ, PostgreSQL 16/) as unknown,
      search: "ok: Active, OpenSearch_2.19",
      alarms: `fail: 1 in ALARM: ${id}-5xx`,
      backup: expect.stringMatching(/^ok: newest .* \(3h ago, COMPLETED, RDS\)$/) as unknown,
    });
    expect(checks.dr).toMatchObject({
      web: "ok: 1/1 in service (min 1, max 6)",
      database: expect.stringMatching(/^ok: available, read replica/) as unknown,
      "replica-lag": "ok: 7s behind (RPO 60s)",
      alarms: "ok: none in ALARM",
    });
    expect(document.health.status).toBe("unhealthy");
    expect(code).toBe(ExitCode.Failed);
    expect(backupMock.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((call) => call.args[0].input.BackupVaultName).sort()).toEqual([`${id}-dr-vault`, `${id}-vault`]);
  });

  it("says which resources the outputs name that do not exist", async () => {
    const outputs = stackOutputs(id, { primary: regionOutputs(PRIMARY, `${id}-missing`), dr: undefined, drStrategy: "none" });
    const deps = stubDeps({ engine: new StubEngine({ outputs: { values: outputs, secretKeys: [] } }) });
    const io = memoryIo({ SHOPCTL_AWS_ENDPOINT_URL: motoUrl, SHOPCTL_HOME: path.join("/tmp", id) });
    expect(await status({ json: false, stack: "dev" }, io, deps)).toBe(ExitCode.Failed);
    expect(io.out()).toContain(`FAIL  web         Auto Scaling group ${id}-missing-web not found`);
    expect(io.out()).toContain(`FAIL  database    RDS instance ${id}-missing-db not found`);
    expect(io.out()).toContain(`FAIL  search      OpenSearch domain ${id}-missing-search not found`);
  });
});
