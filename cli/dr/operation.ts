import { randomBytes } from "node:crypto";
import { CliError, ExitCode, RefusedError, UsageError } from "../exit-codes.js";
import { canPrompt, log, type Io } from "../io.js";
import { defaultLiveDeps, type LiveDeps } from "../live/deps.js";
import { type Clock, InterruptedError, systemClock } from "./clock.js";
import { type Facts, Journal } from "./journal.js";
import { DrLock } from "./lock.js";
import type { Operation } from "./paths.js";
import { fetchProbe, type HttpProbe } from "./probe.js";
import type { Caller } from "./readiness.js";
import { retryLine, withRetry } from "./retry.js";
import { runSteps, StepFailedError, type Step } from "./steps.js";

/** What DR commands need from outside: the live deps (engine, doctor), time, HTTP, and a stop signal for tests. */
export interface DrDeps {
  live: LiveDeps;
  clock: Clock;
  probe: HttpProbe;
  /** Aborting it interrupts the run as Ctrl-C does (tests use it to cut a run at a chosen point). */
  signal?: AbortSignal;
}

export const defaultDrDeps: DrDeps = { live: defaultLiveDeps, clock: systemClock, probe: fetchProbe };

/** Read calls outside a run (preflights, status): retried when throttled, each retry logged to stderr. */
export function readCaller(deps: DrDeps, io: Io): Caller {
  return (what, fn) => withRetry(what, fn, {
    clock: deps.clock,
    signal: deps.signal,
    onRetry: (...retry) => { log(io, retryLine(...retry)); },
  });
}

export function newRunId(clock: Clock): string {
  const stamp = new Date(clock.now()).toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** A refusal reason of a DR preflight; `overridable` ones yield to --force with the acknowledgement. */
export interface Refusal {
  code: string;
  message: string;
  overridable: boolean;
}

export function acknowledgementFor(stack: string): string {
  return `${stack}:accept-risk`;
}

/**
 * Refuse (exit 3) when the preflight found reasons, unless every one is overridable and the user
 * forced it and acknowledged the risk (`--acknowledge <stack>:accept-risk`, or typed at a prompt).
 */
export async function enforcePreflight(io: Io, stack: string, what: string, refusals: readonly Refusal[], force: { force: boolean; acknowledge: string | undefined }): Promise<string[]> {
  if (refusals.length === 0) return [];
  const lines = refusals.map((refusal) => `  - ${refusal.message}${refusal.overridable ? "" : " (--force cannot override this)"}`);
  const details = { refusals };
  const hard = refusals.filter((refusal) => !refusal.overridable);
  if (!force.force || hard.length > 0) {
    throw new RefusedError(`${what} of ${stack} refused by the preflight; nothing was changed:\n${lines.join("\n")}${hard.length === 0 ? `\nOnly if you accept the risk: --force --acknowledge ${acknowledgementFor(stack)}` : ""}`, details);
  }
  const expected = acknowledgementFor(stack);
  let typed = force.acknowledge;
  if (typed === undefined) {
    if (!canPrompt(io)) throw new UsageError(`--force needs --acknowledge ${expected} (there is no terminal to type it on)`);
    log(io, `--force overrides:\n${lines.join("\n")}`);
    const { input } = await import("@inquirer/prompts");
    typed = (await input({ message: `Type "${expected}" to go ahead anyway:` }, { output: io.stderr })).trim();
  }
  if (typed !== expected) throw new RefusedError(`the acknowledgement "${typed}" is not "${expected}"; nothing was changed`, details);
  return refusals.map((refusal) => `preflight overridden with --force: ${refusal.message}`);
}

export interface OperationRun {
  operation: Operation;
  stack: string;
  dir: string;
  steps: readonly Step[];
  /** Recorded in the journal's start entry; a resumed run reads them back from there. */
  options: Facts;
  /** The unfinished journal to continue, when resuming. */
  resume: Journal | undefined;
  /** The run's id when the steps needed it before the run started (the drill names resources by it). */
  runId?: string;
  io: Io;
  deps: DrDeps;
}

/** Stops the run cleanly on Ctrl-C: the step in flight stops at its next check and the journal keeps its place. */
function interruption(io: Io, external: AbortSignal | undefined): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log(io, "interrupting: stopping after the call in flight (Ctrl-C again to quit at once); continue later with --resume");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  const signal = external === undefined ? controller.signal : AbortSignal.any([controller.signal, external]);
  return { signal, dispose: () => process.removeListener("SIGINT", onSignal) };
}

/**
 * Run a DR operation's steps under the stack's lock with a journal: a fresh run creates it, a
 * resumed one continues it. Done: the journal moves to the history folder. A failed or
 * interrupted run keeps it and says how to continue.
 */
export async function executeOperation(run: OperationRun): Promise<Journal> {
  const { io, deps } = run;
  const runId = run.resume?.runId ?? run.runId ?? newRunId(deps.clock);
  const lock = DrLock.acquire(run.dir, run.stack, run.operation, runId, deps.clock);
  const stop = interruption(io, deps.signal);
  let journal: Journal | undefined;
  try {
    const heartbeat = () => { lock.heartbeat(); };
    if (run.resume === undefined) {
      journal = Journal.create(run.dir, {
        at: new Date(deps.clock.now()).toISOString(),
        runId,
        operation: run.operation,
        stack: run.stack,
        options: run.options,
        steps: run.steps.map((step) => ({ id: step.id, title: step.title })),
      }, heartbeat);
    } else {
      journal = Journal.load(run.dir, run.operation, heartbeat) ?? run.resume;
      journal.append({ type: "resume", at: new Date(deps.clock.now()).toISOString(), pid: process.pid });
    }
    await runSteps(run.steps, { env: io.env, clock: deps.clock, signal: stop.signal, journal, log: (line) => { log(io, line); }, heartbeat });
    journal.append({ type: "finished", at: new Date(deps.clock.now()).toISOString() });
    journal.archive();
    return journal;
  } catch (error) {
    const resume = `shopctl ${commandOf(run.operation)} --stack ${run.stack} --resume`;
    if (error instanceof InterruptedError) {
      throw new CliError(`${run.operation} of ${run.stack} was interrupted; its journal (${journal?.file ?? "not started"}) keeps every completed step. Continue with: ${resume}`, ExitCode.Failed, { interrupted: true, journal: journal?.file ?? null });
    }
    if (error instanceof StepFailedError) {
      throw new CliError(`${run.operation} of ${run.stack}: ${error.message}\nFix the cause, then continue from this step with: ${resume}`, ExitCode.Failed, { step: error.step.id, reason: error.reason, journal: journal?.file ?? null });
    }
    throw error;
  } finally {
    stop.dispose();
    lock.release();
  }
}

export function commandOf(operation: Operation): string {
  switch (operation) {
    case "failover": return "failover";
    case "failback-replicate": return "failback replicate";
    case "failback-switch": return "failback switch";
    case "failback-standby": return "failback standby";
    case "drill": return "drill";
  }
}
