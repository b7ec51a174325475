import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { RefusedError } from "../exit-codes.js";
import { formatSeconds } from "../common/durations.js";
import type { Clock } from "./clock.js";
import { drFiles } from "./paths.js";

/** What a lock file says about its holder. */
export interface LockInfo {
  pid: number;
  host: string;
  operation: string;
  runId: string;
  startedAt: string;
  /** Refreshed while the run works (every journal entry and every poll of a wait). */
  heartbeatAt: string;
}

/** A lock whose holder stopped heartbeating this long ago is stale, whatever its pid. */
export const STALE_AFTER_MS = 30 * 60_000;

export type LockState =
  | { held: false }
  | { held: true; info: LockInfo | undefined; stale: string | undefined; path: string };

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseLock(text: string): LockInfo | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid !== "number" || typeof value.host !== "string" || typeof value.heartbeatAt !== "string") return undefined;
    return { pid: value.pid, host: value.host, operation: value.operation ?? "?", runId: value.runId ?? "?", startedAt: value.startedAt ?? "?", heartbeatAt: value.heartbeatAt };
  } catch {
    return undefined;
  }
}

/** Why the lock looks abandoned, or undefined when its holder may still be working. */
export function staleReason(info: LockInfo | undefined, now: number, staleAfterMs = STALE_AFTER_MS): string | undefined {
  if (info === undefined) return "the lock file is unreadable";
  if (info.host === hostname() && !processAlive(info.pid)) return `process ${info.pid} on this host is gone`;
  const silentMs = now - Date.parse(info.heartbeatAt);
  if (Number.isNaN(silentMs)) return "its heartbeat time is unreadable";
  if (silentMs > staleAfterMs) return `no heartbeat for ${formatSeconds(silentMs / 1_000)} (since ${info.heartbeatAt})`;
  return undefined;
}

export function inspectLock(dir: string, now: number): LockState {
  const file = drFiles.lock(dir);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { held: false };
    throw error;
  }
  const info = parseLock(text);
  return { held: true, info, stale: staleReason(info, now), path: file };
}

function describeHolder(state: Extract<LockState, { held: true }>): string {
  const info = state.info;
  return info === undefined ? "an unknown run" : `${info.operation} run ${info.runId} (pid ${info.pid} on ${info.host}, started ${info.startedAt}, last heartbeat ${info.heartbeatAt})`;
}

/** One DR run per stack at a time: an exclusive lock file, created atomically. */
export class DrLock {
  private constructor(private readonly file: string, private info: LockInfo, private readonly clock: Clock) {}

  /** Take the lock or refuse (exit 3) naming its holder; a stale lock is reported with how to clear it, never taken over silently. */
  static acquire(dir: string, stack: string, operation: string, runId: string, clock: Clock): DrLock {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = drFiles.lock(dir);
    const at = new Date(clock.now()).toISOString();
    const info: LockInfo = { pid: process.pid, host: hostname(), operation, runId, startedAt: at, heartbeatAt: at };
    let fd: number;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const state = inspectLock(dir, clock.now());
      if (!state.held) return DrLock.acquire(dir, stack, operation, runId, clock);
      const holder = describeHolder(state);
      if (state.stale !== undefined) {
        throw new RefusedError([
          `another DR run holds the lock of stack ${stack}, and it looks stale: ${state.stale}.`,
          `  holder: ${holder}`,
          `Make sure no shopctl run is still working on ${stack} (other terminals, CI jobs), then clear it with`,
          `  shopctl dr unlock --stack ${stack}      (or delete ${file})`,
          "and continue the interrupted run with --resume. Nothing was changed.",
        ].join("\n"), { lock: state.info ?? null, stale: state.stale });
      }
      throw new RefusedError(`another DR run is working on stack ${stack}: ${holder}. Wait for it to finish (\`shopctl dr status --stack ${stack}\` shows it); nothing was changed.`, { lock: state.info ?? null });
    }
    try {
      writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return new DrLock(file, info, clock);
  }

  /** Tell other runs this one is alive (the lock file's heartbeat), through an atomic rename. */
  heartbeat(): void {
    this.info = { ...this.info, heartbeatAt: new Date(this.clock.now()).toISOString() };
    const temporary = `${this.file}.${process.pid}.tmp`;
    const fd = openSync(temporary, "w", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(this.info, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
  }

  /** Remove the lock, unless someone cleared it and another run took it meanwhile. */
  release(): void {
    let owner: LockInfo | undefined;
    try {
      owner = parseLock(readFileSync(this.file, "utf8"));
    } catch {
      return;
    }
    if (owner?.runId === this.info.runId) rmSync(this.file, { force: true });
  }
}

/** `shopctl dr unlock`: remove a stale lock; a live one only with `force`. */
export function clearLock(dir: string, stack: string, now: number, force: boolean): { removed: boolean; state: LockState } {
  const state = inspectLock(dir, now);
  if (!state.held) return { removed: false, state };
  if (state.stale === undefined && !force) {
    throw new RefusedError(`the lock of stack ${stack} is held by a live run: ${describeHolder(state)}. It was not removed; pass --force only when you are sure that run is gone.`, { lock: state.info ?? null });
  }
  rmSync(state.path, { force: true });
  return { removed: true, state };
}
