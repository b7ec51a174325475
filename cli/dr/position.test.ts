import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Journal } from "./journal.js";
import type { Operation } from "./paths.js";
import { drConflict, drPosition } from "./position.js";

let dir = "";
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), "shopctl-dr-position-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const at = (hour: number) => new Date(Date.UTC(2026, 0, 15, hour)).toISOString();

/** A run of `operation` started at `hour`; finished (and archived) an hour later unless told. */
function run(operation: Operation, hour: number, finish = true): void {
  const journal = Journal.create(dir, { at: at(hour), runId: `${operation}-${hour}`, operation, stack: "prod", options: {}, steps: [] });
  if (!finish) return;
  journal.append({ type: "finished", at: at(hour + 1) });
  journal.archive();
}

describe("drPosition", () => {
  it("is as declared without DR runs, and after drills only", () => {
    expect(drPosition(dir)).toEqual({ kind: "as-declared" });
    run("drill", 1);
    expect(drPosition(dir)).toEqual({ kind: "as-declared" });
  });

  it("is failed over after a finished failover, and through the failback until its standby phase", () => {
    run("failover", 1);
    expect(drPosition(dir)).toEqual({ kind: "failed-over", runId: "failover-1", finishedAt: at(2) });
    run("failback-replicate", 3);
    run("failback-switch", 5);
    expect(drPosition(dir).kind).toBe("failed-over");
    run("failback-standby", 7);
    expect(drPosition(dir)).toEqual({ kind: "as-declared" });
    // A later failover counts again: the standby phase before it does not.
    run("failover", 10);
    expect(drPosition(dir)).toEqual({ kind: "failed-over", runId: "failover-10", finishedAt: at(11) });
  });

  it("names an unfinished DR run, but not an unfinished drill", () => {
    run("drill", 1, false);
    expect(drPosition(dir)).toEqual({ kind: "as-declared" });
    run("failback-switch", 2, false);
    expect(drPosition(dir)).toEqual({ kind: "run-unfinished", operation: "failback-switch", runId: "failback-switch-2", startedAt: at(2) });
  });
});

describe("drConflict", () => {
  it("says nothing as declared, and why and what next otherwise", () => {
    expect(drConflict("prod", { kind: "as-declared" })).toBeUndefined();
    expect(drConflict("prod", { kind: "failed-over", runId: "r1", finishedAt: at(2) })).toMatch(/^stack prod is failed over \(failover run r1 finished .*scale the DR fleet back.*`shopctl failback --stack prod` shows the next phase$/);
    expect(drConflict("prod", { kind: "run-unfinished", operation: "failback-switch", runId: "r2", startedAt: at(3) })).toContain("Finish it first: `shopctl failback switch --stack prod --resume`");
  });
});
