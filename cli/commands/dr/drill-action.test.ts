import { ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { RunInstancesCommand } from "@aws-sdk/client-ec2";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// The drill rewrites the web tier's user data, so its tests use what the component really renders.
import { renderUserData } from "../../../components/web-tier/user-data.js";
import { memoryIo } from "../../../test/memory-io.js";
import { ROOT } from "../../../test/shopctl.js";
import { StubEngine, stubDeps } from "../../../test/stub-engine.js";
import { drillDatabaseId, drillUserData } from "../../dr/drill.js";
import { DrScenario } from "../../dr/testing/scenario.js";
import { CliError, ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { drill } from "./drill-action.js";
import type { DrillOptions } from "./options.js";

const ENDPOINT_PARAMETER = "/shop-prod-dr/database/endpoint";
const userData = renderUserData({
  name: "shop-prod-dr-web", region: "eu-central-1", dnsSuffix: "amazonaws.com", appPort: 8080, appEntrypoint: "dist/server.js",
  artifact: { bucket: "shop-prod-assets-replica", key: "releases/storefront.tar.gz", versionId: undefined, revision: undefined },
  runtimeParameters: { databaseEndpoint: ENDPOINT_PARAMETER, databaseSecretArn: "/shop-prod-dr/database/secret-arn", searchEndpoint: "/shop-prod-dr/search/endpoint", searchIndexAlias: "/shop-prod-dr/search/index-alias" },
  appLogGroupName: "/shop/prod/web", metricsNamespace: "Shop/WebTier",
});

let home = "";
let scenario: DrScenario;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "shopctl-drill-"));
  scenario = new DrScenario();
  scenario.drill.userData = userData;
});
afterEach(() => {
  scenario.restore();
  rmSync(home, { recursive: true, force: true });
});

const options = (overrides: Partial<DrillOptions> = {}): DrillOptions => ({ stack: "prod", json: false, dryRun: false, resume: false, cleanup: false, ...overrides });
const io = () => memoryIo({ SHOPCTL_STACKS_DIR: path.join(ROOT, "stacks"), SHOPCTL_HOME: home });
async function attempt(overrides: Partial<DrillOptions> = {}, signal?: AbortSignal) {
  const out = io();
  const deps = { live: stubDeps({ engine: new StubEngine({ outputs: { values: scenario.outputs, secretKeys: [] } }), now: () => scenario.clock.now() }), clock: scenario.clock, probe: scenario.probe, ...(signal === undefined ? {} : { signal }) };
  try {
    return { code: await drill(options(overrides), out, deps), error: undefined, out };
  } catch (error) {
    return { code: error instanceof CliError ? error.exitCode : -1, error: error as Error, out };
  }
}
const journalFile = () => path.join(home, "dr", "prod", "drill.journal.jsonl");

describe("shopctl drill", () => {
  it("restores into an isolated instance, runs the app on it, verifies, tears down and reports", async () => {
    const { code, out, error } = await attempt();
    expect(error).toBeUndefined();
    expect(code).toBe(ExitCode.Ok);
    const drillId = /^StartRestoreJob (\S+)/.exec(scenario.mutations[0] ?? "")?.[1] ?? "";
    expect(drillId).toMatch(/^shop-prod-db-drill-[a-z0-9-]+$/);
    expect(scenario.mutations).toEqual([
      `StartRestoreJob ${drillId} subnets=shop-prod-dr-db-subnets sgs=["sg-drdb"] multiAz=false`,
      "RunInstances subnet=subnet-a groups=sg-0web",
      "TerminateInstances i-0drill",
      `DeleteDBInstance ${drillId} skipFinalSnapshot=true`,
      expect.stringMatching(/^PutMetricData ShopPlatform\/DR RestoreTimeSeconds=\d+ RecoveryTimeSeconds=\d+ RecoveryPointSeconds=18000$/) as unknown as string,
    ]);
    // Never production traffic: no Route 53, fleet or runtime-parameter change.
    expect(scenario.mutations.some((line) => /^(UpdateHealthCheck|UpdateAutoScalingGroup|PutParameter|PromoteReadReplica)/.test(line))).toBe(false);

    const restore = scenario.mocks.backup.commandCalls(StartRestoreJobCommand)[0]?.args[0].input;
    expect(restore).toMatchObject({ RecoveryPointArn: "arn:aws:rds:eu-central-1:123456789012:snapshot:awsbackup:job-1", IamRoleArn: "arn:aws:iam::123456789012:role/prod-backup-backup", ResourceType: "RDS", Metadata: { DBInstanceIdentifier: drillId, PubliclyAccessible: "false", DeletionProtection: "false", Engine: "postgres" } });
    const run = scenario.mocks.ec2.commandCalls(RunInstancesCommand)[0]?.args[0].input;
    expect(run).toMatchObject({ LaunchTemplate: { LaunchTemplateId: "lt-0abc", Version: "7" }, MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ SubnetId: "subnet-a", Groups: ["sg-0web"], AssociatePublicIpAddress: false }] });
    expect(run?.TagSpecifications?.[0]?.Tags).toEqual(expect.arrayContaining([{ Key: "ShopDrill", Value: expect.any(String) as unknown as string }, { Key: "Name", Value: "prod-drill" }]));
    expect(scenario.drill.launchedUserData).toContain(`printf '%s=%s\\\\n' DATABASE_ENDPOINT '${drillId}.abc.eu-central-1.rds.amazonaws.com:5432'`);
    expect(scenario.drill.launchedUserData).not.toContain(`read_parameter '${ENDPOINT_PARAMETER}' DATABASE_ENDPOINT`);
    expect(scenario.drill.launchedUserData).toContain("read_parameter '/shop-prod-dr/database/secret-arn' DATABASE_SECRET_ARN");

    expect(out.err()).toContain("[4] readiness check NotRegistered");
    expect(out.out()).toContain("# drill of prod: eu-central-1 → eu-central-1");
    expect(out.out()).toMatch(/- restoreSeconds: \d+/);
    expect(existsSync(journalFile())).toBe(false);
    expect(readdirSync(path.join(home, "dr", "prod", "reports")).filter((name) => name.startsWith("drill-"))).toHaveLength(2);
  });

  it("tears down what it created when a step fails, then exits 1", async () => {
    scenario.drill.commandStates = ["Failed"];
    const { code, error, out } = await attempt();
    expect(code).toBe(ExitCode.Failed);
    expect(error?.message).toMatch(/step 4 \(verify the app on the restored database\) failed: gave up waiting for the app on i-0drill to be ready[\s\S]*Everything the drill created was torn down\./);
    expect(out.err()).toContain("the drill failed; tearing down what it created...");
    expect(scenario.mutations.filter((line) => /^(TerminateInstances|DeleteDBInstance)/.test(line))).toHaveLength(2);
    expect(existsSync(journalFile())).toBe(false);
  });

  it("--dry-run checks and plans, creating nothing; a missing recovery point refuses (exit 3)", async () => {
    const dry = await attempt({ dryRun: true });
    expect(dry.code).toBe(ExitCode.Ok);
    expect(dry.out.out()).toContain("Drill plan for prod in eu-central-1");
    expect(dry.out.out()).toContain("all checks passed");
    expect(scenario.mutatingRequests()).toBe(0);

    scenario.mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [] });
    const refused = await attempt();
    expect(refused.error).toBeInstanceOf(RefusedError);
    expect(refused.error?.message).toContain("shop-prod-dr-vault (eu-central-1) holds no recovery point to restore");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("refuses a launch template whose user data it cannot point at the drill database", async () => {
    scenario.drill.userData = "#!/bin/bash\necho hello\n";
    const refused = await attempt();
    expect(refused.code).toBe(ExitCode.Refused);
    expect(refused.error?.message).toContain("the launch template's user data is not a cloud-config document");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("an interrupted drill resumes without a second restore or instance, and --cleanup tears an abandoned one down", async () => {
    const controller = new AbortController();
    scenario.faultAt("StartRestoreJob", 1, "abort", controller);
    const first = await attempt({}, controller.signal);
    expect(first.error?.message).toContain("drill of prod was interrupted");
    const again = await attempt();
    expect(again.code).toBe(ExitCode.Refused);
    expect(again.error?.message).toContain("continue it with --resume or tear it down with --cleanup");
    const resumed = await attempt({ resume: true });
    expect(resumed.code).toBe(ExitCode.Ok);
    expect(scenario.mocks.backup.commandCalls(StartRestoreJobCommand)).toHaveLength(1);
    expect(scenario.mocks.ec2.commandCalls(RunInstancesCommand)).toHaveLength(1);

    const stop = new AbortController();
    scenario.faultAt("RunInstances", 2, "abort", stop);
    scenario.drill.jobStates = ["COMPLETED"];
    scenario.drill.agentLateBy = 0;
    const abandoned = await attempt({}, stop.signal);
    expect(abandoned.error?.message).toContain("was interrupted");
    const cleaned = await attempt({ cleanup: true });
    expect(cleaned.error?.message).toBeUndefined();
    expect(cleaned.code).toBe(ExitCode.Ok);
    expect(cleaned.out.out()).toMatch(/drill run \S+ torn down: no instance tagged ShopDrill=\S+ and no \S+ remain/);
    expect(existsSync(journalFile())).toBe(false);
    expect((await attempt({ cleanup: true })).error).toBeInstanceOf(UsageError);
  });
});

describe("drill helpers", () => {
  it("names the drill database within RDS's identifier rules", () => {
    const id = drillDatabaseId("shop-platform-production-with-a-long-name-db", "20260115T090000Z-ab12");
    expect(id.length).toBeLessThanOrEqual(63);
    expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    expect(id.endsWith("-drill-20260115t090000z-ab12")).toBe(true);
  });

  it("rewrites only the endpoint read of the web tier's user data, and says why it cannot otherwise", () => {
    const rewritten = drillUserData(userData, ENDPOINT_PARAMETER, "drill.abc.eu-central-1.rds.amazonaws.com:5432");
    expect(rewritten.startsWith("#cloud-config\n")).toBe(true);
    expect(rewritten).toContain("DATABASE_ENDPOINT 'drill.abc.eu-central-1.rds.amazonaws.com:5432'");
    expect(() => drillUserData(userData, "/other/parameter", "x.y:5432")).toThrow("does not read the database endpoint from /other/parameter");
    expect(() => drillUserData("#cloud-config\n{oops", ENDPOINT_PARAMETER, "x.y:5432")).toThrow("is not the JSON document shop-platform's web tier writes");
    expect(() => drillUserData(userData, ENDPOINT_PARAMETER, "x'; rm -rf /")).toThrow("unexpected database endpoint");
  });
});
