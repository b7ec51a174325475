// The DR commands against moto's server on 127.0.0.1 (the test services): a primary database
// and its cross-region replica, fleets behind load balancers, the Route 53 failover pair with its
// health check, CloudWatch metrics and alarms, SSM parameters, KMS aliases and an OpenSearch
// domain, all created through the SDK; shopctl then reads and changes them with its own clients.
//
// Where moto differs from AWS, shopctl follows AWS and these tests say so:
//  - moto keeps ReadReplicaSourceDBInstanceIdentifier on a promoted replica; AWS clears it, and
//    failover waits for that. The RDS client here forwards every call to moto and drops the
//    source of a promoted instance (aws-sdk-client-mock), as AWS would show it.
//  - moto implements no AWS Backup recovery points, copy jobs or restores: those calls are
//    answered by aws-sdk-client-mock; the drill's restore creates the instance in moto, as AWS
//    Backup would.
//  - moto reports every Route 53 health check healthy, inverted or not (and keeps no alarm on a
//    CLOUDWATCH_METRIC check). In AWS an inverted check whose alarm is OK reports unhealthy: the
//    Route 53 client here asks moto and applies the inversion, as AWS would.
import { BackupClient, type ServiceOutputTypes, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, ListBackupJobsCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateDBInstanceCommand, DBInstanceNotFoundFault, DescribeDBInstancesCommand, PromoteReadReplicaCommand, RDSClient, type DescribeDBInstancesCommandOutput } from "@aws-sdk/client-rds";
import { GetHealthCheckCommand, GetHealthCheckStatusCommand, Route53Client, type GetHealthCheckCommandOutput, type ServiceOutputTypes as Route53Output } from "@aws-sdk/client-route-53";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderUserData } from "../../components/web-tier/user-data.js";
import { memoryIo } from "../../test/memory-io.js";
import { serviceEndpoints } from "../../test/services.js";
import { ROOT } from "../../test/shopctl.js";
import { StubEngine, stubDeps } from "../../test/stub-engine.js";
import { backupReport } from "../commands/dr/backup-action.js";
import { drStatus } from "../commands/dr/dr-action.js";
import { drill } from "../commands/dr/drill-action.js";
import { failback } from "../commands/dr/failback-action.js";
import { failover } from "../commands/dr/failover-action.js";
import { ExitCode } from "../exit-codes.js";
import { FakeClock } from "./clock.js";
import type { DrDeps } from "./operation.js";
import { fetchProbe } from "./probe.js";
import type { Readiness } from "./readiness.js";
import { buildMotoWorld, DR, PRIMARY, type MotoWorld } from "./testing/moto-world.js";

const { motoUrl } = serviceEndpoints();
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };
const awsVariables = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_EC2_METADATA_DISABLED: "true" };
const saved = Object.fromEntries(Object.keys(awsVariables).map((key) => [key, process.env[key]]));
const runId = `dr${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
const client = <T>(Client: new (config: object) => T, region: string): T => new Client({ region, endpoint: motoUrl, credentials });

// The site the verification probes: a local server standing in for CloudFront -> the DR ALB.
let site: Server;
let siteUrl = "";
const siteRequests: string[] = [];
let home = "";

// RDS goes to moto through the real client; only a promoted instance's source is dropped (see above).
const rds = mockClient(RDSClient);
const promoted = new Set<string>();
/** Called once AWS (moto) accepted a promotion: the interruption test cuts the run there. */
let afterPromotion: (() => void) | undefined;
const realRdsSend = rds.send.wrappedMethod;
rds.send.callsFake(async function (this: RDSClient, command) {
  const output = await realRdsSend.call(this, command);
  if (command instanceof PromoteReadReplicaCommand && command.input.DBInstanceIdentifier !== undefined) {
    promoted.add(command.input.DBInstanceIdentifier);
    afterPromotion?.();
  }
  if (command instanceof DescribeDBInstancesCommand) {
    for (const instance of (output as DescribeDBInstancesCommandOutput).DBInstances ?? []) {
      if (promoted.has(instance.DBInstanceIdentifier ?? "")) {
        instance.ReadReplicaSourceDBInstanceIdentifier = undefined;
        instance.StatusInfos = [];
      }
    }
  }
  return output;
});

// Route 53: the health check's status follows its inversion (see above).
const route53 = mockClient(Route53Client);
const realRoute53Send = route53.send.wrappedMethod;
route53.send.callsFake(async function (this: Route53Client, command): Promise<Route53Output> {
  if (!(command instanceof GetHealthCheckStatusCommand)) return realRoute53Send.call(this, command);
  const get = new GetHealthCheckCommand({ HealthCheckId: command.input.HealthCheckId }) as unknown as Parameters<typeof realRoute53Send>[0];
  const check = await realRoute53Send.call(this, get) as GetHealthCheckCommandOutput;
  const status = check.HealthCheck?.HealthCheckConfig?.Inverted === true ? "Failure: inverted; the alarm is OK" : "Success: the alarm is OK";
  return { $metadata: {}, HealthCheckObservations: ["us-east-1", "eu-west-1", "ap-southeast-1"].map((region) => ({ Region: region as "us-east-1", IPAddress: "15.177.0.1", StatusReport: { Status: status, CheckedTime: new Date() } })) };
});

// AWS Backup: moto has vaults but no recovery points, jobs or restores.
const backup = mockClient(BackupClient);
const realBackupSend = backup.send.wrappedMethod;
const restored: { id: string; metadata: Record<string, string> }[] = [];
backup.send.callsFake(async function (this: BackupClient, command): Promise<ServiceOutputTypes> {
  const $metadata = {};
  if (command instanceof ListRecoveryPointsByBackupVaultCommand) {
    return { $metadata, RecoveryPoints: [{ RecoveryPointArn: `arn:aws:rds:${DR}:123456789012:snapshot:awsbackup:job-${runId}`, CreationDate: new Date(Date.now() - 3 * 3_600_000), Status: "COMPLETED", ResourceType: "RDS", ResourceArn: "primary" }] };
  }
  if (command instanceof ListCopyJobsCommand) return { $metadata, CopyJobs: [] };
  if (command instanceof ListBackupJobsCommand) return { $metadata, BackupJobs: [] };
  if (command instanceof GetRecoveryPointRestoreMetadataCommand) return { $metadata, RestoreMetadata: { DBInstanceClass: "db.t4g.micro", Engine: "postgres", MultiAZ: "true" } };
  if (command instanceof StartRestoreJobCommand) {
    // What AWS Backup does for an RDS recovery point: a new instance where the metadata says.
    const metadata = command.input.Metadata ?? {};
    await client(RDSClient, DR).send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: metadata.DBInstanceIdentifier, DBInstanceClass: metadata.DBInstanceClass ?? "db.t4g.micro", Engine: "postgres", AllocatedStorage: 20,
      MasterUsername: "shop", MasterUserPassword: "not-a-real-password-1", DBSubnetGroupName: metadata.DBSubnetGroupName, VpcSecurityGroupIds: JSON.parse(metadata.VpcSecurityGroupIds ?? "[]") as string[],
      MultiAZ: metadata.MultiAZ === "true",
    }));
    restored.push({ id: metadata.DBInstanceIdentifier ?? "", metadata });
    return { $metadata, RestoreJobId: `restore-${command.input.IdempotencyToken ?? ""}` };
  }
  if (command instanceof DescribeRestoreJobCommand) return { $metadata, RestoreJobId: command.input.RestoreJobId, Status: "COMPLETED", PercentDone: "100%" };
  return realBackupSend.call(this, command);
});

const drUserData = (parameter: string) => renderUserData({
  name: "dr-web", region: DR, dnsSuffix: "amazonaws.com", appPort: 8080, appEntrypoint: "dist/server.js",
  artifact: { bucket: "shop-assets-replica", key: "releases/storefront.tar.gz", versionId: undefined, revision: undefined },
  runtimeParameters: { databaseEndpoint: parameter, databaseSecretArn: "/x/secret", searchEndpoint: "/x/search", searchIndexAlias: "/x/alias" },
  appLogGroupName: "/shop/dr/web", metricsNamespace: "Shop/WebTier",
});

async function world(name: string): Promise<MotoWorld> {
  const id = `${runId}${name}`;
  return buildMotoWorld(id, {
    motoUrl, siteUrl, drUserData: drUserData(`/${id}/dr/database-endpoint`),
    // 5s behind now; after the fence (on fake time, from now) the replica catches up to 0.
    lag: [{ offsetMs: -60_000, seconds: 5 }, { offsetMs: 90_000, seconds: 0 }],
  });
}

function io() {
  return memoryIo({ SHOPCTL_STACKS_DIR: path.join(ROOT, "stacks"), SHOPCTL_HOME: home, SHOPCTL_AWS_ENDPOINT_URL: motoUrl });
}
function deps(target: MotoWorld, signal?: AbortSignal): DrDeps {
  const clock = new FakeClock(Date.now());
  return { live: stubDeps({ engine: new StubEngine({ outputs: { values: target.outputs, secretKeys: [] } }), now: () => clock.now() }), clock, probe: fetchProbe, ...(signal === undefined ? {} : { signal }) };
}

beforeAll(async () => {
  Object.assign(process.env, awsVariables);
  home = mkdtempSync(path.join(tmpdir(), "shopctl-dr-moto-"));
  site = createServer((request, response) => {
    siteRequests.push(request.url ?? "");
    const body = request.url === "/readyz" ? JSON.stringify({ status: "ok", region: DR }) : JSON.stringify({ hits: [] });
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => site.listen(0, "127.0.0.1", resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});

afterAll(async () => {
  rds.restore();
  route53.restore();
  backup.restore();
  await new Promise<void>((resolve) => site.close(() => { resolve(); }));
  rmSync(home, { recursive: true, force: true });
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
});

describe("DR against moto", () => {
  it("dr status reads the replica, lag, fleet, launch template, targets, Route 53 pair, KMS and search from AWS", async () => {
    const target = await world("s");
    const out = io();
    const code = await drStatus({ stack: "prod", json: true }, out, deps(target));
    const { readiness } = JSON.parse(out.out()) as { readiness: Readiness };
    const checks = Object.fromEntries(readiness.checks.map((check) => [check.id, `${check.status}: ${check.summary}`]));
    expect(checks).toMatchObject({
      replica: expect.stringMatching(/^ok: available read replica of arn:aws:rds:eu-west-1:123456789012:db:/) as unknown,
      "replica-lag": "ok: 5s behind (limit 60s)",
      fleet: "ok: 1/1 in service, scales to 2 on failover",
      "launch-template": `ok: ${target.drLaunchTemplateId} version 1`,
      "load-balancer": "ok: active",
      targets: "ok: 1 healthy",
      dns: `ok: origin.${target.id}.example.com: PRIMARY with its health check, SECONDARY aliases the DR load balancer`,
      "health-check": `ok: ${target.healthCheckId} healthy`,
      kms: "ok: 1 keys enabled",
      search: "ok: Active, OpenSearch_2.19",
    });
    expect(readiness.verdict).toBe("READY");
    expect(code).toBe(ExitCode.Ok);

    // backup verify: the vaults and their lock come from moto, the recovery points from the mock,
    // which holds none of the stack's own resources: out of policy, exit 1.
    const audit = io();
    expect(await backupReport("verify", { stack: "prod", json: true, days: "7" }, audit, deps(target))).toBe(ExitCode.Failed);
    const report = JSON.parse(audit.out()) as { vaults: { vault: string; exists: boolean; lock: { locked: boolean } }[]; problems: string[] };
    expect(report.vaults.map((vault) => [vault.vault, vault.exists, vault.lock.locked])).toEqual([[`${target.id}-p-vault`, true, false], [`${target.id}-dr-vault`, true, false]]);
    expect(report.problems).toContain(`${target.id}-p-vault (${PRIMARY}) has no vault lock; the config asks for governance mode`);
  });

  it("fails over gracefully: fence, promotion, runtime parameters, fleet, traffic, verification and report, all in AWS", async () => {
    const target = await world("f");
    const dr = target.outputs.dr;
    if (dr === undefined) throw new Error("no DR outputs");
    const out = io();
    const code = await failover({ stack: "prod", json: true, mode: "graceful", dryRun: false, resume: false, yes: true, force: false }, out, deps(target));
    expect(out.err()).not.toMatch(/error/i);
    expect(code).toBe(ExitCode.Ok);
    const document = JSON.parse(out.out()) as { report: { rpoSeconds: number; rtoSeconds: number; steps: { id: string; status: string }[] } };
    expect(document.report.rpoSeconds).toBe(0);
    expect(document.report.steps.every((step) => step.status === "done" || step.status === "skipped")).toBe(true);

    const check = await client(Route53Client, "us-east-1").send(new GetHealthCheckCommand({ HealthCheckId: target.healthCheckId }));
    expect(check.HealthCheck?.HealthCheckConfig?.Inverted).toBe(true);
    const groups = async (region: string, name: string) => (await client(AutoScalingClient, region).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups?.[0];
    expect((await groups(PRIMARY, target.outputs.primary.asgName))?.DesiredCapacity).toBe(0);
    expect(await groups(DR, dr.asgName)).toMatchObject({ DesiredCapacity: 2, MinSize: 2 });
    const endpoint = await client(SSMClient, DR).send(new GetParameterCommand({ Name: dr.runtimeParameters.databaseEndpoint }));
    const rdsDr = client(RDSClient, DR);
    const describe = new DescribeDBInstancesCommand({ DBInstanceIdentifier: dr.databaseInstanceId }) as unknown as Parameters<typeof realRdsSend>[0];
    const promotedDb = ((await realRdsSend.call(rdsDr, describe)) as DescribeDBInstancesCommandOutput).DBInstances?.[0];
    expect(endpoint.Parameter?.Value).toBe(`${promotedDb?.Endpoint?.Address ?? ""}:${promotedDb?.Endpoint?.Port ?? 0}`);
    expect(promotedDb?.BackupRetentionPeriod).toBe(35);
    expect(promotedDb?.MultiAZ).toBe(true);
    // moto keeps the source of a promoted replica (AWS clears it): moto's own answer still shows it.
    expect(promotedDb?.ReadReplicaSourceDBInstanceIdentifier).toBeDefined();
    expect(siteRequests).toEqual(expect.arrayContaining(["/readyz", "/search?q=test"]));
    const metrics = await client(CloudWatchClient, DR).send(new GetMetricDataCommand({
      StartTime: new Date(Date.now() - 3_600_000), EndTime: new Date(Date.now() + 3_600_000),
      MetricDataQueries: [{ Id: "rpo", MetricStat: { Metric: { Namespace: "ShopPlatform/DR", MetricName: "RecoveryPointSeconds", Dimensions: [{ Name: "Stack", Value: "prod" }, { Name: "Operation", Value: "failover" }] }, Period: 60, Stat: "Maximum" } }],
    }));
    expect(metrics.MetricDataResults?.[0]?.Values).toContain(0);

    // Failback, first phase: the old primary is renamed away and replaced by a replica of the
    // promoted DR database (RDS publishes its ReplicaLag; here the test does).
    await client(CloudWatchClient, PRIMARY).send(new PutMetricDataCommand({ Namespace: "AWS/RDS", MetricData: [{ MetricName: "ReplicaLag", Dimensions: [{ Name: "DBInstanceIdentifier", Value: target.outputs.primary.databaseInstanceId }], Timestamp: new Date(Date.now() - 30_000), Value: 1, Unit: "Seconds" }] }));
    const back = io();
    expect(await failback("replicate", { stack: "prod", json: true, dryRun: false, resume: false, yes: true, retireOldPrimary: true }, back, deps(target))).toBe(ExitCode.Ok);
    const replicaBack = ((await realRdsSend.call(client(RDSClient, PRIMARY), new DescribeDBInstancesCommand({ DBInstanceIdentifier: target.outputs.primary.databaseInstanceId }) as unknown as Parameters<typeof realRdsSend>[0])) as DescribeDBInstancesCommandOutput).DBInstances?.[0];
    expect(replicaBack?.ReadReplicaSourceDBInstanceIdentifier).toBe(dr.databaseArn);
    expect((JSON.parse(back.out()) as { phases: { phase: string; state: string }[] }).phases[0]).toMatchObject({ phase: "replicate", state: "done" });
  });

  it("an ungraceful failover interrupted after the promotion resumes and promotes once", async () => {
    const target = await world("u");
    const controller = new AbortController();
    const before = rds.commandCalls(PromoteReadReplicaCommand).length;
    afterPromotion = () => { controller.abort(); };
    const options = { stack: "prod", json: false, mode: "ungraceful", dryRun: false, resume: false, yes: true, force: false } as const;
    const first = await failover(options, io(), deps(target, controller.signal)).catch((error: unknown) => error as Error);
    afterPromotion = undefined;
    expect(first).toBeInstanceOf(Error);
    expect((first as Error).message).toContain("was interrupted");
    expect(await failover({ ...options, resume: true }, io(), deps(target))).toBe(ExitCode.Ok);
    expect(rds.commandCalls(PromoteReadReplicaCommand).length - before).toBe(1);
  });

  it("drills: restores into the DR subnet group and security group, starts the app instance, verifies, tears down", async () => {
    const target = await world("d");
    const dr = target.outputs.dr;
    if (dr === undefined) throw new Error("no DR outputs");
    const out = io();
    const code = await drill({ stack: "prod", json: true, dryRun: false, resume: false, cleanup: false }, out, deps(target));
    expect(out.err()).not.toMatch(/error/i);
    expect(code).toBe(ExitCode.Ok);
    const restore = restored.find((entry) => entry.id.startsWith(`${dr.databaseInstanceId.replace(/-dr-db$/, "-db")}-drill-`));
    expect(restore?.metadata).toMatchObject({ DBSubnetGroupName: `${target.id}-db-subnets`, MultiAZ: "false", PubliclyAccessible: "false" });
    // Torn down: the restored instance is gone and the drill instance terminated.
    await expect(client(RDSClient, DR).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: restore?.id }))).rejects.toBeInstanceOf(DBInstanceNotFoundFault);
    const instances = (await client(EC2Client, DR).send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:Name", Values: ["prod-drill"] }] }))).Reservations?.flatMap((reservation) => reservation.Instances ?? []) ?? [];
    expect(instances.length).toBeGreaterThan(0);
    expect(instances.every((instance) => instance.State?.Name === "terminated")).toBe(true);
    const report = (JSON.parse(out.out()) as { report: { figures: { restoreSeconds: number } } }).report;
    expect(typeof report.figures.restoreSeconds).toBe("number");
  });
});
