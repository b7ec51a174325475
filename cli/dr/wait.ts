import { formatSeconds } from "../common/durations.js";
import { type Clock, throwIfAborted } from "./clock.js";

/** A bounded wait ran out: the message names what was awaited and what was seen last. */
export class WaitTimeoutError extends Error {
  constructor(readonly what: string, readonly waitedMs: number, readonly lastSeen: string) {
    super(`gave up waiting for ${what} after ${formatSeconds(waitedMs / 1_000)}; last seen: ${lastSeen}`);
    this.name = "WaitTimeoutError";
  }
}

/** A state the wait cannot leave by waiting (a failed restore, an incompatible database). */
export class WaitFailedError extends Error {
  constructor(what: string, reason: string) {
    super(`${what}: ${reason}`);
    this.name = "WaitFailedError";
  }
}

export type Verdict = "done" | "waiting" | { failed: string };

export interface WaitOptions<T> {
  /** What is awaited, for messages: "the replica to become a standalone instance". */
  what: string;
  observe: () => Promise<T>;
  judge: (observation: T) => Verdict;
  /** One line about an observation, for progress and the timeout message. */
  describe: (observation: T) => string;
  clock: Clock;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal | undefined;
  onProgress?: (line: string) => void;
}

/**
 * Poll until `judge` says done, a failed state shows, or `timeoutMs` passes; never unbounded.
 * Progress is reported when the observed state changes, not on every poll.
 */
export async function waitFor<T>(options: WaitOptions<T>): Promise<T> {
  const started = options.clock.now();
  let last = "nothing yet";
  for (;;) {
    throwIfAborted(options.signal);
    const observation = await options.observe();
    const line = options.describe(observation);
    if (line !== last) options.onProgress?.(line);
    last = line;
    const verdict = options.judge(observation);
    if (verdict === "done") return observation;
    if (verdict !== "waiting") throw new WaitFailedError(options.what, verdict.failed);
    const waited = options.clock.now() - started;
    if (waited >= options.timeoutMs) throw new WaitTimeoutError(options.what, waited, last);
    await options.clock.sleep(Math.min(options.intervalMs, options.timeoutMs - waited), options.signal);
  }
}
