import { PromoteReadReplicaCommand } from "@aws-sdk/client-rds";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryIo } from "../../../test/memory-io.js";
import { ROOT } from "../../../test/shopctl.js";
import { StubEngine, stubDeps } from "../../../test/stub-engine.js";
import type { JournalEvent } from "../../dr/journal.js";
import type { DrDeps } from "../../dr/operation.js";
import { DR, DrScenario, PRIMARY, scenarioOutputs } from "../../dr/testing/scenario.js";
import { CliError, ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { failover } from "./failover-action.js";
import type { FailoverOptions } from "./options.js";

let home = "";
let scenario: DrScenario;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "shopctl-failover-"));
  scenario = new DrScenario();
});
afterEach(() => {
  scenario.restore();
  rmSync(home, { recursive: true, force: true });
});

const options = (overrides: Partial<FailoverOptions> = {}): FailoverOptions => ({
  stack: "prod", json: false, mode: "graceful", dryRun: false, resume: false, yes: true, force: false, searchPath: "/search?q=test", ...overrides,
});
const io = () => memoryIo({ SHOPCTL_STACKS_DIR: path.join(ROOT, "stacks"), SHOPCTL_HOME: home });
function deps(signal?: AbortSignal, engine = new StubEngine({ outputs: { values: scenario.outputs, secretKeys: [] } })): DrDeps & { live: ReturnType<typeof stubDeps> } {
  return { live: stubDeps({ engine, now: () => scenario.clock.now() }), clock: scenario.clock, probe: scenario.probe, ...(signal === undefined ? {} : { signal }) };
}
async function attempt(overrides: Partial<FailoverOptions> = {}, signal?: AbortSignal) {
  const out = io();
  try {
    return { code: await failover(options(overrides), out, deps(signal)), error: undefined, out };
  } catch (error) {
    return { code: error instanceof CliError ? error.exitCode : -1, error: error as Error, out };
  }
}

const drDir = () => path.join(home, "dr", "prod");
const journalFile = () => path.join(drDir(), "failover.journal.jsonl");
function history(): JournalEvent[] {
  const folder = path.join(drDir(), "history");
  const [file] = readdirSync(folder);
  return readFileSync(path.join(folder, file ?? ""), "utf8").trim().split("\n").map((line) => JSON.parse(line) as JournalEvent);
}
/** Mutations in a stable order, the RTO figure left out (it depends on the scenario's pace, not on the logic). */
const sorted = (list: readonly string[]) => list.map((line) => line.replace(/RecoveryTimeSeconds=\d+/, "RecoveryTimeSeconds=N")).sort();

/** The mutations of an uninterrupted graceful failover, in a scenario of its own. */
function baseline(): string[] {
  return [
    "PromoteReadReplica shop-prod-dr-db retention=35",
    "PutMetricData ShopPlatform/DR RecoveryTimeSeconds=N RecoveryPointSeconds=0",
    "UpdateAutoScalingGroup shop-prod-dr-web desired=3 min=3 max=12",
    "UpdateAutoScalingGroup shop-prod-web desired=0 min=0 max=12",
    "UpdateHealthCheck hc-0123456789abcdef Inverted=true",
  ];
}

describe("shopctl failover (graceful)", () => {
  it("fences, promotes, scales, switches, verifies and reports; every change is made once", async () => {
    const { code, out } = await attempt();
    expect(code).toBe(ExitCode.Ok);
    expect(sorted(scenario.mutations)).toEqual(baseline());
    // The primary fleet goes to zero only after the health check is inverted: the fence order.
    expect(scenario.mutations.indexOf("UpdateHealthCheck hc-0123456789abcdef Inverted=true")).toBeLessThan(scenario.mutations.indexOf("UpdateAutoScalingGroup shop-prod-web desired=0 min=0 max=12"));
    // Promotion waits for the fence (lag 0) and starts after it.
    expect(scenario.mutations.indexOf("PromoteReadReplica shop-prod-dr-db retention=35")).toBeGreaterThan(scenario.mutations.indexOf("UpdateAutoScalingGroup shop-prod-web desired=0 min=0 max=12"));
    expect(scenario.mutations.some((line) => line.startsWith("ChangeResourceRecordSets"))).toBe(false);

    const err = out.err();
    expect(err.indexOf("Failover plan for prod (graceful): eu-west-1 -> eu-central-1")).toBeLessThan(err.indexOf("preflight:"));
    expect(err).toContain("[1] ReplicaLag 8s");
    expect(err).toContain("[1] ReplicaLag 0s");
    expect(err).toContain("[5] 2/3 targets healthy");
    expect(err).toContain("[2] shop-prod-dr-db: modifying, replica of");
    expect(err).toContain("[2] shop-prod-dr-db: rebooting, standalone");
    expect(out.out()).toContain("# failover of prod: eu-west-1 → eu-central-1");
    expect(out.out()).toMatch(/\*\*RPO\*\*: 0s \(budget 1m00s: within\); graceful/);
    expect(out.out()).toMatch(/\*\*RTO\*\*: \d+m\d+s \(budget 30m00s: within\)/);
    expect(out.out()).toContain("reads its database secret from eu-west-1");

    // Done: no lock left, the journal moved to history, the report on disk, the outputs kept.
    expect(existsSync(path.join(drDir(), "lock.json"))).toBe(false);
    expect(existsSync(journalFile())).toBe(false);
    const reports = readdirSync(path.join(drDir(), "reports"));
    expect(reports.filter((name) => name.endsWith(".json"))).toHaveLength(1);
    expect(reports.filter((name) => name.endsWith(".md"))).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(drDir(), "outputs.json"), "utf8"))).toMatchObject({ stack: "prod", outputs: { dr: { region: DR } } });
  });

  it("does not re-send the promotion while RDS still shows an available replica (the waiter's trap)", async () => {
    scenario.promotionScript = [
      { status: "available", standalone: false },
      { status: "available", standalone: false },
      { status: "modifying", standalone: false },
      { status: "available", standalone: true },
    ];
    expect((await attempt()).code).toBe(ExitCode.Ok);
    expect(scenario.mocks.rds.commandCalls(PromoteReadReplicaCommand)).toHaveLength(1);
  });

  it("journals every step's observe, act and verify with timestamps", async () => {
    await attempt();
    const events = history();
    expect(events[0]).toMatchObject({ type: "start", operation: "failover", stack: "prod", options: { mode: "graceful", maxDataLossSeconds: 60 } });
    for (const step of ["fence", "promote", "multi-az", "repoint", "scale", "switch-traffic", "verify-site", "report"]) {
      const own = events.filter((event) => "step" in event && event.step === step);
      expect(own.map((event) => event.type)).toContain("observe");
      expect(own[own.length - 1]?.type).toBe("verified");
      for (const event of own) expect(Date.parse(event.at)).not.toBeNaN();
    }
    const promote = events.filter((event) => "step" in event && event.step === "promote").map((event) => event.type);
    expect(promote).toEqual(["observe", "act-start", "act", "verified"]);
    expect(events[events.length - 1]?.type).toBe("finished");
  });

  it("prints exactly one JSON document with --json", async () => {
    const { code, out } = await attempt({ json: true });
    expect(code).toBe(ExitCode.Ok);
    const document = JSON.parse(out.out()) as { status: string; report: { rpoSeconds: number; rtoSeconds: number; steps: { id: string; seconds: number }[] }; files: { json: string } };
    expect(document.status).toBe("done");
    expect(document.report.rpoSeconds).toBe(0);
    expect(document.report.steps.map((step) => step.id)).toEqual(["fence", "promote", "multi-az", "repoint", "scale", "switch-traffic", "verify-site"]);
    expect(existsSync(document.files.json)).toBe(true);
  });

  it("retries throttled calls with backoff and still acts once", async () => {
    scenario.throttle("PromoteReadReplica", 2);
    scenario.throttle("GetHealthCheck", 3);
    scenario.throttle("UpdateAutoScalingGroup", 1);
    const { code, out, error } = await attempt();
    expect(error?.message).toBeUndefined();
    expect(code).toBe(ExitCode.Ok);
    expect(scenario.mocks.rds.commandCalls(PromoteReadReplicaCommand)).toHaveLength(3);
    expect(sorted(scenario.mutations)).toEqual(baseline());
    expect(out.err()).toMatch(/promoting shop-prod-dr-db[\s\S]*ThrottlingException: Rate exceeded; retrying in \d+\.\ds \(attempt 2\)/);
    expect(out.err()).toMatch(/read the health check: ThrottlingException: Rate exceeded; retrying in/);
  });

  it("points the DR secret parameter at a secret in the DR region when given one", async () => {
    const secret = `arn:aws:secretsmanager:${DR}:123456789012:secret:shop-prod-db-AbCdEf`;
    const { code, out } = await attempt({ databaseSecretArn: secret });
    expect(code).toBe(ExitCode.Ok);
    expect(scenario.mutations).toContain(`PutParameter /shop-prod-dr/database/secret-arn=${secret}`);
    expect(out.out()).not.toContain("reads its database secret from");
  });
});

describe("shopctl failover (ungraceful)", () => {
  it("leaves the primary region alone, moves traffic in the switch step and reports the lag as the RPO", async () => {
    const { code, out } = await attempt({ mode: "ungraceful" });
    expect(code).toBe(ExitCode.Ok);
    expect(sorted(scenario.mutations)).toEqual([
      "PromoteReadReplica shop-prod-dr-db retention=35",
      "PutMetricData ShopPlatform/DR RecoveryTimeSeconds=N RecoveryPointSeconds=12",
      "UpdateAutoScalingGroup shop-prod-dr-web desired=3 min=3 max=12",
      "UpdateHealthCheck hc-0123456789abcdef Inverted=true",
    ]);
    expect(out.err()).toContain("step 1: fence the primary region: skipped (ungraceful");
    // Mid-outage the primary region is not read: no copy-job listing there, no fleet describe in the preflight.
    expect(scenario.count("ListCopyJobs")).toBe(0);
    expect(out.out()).toContain("ungraceful: the replica's newest ReplicaLag before the promotion (12s");
  });
});

describe("shopctl failover preflight refusals (exit 3, no mutating call)", () => {
  const refused = async (overrides: Partial<FailoverOptions>, pattern: RegExp) => {
    const { code, error } = await attempt(overrides);
    expect(error).toBeInstanceOf(RefusedError);
    expect(code).toBe(ExitCode.Refused);
    expect(error?.message).toMatch(pattern);
    expect(error?.message).toContain("nothing was changed");
    expect(scenario.mutatingRequests()).toBe(0);
    expect(existsSync(journalFile())).toBe(false);
    return error as RefusedError;
  };

  it("refuses a replica that is not available", async () => {
    scenario.replica.status = "storage-full";
    await refused({}, /the replica is not available for promotion: replica is storage-full \(--force cannot override this\)/);
  });

  it("refuses when the DR database is no longer a replica", async () => {
    scenario.replica.source = undefined;
    await refused({}, /is a standalone instance, not a replica/);
  });

  it("refuses a lag over --max-data-loss, and an unknown lag", async () => {
    scenario.lagSeconds = 120;
    const error = await refused({ maxDataLoss: "60s" }, /replica lag exceeds --max-data-loss: 120s behind, over 60s/);
    expect(error.message).toContain("--force --acknowledge prod:accept-risk");
    scenario.lagMissing = true;
    await refused({}, /replica lag unknown: no ReplicaLag datapoint in the last 15 minutes/);
  });

  it("refuses when the DR region is not ready", async () => {
    scenario.mocks.kms.on((await import("@aws-sdk/client-kms")).DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k", Enabled: false, KeyState: "PendingDeletion" } });
    await refused({}, /the DR region is NOT READY: kms: unusable: alias\/shop-platform-prod-backup \(PendingDeletion\)/);
  });

  it("refuses a graceful failover when the primary region does not answer", async () => {
    scenario.mocks.asg.on((await import("@aws-sdk/client-auto-scaling")).DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: ["shop-prod-web"] }).rejects(Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError" }));
    await refused({}, /graceful failover needs the primary region, and eu-west-1 does not answer .*use --mode ungraceful/);
  });

  it("refuses a stack without a DR region or failover records before any AWS call", async () => {
    scenario.restore();
    scenario = new DrScenario(scenarioOutputs());
    const noDns = new StubEngine({ outputs: { values: scenarioOutputs({ dns: undefined }), secretKeys: [] } });
    const error = await failover(options(), io(), deps(undefined, noDns)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toContain("has no Route 53 failover pair");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("--force overrides an overridable refusal only with the acknowledgement", async () => {
    scenario.lagSeconds = 120;
    const missing = await attempt({ force: true });
    expect(missing.error).toBeInstanceOf(UsageError);
    expect(missing.error?.message).toContain("--force needs --acknowledge prod:accept-risk");
    const wrong = await attempt({ force: true, acknowledge: "yes" });
    expect(wrong.code).toBe(ExitCode.Refused);
    expect(wrong.error?.message).toContain('the acknowledgement "yes" is not "prod:accept-risk"');
    expect(scenario.mutatingRequests()).toBe(0);
    const forced = await attempt({ force: true, acknowledge: "prod:accept-risk" });
    expect(forced.code).toBe(ExitCode.Ok);
    expect(forced.out.out()).toContain("preflight overridden with --force: replica lag exceeds --max-data-loss");
  });

  it("--force cannot override a replica that is not available", async () => {
    scenario.replica.status = "incompatible-parameters";
    await refused({ force: true, acknowledge: "prod:accept-risk" }, /not available for promotion/);
  });
});

describe("shopctl failover --dry-run", () => {
  it("runs the preflight, prints the plan and makes no mutating call", async () => {
    const { code, out } = await attempt({ dryRun: true, yes: false });
    expect(code).toBe(ExitCode.Ok);
    expect(scenario.mutatingRequests()).toBe(0);
    expect(out.out()).toContain("Failover plan for prod (graceful)");
    expect(out.out()).toContain("  2. promote shop-prod-dr-db in eu-central-1  (after 1)");
    expect(out.out()).toContain("all checks passed");
    expect(out.out()).toContain("DR readiness of prod (warm-standby, DR region eu-central-1): READY");
    expect(out.out()).toContain("Dry run: nothing was changed.");
    expect(existsSync(drDir()) && readdirSync(drDir()).some((name) => name.includes("journal") || name === "lock.json")).toBe(false);
  });

  it("exits 3 with the refusals when the preflight would refuse, still changing nothing", async () => {
    scenario.lagSeconds = 600;
    const { code, out } = await attempt({ dryRun: true, json: true });
    expect(code).toBe(ExitCode.Refused);
    const document = JSON.parse(out.out()) as { dryRun: boolean; preflight: { refusals: { code: string }[] }; plan: { id: string }[] };
    expect(document.preflight.refusals.map((refusal) => refusal.code)).toEqual(["replica-lag"]);
    expect(document.plan.map((step) => step.id)).toEqual(["fence", "promote", "multi-az", "repoint", "scale", "switch-traffic", "verify-site", "report"]);
    expect(scenario.mutatingRequests()).toBe(0);
  });
});

/** A world where every step has something to do: a single-AZ replica, a stale endpoint parameter. */
function everyStepActs(): string[] {
  scenario.replica.multiAz = false;
  scenario.parameters["/shop-prod-dr/database/endpoint"] = "shop-prod-dr-db.old.eu-central-1.rds.amazonaws.com:5432";
  return [...baseline(), "ModifyDBInstance shop-prod-dr-db MultiAZ=true", "PutParameter /shop-prod-dr/database/endpoint=shop-prod-dr-db.abc.eu-central-1.rds.amazonaws.com:5432"].sort();
}

describe("shopctl failover: every step's calls are retried when throttled", () => {
  const calls = [
    "DescribeAutoScalingGroups", "UpdateAutoScalingGroup", "GetHealthCheck", "UpdateHealthCheck", "GetMetricData", "DescribeDBInstances", "PromoteReadReplica",
    "ModifyDBInstance", "GetParameters", "PutParameter", "DescribeTargetHealth", "GetHealthCheckStatus", "ListResourceRecordSets", "DescribeAlarms", "PutMetricData",
  ];
  it.each(calls)("%s throttled twice: the run completes, each change made once", async (command) => {
    const expected = everyStepActs();
    scenario.throttle(command, 2);
    const { code, error, out } = await attempt();
    expect(error).toBeUndefined();
    expect(code).toBe(ExitCode.Ok);
    expect(sorted(scenario.mutations)).toEqual(expected);
    expect(out.err()).toContain("ThrottlingException: Rate exceeded; retrying in");
  });
});

describe("shopctl failover: interruptions and --resume", () => {
  const faultPoints = [
    { command: "UpdateAutoScalingGroup", occurrence: 1 },
    { command: "UpdateHealthCheck", occurrence: 1 },
    { command: "UpdateAutoScalingGroup", occurrence: 2 },
    { command: "GetMetricData", occurrence: 3 },
    { command: "PromoteReadReplica", occurrence: 1 },
    { command: "DescribeDBInstances", occurrence: 6 },
    { command: "ModifyDBInstance", occurrence: 1 },
    { command: "PutParameter", occurrence: 1 },
    { command: "DescribeTargetHealth", occurrence: 2 },
    { command: "GetHealthCheckStatus", occurrence: 2 },
    { command: "probe", occurrence: 1 },
    { command: "PutMetricData", occurrence: 1 },
  ];

  it.each(faultPoints)("interrupted at $command #$occurrence, --resume completes and no step acts twice", async ({ command, occurrence }) => {
    const expected = everyStepActs();
    const controller = new AbortController();
    scenario.faultAt(command, occurrence, "abort", controller);
    const first = await attempt({}, controller.signal);
    expect(first.code).toBe(ExitCode.Failed);
    expect(first.error?.message).toMatch(/was interrupted; its journal .* keeps every completed step\. Continue with: shopctl failover --stack prod --resume/);
    expect(existsSync(journalFile())).toBe(true);
    expect(existsSync(path.join(drDir(), "lock.json"))).toBe(false);

    const second = await attempt({ resume: true });
    expect(second.error).toBeUndefined();
    expect(second.code).toBe(ExitCode.Ok);
    expect(second.out.err()).toContain("resuming failover run");
    expect(sorted(scenario.mutations)).toEqual(expected);
  });

  it("an ungraceful run interrupted right after the traffic switch resumes without switching again", async () => {
    const controller = new AbortController();
    scenario.faultAt("UpdateHealthCheck", 1, "abort", controller);
    expect((await attempt({ mode: "ungraceful" }, controller.signal)).code).toBe(ExitCode.Failed);
    expect((await attempt({ resume: true })).code).toBe(ExitCode.Ok);
    expect(scenario.mutations.filter((line) => line.startsWith("UpdateHealthCheck"))).toHaveLength(1);
    expect(scenario.mutations.filter((line) => line.startsWith("PromoteReadReplica"))).toHaveLength(1);
  });

  it("a promotion whose answer was lost is not sent again on --resume", async () => {
    scenario.faultAt("PromoteReadReplica", 1, "lose-response");
    const first = await attempt();
    expect(first.code).toBe(ExitCode.Failed);
    expect(first.error?.message).toMatch(/step 2 \(promote shop-prod-dr-db in eu-central-1\) failed: socket hang up[\s\S]*--resume/);
    const second = await attempt({ resume: true });
    expect(second.code).toBe(ExitCode.Ok);
    expect(scenario.mocks.rds.commandCalls(PromoteReadReplicaCommand)).toHaveLength(1);
    expect(second.out.err()).toContain("  1. fence the primary region  [done]");
    expect(second.out.err()).toMatch(/step 2: promote shop-prod-dr-db in eu-central-1: not complete yet/);
  });

  it("refuses a new run while an interrupted one waits, and --resume when there is nothing to resume", async () => {
    const none = await attempt({ resume: true });
    expect(none.error).toBeInstanceOf(UsageError);
    expect(none.error?.message).toContain("there is no interrupted failover of prod to resume");
    const controller = new AbortController();
    scenario.faultAt("PromoteReadReplica", 1, "abort", controller);
    await attempt({}, controller.signal);
    const again = await attempt();
    expect(again.code).toBe(ExitCode.Refused);
    expect(again.error?.message).toMatch(/an interrupted failover of prod exists \(run .*; done: fence, scale\)\. Continue it with --resume/);
  });
});

describe("shopctl failover: lock, outputs, confirmation", () => {
  it("refuses while another run holds the lock, and names a stale lock with how to clear it", async () => {
    const dir = drDir();
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir, { recursive: true });
    const now = new Date(scenario.clock.now()).toISOString();
    writeFileSync(path.join(dir, "lock.json"), JSON.stringify({ pid: process.pid, host: hostname(), operation: "drill", runId: "r0", startedAt: now, heartbeatAt: now }));
    const live = await attempt();
    expect(live.code).toBe(ExitCode.Refused);
    expect(live.error?.message).toContain("another DR run is working on stack prod: drill run r0");
    writeFileSync(path.join(dir, "lock.json"), JSON.stringify({ pid: 4_194_321, host: hostname(), operation: "failover", runId: "r0", startedAt: now, heartbeatAt: now }));
    const stale = await attempt();
    expect(stale.code).toBe(ExitCode.Refused);
    expect(stale.error?.message).toContain("looks stale: process 4194321 on this host is gone");
    expect(stale.error?.message).toContain("shopctl dr unlock --stack prod");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("reads the outputs from --outputs-file without the state backend", async () => {
    const file = path.join(home, "prod-outputs.json");
    writeFileSync(file, JSON.stringify({ stack: "prod", outputs: scenario.outputs }));
    const d = deps();
    const out = io();
    expect(await failover(options({ outputsFile: file, dryRun: true }), out, d)).toBe(ExitCode.Ok);
    expect(d.live.enginesCreated()).toBe(0);
    expect(d.live.checkInputs).toEqual([]);
    expect(out.out()).toContain(`outputs from ${file}`);
  });

  it("rejects an outputs file that is not the outputs contract, or another stack's (exit 2)", async () => {
    const file = path.join(home, "bad.json");
    writeFileSync(file, JSON.stringify({ contractVersion: 1, stack: "prod" }));
    const bad = await attempt({ outputsFile: file });
    expect(bad.error).toBeInstanceOf(UsageError);
    expect(bad.error?.message).toMatch(/--outputs-file .*bad\.json: the outputs of prod do not match shop-platform's outputs contract v1/);
    writeFileSync(file, JSON.stringify(scenarioOutputs({ stack: "staging" })));
    expect((await attempt({ outputsFile: file })).error?.message).toContain("holds the outputs of stack staging, not prod");
    writeFileSync(file, "{");
    expect((await attempt({ outputsFile: file })).error?.message).toContain("not JSON (save it with `shopctl outputs --stack prod --json");
    expect((await attempt({ outputsFile: path.join(home, "missing.json") })).error?.message).toContain("no such file");
    expect(scenario.mutatingRequests()).toBe(0);
  });

  it("names the saved outputs copy when the state backend does not answer", async () => {
    await attempt({ dryRun: true });
    const broken = new StubEngine({ notDeployed: true });
    const error = await failover(options({ dryRun: true }), io(), deps(undefined, broken)).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toContain(`use the copy saved 0s ago: --outputs-file ${path.join(drDir(), "outputs.json")}`);
  });

  it("on prod, without a terminal and without --yes, stops before reading anything (exit 2)", async () => {
    const { error } = await attempt({ yes: false });
    expect(error).toBeInstanceOf(UsageError);
    expect(error?.message).toContain("to fail over stack prod, confirm with --yes");
    expect(scenario.count("GetCallerIdentity")).toBe(0);
  });

  it("rejects a bad --max-data-loss or --database-secret-arn (exit 2)", async () => {
    expect((await attempt({ maxDataLoss: "a while" })).error?.message).toContain("--max-data-loss a while: expected a duration");
    expect((await attempt({ databaseSecretArn: "shop-prod-db" })).error?.message).toContain("--database-secret-arn shop-prod-db: expected a Secrets Manager secret ARN");
    expect((await attempt({ searchPath: "search" })).error?.message).toContain("--search-path search: expected a path starting with /");
    expect(scenario.mutatingRequests()).toBe(0);
  });
});

describe("regions", () => {
  it("the scenario is the prod stack's pair", () => {
    expect([PRIMARY, DR]).toEqual(["eu-west-1", "eu-central-1"]);
  });
});
