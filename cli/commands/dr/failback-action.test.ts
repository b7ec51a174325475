import { CreateDBInstanceReadReplicaCommand } from "@aws-sdk/client-rds";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryIo } from "../../../test/memory-io.js";
import { ROOT } from "../../../test/shopctl.js";
import { StubEngine, stubDeps } from "../../../test/stub-engine.js";
import { retiredId } from "../../dr/failback.js";
import { DR, DrScenario, PRIMARY, SECRET, scenarioOutputs } from "../../dr/testing/scenario.js";
import { regionOutputs } from "../../../test/stack-outputs.js";
import { CliError, ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { failback } from "./failback-action.js";
import type { FailbackOptions, FailbackPhaseArgument } from "./options.js";
import { failover } from "./failover-action.js";

let home = "";
let scenario: DrScenario;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "shopctl-failback-"));
  scenario = new DrScenario();
  // Writers keep the replicas close behind; the failback replica must catch up to 5s.
  scenario.lagSeconds = 2;
});
afterEach(() => {
  scenario.restore();
  rmSync(home, { recursive: true, force: true });
});

const io = () => memoryIo({ SHOPCTL_STACKS_DIR: path.join(ROOT, "stacks"), SHOPCTL_HOME: home });
const deps = () => ({ live: stubDeps({ engine: new StubEngine({ outputs: { values: scenario.outputs, secretKeys: [] } }), now: () => scenario.clock.now() }), clock: scenario.clock, probe: scenario.probe });
const defaults: FailbackOptions = { stack: "prod", json: false, dryRun: false, resume: false, yes: true, retireOldPrimary: false };
async function phase(name: FailbackPhaseArgument, overrides: Partial<FailbackOptions> = {}) {
  const out = io();
  try {
    return { code: await failback(name, { ...defaults, ...overrides }, out, deps()), error: undefined, out };
  } catch (error) {
    return { code: error instanceof CliError ? error.exitCode : -1, error: error as Error, out };
  }
}
async function failedOver(): Promise<void> {
  expect(await failover({ stack: "prod", json: false, mode: "graceful", dryRun: false, resume: false, yes: true, force: false }, io(), deps())).toBe(ExitCode.Ok);
  scenario.clearHistory();
}

describe("shopctl failback", () => {
  it("shows that there is nothing to fail back before a failover", async () => {
    const { code, out } = await phase("status");
    expect(code).toBe(ExitCode.Ok);
    expect(out.out()).toContain("Failback of prod: not failed over; nothing to fail back");
    const refused = await phase("replicate", { retireOldPrimary: true });
    expect(refused.code).toBe(ExitCode.Refused);
    expect(refused.error?.message).toContain("prod is not failed over");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("after a failover: replicate, switch and standby bring the stack back, each phase on its own", async () => {
    await failedOver();
    const status = await phase("status", { json: true });
    expect(JSON.parse(status.out.out())).toMatchObject({ failedOver: true, next: "replicate", phases: [{ phase: "replicate", state: "pending" }, { phase: "switch", state: "pending" }, { phase: "standby", state: "pending" }] });

    // The old primary holds data written before the failover: it is only renamed on request.
    const refused = await phase("replicate");
    expect(refused.code).toBe(ExitCode.Refused);
    expect(refused.error?.message).toContain("shop-prod-db in eu-west-1 is the old primary: its data diverged");
    expect(scenario.mutatingRequests()).toBe(0);
    const early = await phase("switch");
    expect(early.code).toBe(ExitCode.Refused);
    expect(early.error?.message).toContain("failback switch of prod needs replicate first");

    const replicate = await phase("replicate", { retireOldPrimary: true });
    expect(replicate.error).toBeUndefined();
    const runId = /run (\S+);/.exec(replicate.out.err())?.[1] ?? "";
    expect(scenario.mutations).toEqual([
      `ModifyDBInstance shop-prod-db rename=${retiredId("shop-prod-db", runId)}`,
      `CreateDBInstanceReadReplica shop-prod-db source=arn:aws:rds:${DR}:123456789012:db:shop-prod-dr-db kms=arn:aws:kms:${PRIMARY}:123456789012:key/database subnets=shop-prod-db-subnets sgs=sg-prdb multiAz=false`,
    ]);
    expect(replicate.out.out()).toMatch(/1\. replicate +done +shop-prod-db replicates from shop-prod-dr-db, ReplicaLag 2s/);
    expect(replicate.out.out()).toContain("next: shopctl failback switch --stack prod");
    expect(scenario.databases.has(retiredId("shop-prod-db", runId))).toBe(true);

    scenario.mutations.length = 0;
    scenario.readyzAnswers = [{ status: 200, body: JSON.stringify({ region: PRIMARY }) }];
    const switched = await phase("switch");
    expect(switched.error).toBeUndefined();
    expect(scenario.mutations.map((line) => line.replace(/RecoveryTimeSeconds=\d+/, "RecoveryTimeSeconds=N")).sort()).toEqual([
      "ModifyDBInstance shop-prod-db MultiAZ=true",
      "PromoteReadReplica shop-prod-db retention=35",
      "PutMetricData ShopPlatform/DR RecoveryTimeSeconds=N RecoveryPointSeconds=0",
      "UpdateAutoScalingGroup shop-prod-dr-web desired=0 min=0 max=12",
      "UpdateAutoScalingGroup shop-prod-web desired=3 min=3 max=12",
      "UpdateHealthCheck hc-0123456789abcdef Inverted=false",
    ]);
    expect(switched.out.out()).toContain("# failback-switch of prod: eu-central-1 → eu-west-1");
    expect(switched.out.out()).toMatch(/2\. switch +done/);

    scenario.mutations.length = 0;
    const standby = await phase("standby");
    expect(standby.error).toBeUndefined();
    const standbyRun = /run (\S+);/.exec(standby.out.err())?.[1] ?? "";
    expect(scenario.mutations).toEqual([
      `ModifyDBInstance shop-prod-dr-db rename=${retiredId("shop-prod-dr-db", standbyRun)}`,
      `CreateDBInstanceReadReplica shop-prod-dr-db source=arn:aws:rds:${PRIMARY}:123456789012:db:shop-prod-db kms=arn:aws:kms:${DR}:123456789012:key/database subnets=shop-prod-dr-db-subnets sgs=sg-drdb multiAz=true`,
      "UpdateAutoScalingGroup shop-prod-dr-web desired=2 min=2 max=12",
    ]);
    expect(standby.out.out()).toContain("The stack is back to normal.");
    expect(scenario.parameters["/shop-prod-dr/database/secret-arn"]).toBe(SECRET);
    const final = await phase("status", { json: true });
    expect(JSON.parse(final.out.out())).toMatchObject({ failedOver: false });
    expect((JSON.parse(final.out.out()) as { phases: { state: string }[] }).phases.map((p) => p.state)).toEqual(["done", "done", "done"]);
  });

  it("standby points the DR fleet back at the secret's replica in the DR region where the stack has one", async () => {
    const replica = SECRET.replace(`:${PRIMARY}:`, `:${DR}:`);
    scenario.restore();
    const outputs = scenarioOutputs();
    scenario = new DrScenario({ ...outputs, dr: { ...regionOutputs(DR, "shop-prod-dr"), databaseSecretArn: replica } });
    scenario.lagSeconds = 2;
    scenario.secrets.add(replica);
    scenario.parameters["/shop-prod-dr/database/secret-arn"] = replica;
    await failedOver();
    // A failover that pointed the DR parameter elsewhere (--database-secret-arn) is undone too.
    scenario.parameters["/shop-prod-dr/database/secret-arn"] = SECRET;
    expect((await phase("replicate", { retireOldPrimary: true })).error).toBeUndefined();
    scenario.readyzAnswers = [{ status: 200, body: JSON.stringify({ region: PRIMARY }) }];
    expect((await phase("switch")).error).toBeUndefined();
    scenario.mutations.length = 0;
    const standby = await phase("standby");
    expect(standby.error).toBeUndefined();
    expect(scenario.mutations).toContain(`PutParameter /shop-prod-dr/database/secret-arn=${replica}`);
    expect(scenario.parameters["/shop-prod-dr/database/secret-arn"]).toBe(replica);
  });

  it("--dry-run of a phase plans and checks, changing nothing", async () => {
    await failedOver();
    const dry = await phase("replicate", { dryRun: true });
    expect(dry.code).toBe(ExitCode.Refused);
    expect(dry.out.out()).toContain("Failback replicate plan for prod");
    expect(dry.out.out()).toContain("REFUSE shop-prod-db in eu-west-1 is the old primary");
    const ok = await phase("replicate", { dryRun: true, retireOldPrimary: true });
    expect(ok.code).toBe(ExitCode.Ok);
    expect(scenario.mutatingRequests()).toBe(0);
    expect(scenario.mocks.rds.commandCalls(CreateDBInstanceReadReplicaCommand)).toHaveLength(0);
  });

  it("needs the new replica's settings when the replaced instance is gone, and checks them", async () => {
    await failedOver();
    scenario.databases.delete("shop-prod-db");
    const bad = await phase("replicate", { securityGroupIds: "default" });
    expect(bad.error).toBeInstanceOf(UsageError);
    expect(bad.error?.message).toContain("--security-group-ids default: expected security group ids such as sg-0123abcd,sg-4567ef01");
    expect((await phase("replicate", { maxLag: "soon" })).error?.message).toContain("--max-lag soon: expected a duration");
    const missing = await phase("replicate");
    expect(missing.code).toBe(ExitCode.Failed);
    expect(missing.error?.message).toContain("nothing to copy its KMS key, subnet group, security groups and class from; pass --kms-key-id, --subnet-group, --security-group-ids, --instance-class");
    const again = await phase("replicate");
    expect(again.error).toBeInstanceOf(RefusedError);
    expect(again.error?.message).toContain("an interrupted failback replicate of prod exists");
    // Flags given to --resume fill in what the phase lacked.
    const resumed = await phase("replicate", { resume: true, kmsKeyId: "alias/shop-database", subnetGroup: "shop-db-subnets", securityGroupIds: "sg-0a1b,sg-2c3d", instanceClass: "db.r7g.large" });
    expect(resumed.error).toBeUndefined();
    expect(scenario.mutations).toContain(`CreateDBInstanceReadReplica shop-prod-db source=arn:aws:rds:${DR}:123456789012:db:shop-prod-dr-db kms=alias/shop-database subnets=shop-db-subnets sgs=sg-0a1b,sg-2c3d multiAz=false`);
  });
});
