import { type Clock, InterruptedError, throwIfAborted } from "./clock.js";
import type { Facts, Journal } from "./journal.js";
import { retryLine, withRetry } from "./retry.js";
import { waitFor, type WaitOptions } from "./wait.js";

/** What a step's code gets: AWS calls with retries, bounded waits, the journal, progress output. */
export interface RunContext {
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal | undefined;
  journal: Journal;
  log(line: string): void;
  /** One AWS call, retried with backoff when throttled. */
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
  /** A bounded poll; while re-verifying an interrupted step, a single look. */
  wait<T>(options: Omit<WaitOptions<T>, "clock" | "signal" | "onProgress">): Promise<T>;
}

export interface StepAction {
  /** Stable within the step: the journal matches act-start and act by it. */
  id: string;
  description: string;
  run(): Promise<Facts>;
}

/**
 * One step of a DR run: observe the world, act only where it differs from the goal (so running
 * a step twice acts once), then verify, waiting for AWS's asynchronous changes with a bound.
 */
export interface Step<O extends Facts = Facts> {
  id: string;
  title: string;
  /** Steps that must be verified first; steps without a path between them run in parallel. */
  dependsOn: readonly string[];
  /** What the step will do, for the plan printed before anything runs. */
  plan: readonly string[];
  /** Set when the step does not apply to this run (shown in the plan, journaled as skipped). */
  skipReason?: string | undefined;
  observe(ctx: RunContext): Promise<O>;
  actions(observation: O, ctx: RunContext): StepAction[];
  /** Throws when the goal is not reached; `observation` is undefined when re-verifying after an interruption. */
  verify(ctx: RunContext, observation: O | undefined): Promise<Facts>;
}

/** A step failed (not an interruption): the journal keeps it so `--resume` retries it. */
export class StepFailedError extends Error {
  constructor(readonly step: Step, readonly index: number, readonly reason: string) {
    super(`step ${index} (${step.title}) failed: ${reason}`);
    this.name = "StepFailedError";
  }
}

export interface RunHooks {
  /** Called after every step is verified (the report uses it for timings). */
  onVerified?: (step: Step) => void;
}

/** Build the RunContext the steps see; `check` turns waits into single looks. */
export function makeContext(base: { env: NodeJS.ProcessEnv; clock: Clock; signal: AbortSignal | undefined; journal: Journal; log: (line: string) => void; heartbeat: () => void }, check = false): RunContext {
  const ctx: RunContext = {
    env: base.env,
    clock: base.clock,
    signal: base.signal,
    journal: base.journal,
    log: base.log,
    call: (what, fn) => withRetry(what, fn, {
      clock: base.clock,
      signal: base.signal,
      onRetry: (...retry) => { base.log(retryLine(...retry)); },
    }),
    wait: (options) => waitFor({
      ...options,
      // A promotion can sit in one state for most of an hour: every poll tells the lock this run lives.
      observe: () => {
        base.heartbeat();
        return options.observe();
      },
      timeoutMs: check ? 0 : options.timeoutMs,
      clock: base.clock,
      signal: base.signal,
      onProgress: (line) => {
        if (!check) base.log(line);
      },
    }),
  };
  return ctx;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Run the steps in dependency order, independent ones in parallel, skipping what the journal
 * shows as done and re-verifying the step an interruption left in progress.
 */
export async function runSteps(steps: readonly Step[], base: Parameters<typeof makeContext>[0], hooks: RunHooks = {}): Promise<void> {
  const { journal } = base;
  const index = new Map(steps.map((step, position) => [step.id, position + 1]));
  const at = () => new Date(base.clock.now()).toISOString();

  const runOne = async (step: Step): Promise<void> => {
    const number = index.get(step.id) ?? 0;
    // Parallel steps interleave their progress: every line carries its step's number.
    const stepBase = { ...base, log: (line: string) => { base.log(`[${number}] ${line.trimStart()}`); } };
    const ctx = makeContext(stepBase);
    const checkCtx = makeContext(stepBase, true);
    const state = journal.stepState(step.id);
    if (state === "done" || state === "skipped") return;
    if (step.skipReason !== undefined) {
      journal.append({ type: "skipped", at: at(), step: step.id, reason: step.skipReason });
      base.log(`step ${number}: ${step.title}: skipped (${step.skipReason})`);
      return;
    }
    if (state === "in-progress" || state === "failed") {
      try {
        const facts = await step.verify(checkCtx, undefined);
        journal.append({ type: "verified", at: at(), step: step.id, facts, reverified: true });
        base.log(`step ${number}: ${step.title}: already complete (re-verified after the interruption)`);
        hooks.onVerified?.(step);
        return;
      } catch (error) {
        if (error instanceof InterruptedError) throw error;
        base.log(`step ${number}: ${step.title}: not complete yet (${message(error)}); continuing it`);
      }
    } else {
      base.log(`step ${number}: ${step.title}`);
    }
    try {
      throwIfAborted(base.signal);
      const observation = await step.observe(ctx);
      journal.append({ type: "observe", at: at(), step: step.id, facts: observation });
      for (const action of step.actions(observation, ctx)) {
        throwIfAborted(base.signal);
        journal.append({ type: "act-start", at: at(), step: step.id, action: action.id, description: action.description });
        ctx.log(action.description);
        // A throttled request was never applied, so sending it again cannot act twice.
        const result = await withRetry(action.description, () => action.run(), {
          clock: base.clock,
          signal: base.signal,
          throttlingOnly: true,
          onRetry: (...retry) => { ctx.log(retryLine(...retry)); },
        });
        journal.append({ type: "act", at: at(), step: step.id, action: action.id, result });
      }
      throwIfAborted(base.signal);
      const facts = await step.verify(ctx, observation);
      journal.append({ type: "verified", at: at(), step: step.id, facts });
      ctx.log("verified");
      hooks.onVerified?.(step);
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      journal.append({ type: "step-failed", at: at(), step: step.id, error: message(error) });
      throw new StepFailedError(step, number, message(error));
    }
  };

  const done = new Set(steps.filter((step) => ["done", "skipped"].includes(journal.stepState(step.id))).map((step) => step.id));
  const running = new Map<string, Promise<void>>();
  const failures: unknown[] = [];
  for (;;) {
    if (failures.length === 0) {
      for (const step of steps) {
        if (done.has(step.id) || running.has(step.id) || !step.dependsOn.every((dependency) => done.has(dependency))) continue;
        const task = runOne(step).then(
          () => { done.add(step.id); },
          (error: unknown) => { failures.push(error); },
        ).finally(() => { running.delete(step.id); });
        running.set(step.id, task);
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  const interrupted = failures.find((error) => error instanceof InterruptedError);
  if (interrupted !== undefined) {
    journal.append({ type: "interrupted", at: at() });
    throw interrupted;
  }
  if (failures.length > 0) throw failures[0];
  const stuck = steps.filter((step) => !done.has(step.id));
  if (stuck.length > 0) throw new Error(`steps that can never run (their dependencies are missing): ${stuck.map((step) => step.id).join(", ")}`);
}

/** The plan as numbered lines: what each step does and what runs in parallel. */
export function renderPlan(title: string, steps: readonly Step[], journal?: Journal): string {
  const number = new Map(steps.map((step, position) => [step.id, position + 1]));
  const lines = [title];
  for (const step of steps) {
    const n = number.get(step.id) ?? 0;
    const state = journal?.stepState(step.id);
    const mark = step.skipReason !== undefined ? `  [skipped: ${step.skipReason}]` : state === "done" ? "  [done]" : state === "in-progress" || state === "failed" ? "  [in progress: re-verified first]" : "";
    const after = step.dependsOn.length === 0 ? "" : `  (after ${step.dependsOn.map((id) => number.get(id)).join(", ")})`;
    lines.push(`  ${n}. ${step.title}${after}${mark}`);
    for (const line of step.plan) lines.push(`       ${line}`);
  }
  return lines.join("\n");
}
