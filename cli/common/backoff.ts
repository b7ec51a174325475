/** Capped exponential backoff with jitter, for throttling and transient server errors. */
export interface BackoffPolicy {
  /** The first delay, before jitter. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  /** Source of jitter in [0, 1); injectable so tests can pin it. */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (1-based): base * 2^(attempt-1), capped, then scaled
 * into [50%, 100%] ("equal jitter") so that clients rejected together do not come back together.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`retry attempt ${attempt} must be a positive integer`);
  if (!(policy.baseMs >= 0) || !(policy.maxMs >= 0)) throw new Error(`backoff base ${policy.baseMs} ms and cap ${policy.maxMs} ms must be non-negative numbers`);
  // The exponent stops at 30: 2^30 times any base is past every cap, and larger ones overflow to Infinity.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling * (0.5 + 0.5 * (policy.random ?? Math.random)()));
}
