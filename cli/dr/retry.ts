import { awsErrorMessage } from "../aws/client-config.js";
import { backoffDelay } from "../common/backoff.js";
import { type Clock, InterruptedError, throwIfAborted } from "./clock.js";

/** The names AWS services give their throttling errors (Route 53 adds PriorRequestNotComplete). */
const THROTTLING = new Set([
  "Throttling", "ThrottlingException", "ThrottledException", "RequestLimitExceeded", "TooManyRequestsException",
  "RequestThrottled", "RequestThrottledException", "SlowDown", "PriorRequestNotComplete", "RateExceeded",
  "ProvisionedThroughputExceededException", "EC2ThrottledException", "BandwidthLimitExceeded",
]);
/** Server-side blips worth another try; anything else (access denied, bad state) fails at once. */
const TRANSIENT = new Set(["InternalFailure", "InternalError", "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException"]);

interface SdkErrorShape {
  name?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: { throttling?: unknown };
}

export function isThrottling(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const shape = error as SdkErrorShape;
  return (typeof shape.name === "string" && THROTTLING.has(shape.name))
    || shape.$metadata?.httpStatusCode === 429
    || shape.$retryable?.throttling === true;
}

export function isRetryable(error: unknown): boolean {
  if (isThrottling(error)) return true;
  if (typeof error !== "object" || error === null) return false;
  const shape = error as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode;
  return (typeof shape.name === "string" && TRANSIENT.has(shape.name)) || status === 500 || status === 502 || status === 503 || status === 504;
}

/** What a retry logs: `promote: ThrottlingException: Rate exceeded; retrying in 1.5s (attempt 2)`. */
export function retryLine(what: string, attempt: number, delayMs: number, error: unknown): string {
  return `${what}: ${awsErrorMessage(error)}; retrying in ${(delayMs / 1_000).toFixed(1)}s (attempt ${attempt + 1})`;
}

export interface RetryOptions {
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** Tries in all, the first included. @default 8 */
  attempts?: number;
  /** @default 500 */
  baseMs?: number;
  /** @default 20000 */
  maxMs?: number;
  /** [0, 1); injectable so tests see a fixed schedule. @default Math.random */
  random?: () => number;
  onRetry?: (what: string, attempt: number, delayMs: number, error: unknown) => void;
  /**
   * Retry throttling only: for changes, where a server error may come after AWS applied the
   * request, while a throttled request was never applied. @default false
   */
  throttlingOnly?: boolean;
}

/**
 * Call `fn`, retrying throttling and transient server errors with capped exponential backoff and
 * equal jitter (backoffDelay), so a storm of DR calls backs off instead of failing the run.
 * Mid-outage every API is busier than usual.
 */
export async function withRetry<T>(what: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? 8;
  const retryable = options.throttlingOnly === true ? isThrottling : isRetryable;
  for (let attempt = 1; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      return await fn();
    } catch (error) {
      if (error instanceof InterruptedError || !retryable(error) || attempt >= attempts) {
        if (attempt > 1 && retryable(error) && !(error instanceof InterruptedError)) {
          throw new Error(`${what}: still failing after ${attempt} tries: ${awsErrorMessage(error)}`, { cause: error });
        }
        throw error;
      }
      const delay = backoffDelay(attempt, { baseMs: options.baseMs ?? 500, maxMs: options.maxMs ?? 20_000, random: options.random ?? Math.random });
      options.onRetry?.(what, attempt, delay, error);
      await options.clock.sleep(delay, options.signal);
    }
  }
}
