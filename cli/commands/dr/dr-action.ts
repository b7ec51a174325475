import { ExitCode } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { resolveTarget } from "../../live/target.js";
import { parseDuration } from "../../dr/duration.js";
import { Journal } from "../../dr/journal.js";
import { clearLock, inspectLock, type LockState } from "../../dr/lock.js";
import { defaultDrDeps, type DrDeps, readCaller } from "../../dr/operation.js";
import { loadDrOutputs } from "../../dr/outputs-source.js";
import { drDirectory, OPERATIONS } from "../../dr/paths.js";
import { assessReadiness, renderReadiness } from "../../dr/readiness.js";
import type { DrStatusOptions, DrUnlockOptions } from "./options.js";

interface RunSummary {
  operation: string;
  runId: string;
  startedAt: string;
  done: string[];
  pending: string[];
}

function runsInProgress(dir: string): RunSummary[] {
  return OPERATIONS.flatMap((operation) => {
    const journal = Journal.load(dir, operation);
    if (journal === undefined) return [];
    const steps = journal.start.steps;
    return [{
      operation,
      runId: journal.runId,
      startedAt: journal.start.at,
      done: steps.filter((step) => ["done", "skipped"].includes(journal.stepState(step.id))).map((step) => step.id),
      pending: steps.filter((step) => !["done", "skipped"].includes(journal.stepState(step.id))).map((step) => step.id),
    }];
  });
}

function lockLine(state: LockState): string | undefined {
  if (!state.held) return undefined;
  const holder = state.info === undefined ? "unreadable" : `${state.info.operation} run ${state.info.runId}, pid ${state.info.pid} on ${state.info.host}, heartbeat ${state.info.heartbeatAt}`;
  return `lock: held (${holder})${state.stale === undefined ? "" : `; looks STALE: ${state.stale}; clear it with shopctl dr unlock`}`;
}

export async function drStatus(options: DrStatusOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const { outputs, source } = await loadDrOutputs(target, options.outputsFile, io, deps.live);
  const maxLagSeconds = options.maxLag === undefined ? outputs.rpoSeconds : parseDuration(options.maxLag, "--max-lag") / 1_000;
  if (!options.json) log(io, `reading the DR readiness of ${target.stack} from AWS (outputs from ${source})...`);
  const call = readCaller(deps, io);
  const readiness = await assessReadiness(outputs, { env: io.env, call, now: new Date(deps.clock.now()), maxLagSeconds });
  const dir = drDirectory(io.env, target.stack);
  const runs = runsInProgress(dir);
  const lock = inspectLock(dir, deps.clock.now());
  const lastFailover = Journal.lastFinished(dir, "failover");
  if (options.json) {
    printJson(io, {
      stack: target.stack,
      outputsSource: source,
      readiness,
      runsInProgress: runs,
      lock: lock.held ? { info: lock.info ?? null, stale: lock.stale ?? null } : null,
      lastFailover: lastFailover === undefined ? null : { runId: lastFailover.runId, startedAt: lastFailover.start.at },
    });
  } else {
    const lines = [renderReadiness(outputs, readiness)];
    for (const run of runs) lines.push("", `${run.operation} run ${run.runId} (started ${run.startedAt}) is unfinished: done ${run.done.join(", ") || "nothing"}; next ${run.pending.join(", ")}. Continue it with --resume.`);
    const held = lockLine(lock);
    if (held !== undefined) lines.push("", held);
    if (lastFailover !== undefined) lines.push("", `last failover: run ${lastFailover.runId}, started ${lastFailover.start.at}`);
    printResult(io, lines.join("\n"));
  }
  return readiness.verdict === "NOT READY" ? ExitCode.Failed : ExitCode.Ok;
}

export async function drUnlock(options: DrUnlockOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const dir = drDirectory(io.env, target.stack);
  const { removed, state } = clearLock(dir, target.stack, deps.clock.now(), options.force);
  const info = state.held ? state.info ?? null : null;
  if (options.json) printJson(io, { stack: target.stack, removed, lock: info });
  else printResult(io, removed ? `removed the lock of ${target.stack} (${info === null ? "unreadable" : `${info.operation} run ${info.runId}, pid ${info.pid} on ${info.host}`}); continue its run with --resume` : `stack ${target.stack} has no lock; nothing to do`);
  return ExitCode.Ok;
}
