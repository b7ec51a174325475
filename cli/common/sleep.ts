import { setTimeout as delay } from "node:timers/promises";

/**
 * Resolves after `ms`; rejects as soon as `signal` aborts (at once when it already has), with the
 * signal's reason when that is an Error, so callers can tell their own interruptions apart.
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, signal === undefined ? undefined : { signal });
  } catch (error) {
    if (signal?.aborted !== true) throw error;
    const reason: unknown = signal.reason;
    throw reason instanceof Error ? reason : new Error("aborted", { cause: reason });
  }
}
