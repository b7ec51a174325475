/** Exponential backoff with jitter, for 429s and 5xx from the search cluster. */
export interface BackoffPolicy {
  /** The first delay, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  /** Source of jitter in [0, 1); injectable so tests can pin it. */
  random?: () => number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 20_000 };

/**
 * The delay before retry number `attempt` (1-based): base * 2^(attempt-1), capped, then scaled
 * into [50%, 100%] so that clients rejected together do not come back together.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`retry attempt ${attempt} must be a positive integer`);
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  const jitter = 0.5 + 0.5 * (policy.random ?? Math.random)();
  return Math.round(exponential * jitter);
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error("aborted");
}
