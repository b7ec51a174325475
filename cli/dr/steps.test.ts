import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeClock } from "./clock.js";
import { Journal } from "./journal.js";
import { renderPlan, runSteps, StepFailedError, type Step } from "./steps.js";

let dir = "";
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), "shopctl-steps-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

function journal(steps: readonly Step[]): Journal {
  return Journal.create(dir, { at: new Date(0).toISOString(), runId: "r", operation: "failover", stack: "prod", options: {}, steps: steps.map((step) => ({ id: step.id, title: step.title })) });
}

/** A step that records its phases in `trace` and is done once `world[id]` is set by its action. */
function step(id: string, dependsOn: string[], trace: string[], world: Record<string, boolean>, options: { failVerify?: boolean; skip?: string } = {}): Step {
  return {
    id, title: `step ${id}`, dependsOn, plan: [`does ${id}`], skipReason: options.skip,
    observe: () => { trace.push(`observe ${id}`); return Promise.resolve({ done: world[id] === true }); },
    actions: (observation) => (observation.done === true ? [] : [{ id: "act", description: `acting ${id}`, run: () => { trace.push(`act ${id}`); world[id] = true; return Promise.resolve({}); } }]),
    verify: () => {
      trace.push(`verify ${id}`);
      if (options.failVerify === true || world[id] !== true) return Promise.reject(new Error(`${id} not done`));
      return Promise.resolve({ ok: true });
    },
  };
}

const base = (j: Journal, log: string[] = []) => ({ env: {}, clock: new FakeClock(), signal: undefined, journal: j, log: (line: string) => { log.push(line); }, heartbeat: () => undefined });

describe("runSteps", () => {
  it("runs steps in dependency order, independent ones side by side", async () => {
    const trace: string[] = [];
    const world: Record<string, boolean> = {};
    const steps = [step("a", [], trace, world), step("b", ["a"], trace, world), step("c", [], trace, world), step("d", ["b", "c"], trace, world)];
    await runSteps(steps, base(journal(steps)));
    expect(trace.indexOf("observe c")).toBeLessThan(trace.indexOf("verify a"));
    expect(trace.indexOf("verify a")).toBeLessThan(trace.indexOf("observe b"));
    expect(trace.indexOf("verify b")).toBeLessThan(trace.indexOf("observe d"));
    expect(trace.filter((entry) => entry.startsWith("act"))).toHaveLength(4);
  });

  it("skips what the journal shows done and re-verifies the step in progress before acting", async () => {
    const trace: string[] = [];
    const world: Record<string, boolean> = { a: true, b: true };
    const steps = [step("a", [], trace, world), step("b", ["a"], trace, world), step("c", ["b"], trace, world)];
    const j = journal(steps);
    j.append({ type: "verified", at: new Date(0).toISOString(), step: "a", facts: {} });
    j.append({ type: "act-start", at: new Date(0).toISOString(), step: "b", action: "act", description: "acting b" });
    const log: string[] = [];
    await runSteps(steps, base(j, log));
    expect(trace).toEqual(["verify b", "observe c", "act c", "verify c"]);
    expect(log).toContain("step 2: step b: already complete (re-verified after the interruption)");
  });

  it("journals a failed step and names it; a skipped step is journaled as skipped", async () => {
    const trace: string[] = [];
    const world: Record<string, boolean> = {};
    const steps = [step("a", [], trace, world, { skip: "not in this mode" }), step("b", [], trace, world, { failVerify: true }), step("c", ["b"], trace, world)];
    const j = journal(steps);
    await expect(runSteps(steps, base(j))).rejects.toThrow(new StepFailedError(steps[1] as Step, 2, "b not done"));
    expect(j.stepState("a")).toBe("skipped");
    expect(j.stepState("b")).toBe("failed");
    expect(j.stepState("c")).toBe("pending");
    expect(trace).not.toContain("observe c");
  });

  it("refuses steps whose dependencies do not exist", async () => {
    const steps = [step("a", ["ghost"], [], {})];
    await expect(runSteps(steps, base(journal(steps)))).rejects.toThrow("steps that can never run (their dependencies are missing): a");
  });

  it("renders the plan with dependencies, skips and progress", () => {
    const world: Record<string, boolean> = {};
    const steps = [step("a", [], [], world), step("b", ["a"], [], world, { skip: "ungraceful" })];
    const j = journal(steps);
    j.append({ type: "verified", at: new Date(0).toISOString(), step: "a", facts: {} });
    expect(renderPlan("Plan", steps, j)).toBe("Plan\n  1. step a  [done]\n       does a\n  2. step b  (after 1)  [skipped: ungraceful]\n       does b");
  });
});
