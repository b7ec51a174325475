import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { memoryIo } from "../../../test/memory-io.js";
import { ROOT } from "../../../test/shopctl.js";
import { StubEngine, stubDeps } from "../../../test/stub-engine.js";
import { DrScenario } from "../../dr/testing/scenario.js";
import { ExitCode, RefusedError } from "../../exit-codes.js";
import { backupReport } from "./backup-action.js";
import { drStatus, drUnlock } from "./dr-action.js";

let home = "";
let scenario: DrScenario;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "shopctl-dr-"));
  scenario = new DrScenario();
});
afterEach(() => {
  scenario.restore();
  rmSync(home, { recursive: true, force: true });
});

const io = () => memoryIo({ SHOPCTL_STACKS_DIR: path.join(ROOT, "stacks"), SHOPCTL_HOME: home });
const deps = () => ({ live: stubDeps({ engine: new StubEngine({ outputs: { values: scenario.outputs, secretKeys: [] } }), now: () => scenario.clock.now() }), clock: scenario.clock, probe: scenario.probe });
const drDir = () => path.join(home, "dr", "prod");

describe("shopctl dr status", () => {
  it("prints the verdict with its reasons and exits 0 when READY", async () => {
    const out = io();
    expect(await drStatus({ stack: "prod", json: false }, out, deps())).toBe(ExitCode.Ok);
    expect(out.out()).toContain("DR readiness of prod (warm-standby, DR region eu-central-1): READY");
    expect(out.out()).toMatch(/ok +kms +3 keys enabled/);
  });

  it("exits 1 when NOT READY and shows an unfinished run and a stale lock", async () => {
    scenario.replica.source = undefined;
    mkdirSync(drDir(), { recursive: true });
    writeFileSync(path.join(drDir(), "failover.journal.jsonl"), `${JSON.stringify({ type: "start", at: "2026-01-15T08:00:00.000Z", runId: "r9", operation: "failover", stack: "prod", options: {}, steps: [{ id: "fence", title: "fence" }, { id: "promote", title: "promote" }] })}\n${JSON.stringify({ type: "verified", at: "2026-01-15T08:01:00.000Z", step: "fence", facts: {} })}\n`);
    writeFileSync(path.join(drDir(), "lock.json"), JSON.stringify({ pid: 4_194_999, host: hostname(), operation: "failover", runId: "r9", startedAt: "x", heartbeatAt: "2026-01-15T08:01:00.000Z" }));
    const out = io();
    expect(await drStatus({ stack: "prod", json: false }, out, deps())).toBe(ExitCode.Failed);
    expect(out.out()).toContain(": NOT READY");
    expect(out.out()).toContain("failover run r9 (started 2026-01-15T08:00:00.000Z) is unfinished: done fence; next promote. Continue it with --resume.");
    expect(out.out()).toContain("looks STALE: process 4194999 on this host is gone; clear it with shopctl dr unlock");

    const json = io();
    await drStatus({ stack: "prod", json: true }, json, deps());
    const document = JSON.parse(json.out()) as { readiness: { verdict: string }; runsInProgress: { operation: string }[]; lock: { stale: string } };
    expect(document.readiness.verdict).toBe("NOT READY");
    expect(document.runsInProgress.map((run) => run.operation)).toEqual(["failover"]);
    expect(document.lock.stale).toContain("is gone");
  });

  it("compares the lag with --max-lag", async () => {
    const out = io();
    expect(await drStatus({ stack: "prod", json: true, maxLag: "5s" }, out, deps())).toBe(ExitCode.Failed);
    expect((JSON.parse(out.out()) as { readiness: { reasons: string[] } }).readiness.reasons).toContain("replica-lag: 12s behind, over 5s");
  });
});

describe("shopctl dr unlock", () => {
  it("removes a stale lock, refuses a live one, and says when there is none", async () => {
    mkdirSync(drDir(), { recursive: true });
    writeFileSync(path.join(drDir(), "lock.json"), JSON.stringify({ pid: 4_194_999, host: hostname(), operation: "drill", runId: "r1", startedAt: "x", heartbeatAt: new Date(scenario.clock.now()).toISOString() }));
    const out = io();
    expect(await drUnlock({ stack: "prod", json: false, force: false }, out, deps())).toBe(ExitCode.Ok);
    expect(out.out()).toContain("removed the lock of prod (drill run r1, pid 4194999");
    writeFileSync(path.join(drDir(), "lock.json"), JSON.stringify({ pid: process.pid, host: hostname(), operation: "drill", runId: "r2", startedAt: "x", heartbeatAt: new Date(scenario.clock.now()).toISOString() }));
    await expect(drUnlock({ stack: "prod", json: false, force: false }, io(), deps())).rejects.toThrow(RefusedError);
    expect(await drUnlock({ stack: "prod", json: true, force: true }, io(), deps())).toBe(ExitCode.Ok);
    const none = io();
    await drUnlock({ stack: "prod", json: false, force: false }, none, deps());
    expect(none.out()).toContain("stack prod has no lock; nothing to do");
  });
});

describe("shopctl backup status|verify", () => {
  it("status exits 0 and verify exits 1 when something is out of policy", async () => {
    // The scenario's vaults hold a database point but none of the asset bucket: out of policy.
    const status = io();
    expect(await backupReport("status", { stack: "prod", json: false, days: "7" }, status, deps())).toBe(ExitCode.Ok);
    expect(status.out()).toContain("verdict: OUT OF POLICY");
    expect(status.out()).toContain("holds no recovery point of arn:aws:s3:::shop-prod-assets");
    const verify = io();
    expect(await backupReport("verify", { stack: "prod", json: true, days: "7" }, verify, deps())).toBe(ExitCode.Failed);
    expect((JSON.parse(verify.out()) as { withinPolicy: boolean }).withinPolicy).toBe(false);
  });

  it("rejects a bad --days or --max-age (exit 2)", async () => {
    await expect(backupReport("verify", { stack: "prod", json: false, days: "week" }, io(), deps())).rejects.toThrow("--days week: expected a whole number of days from 1 to 90");
    await expect(backupReport("verify", { stack: "prod", json: false, days: "7", maxAge: "old" }, io(), deps())).rejects.toThrow("--max-age old: expected a duration");
  });
});
