import { sleep as abortableSleep } from "../common/sleep.js";

/**
 * Time as the DR engine sees it. Every wait goes through a Clock, so unit tests run whole
 * failovers in milliseconds on fake time and a Ctrl-C (the signal) cuts a wait short.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or rejects with an InterruptedError as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The run was interrupted (Ctrl-C, or a test's abort); its journal lets `--resume` continue it. */
export class InterruptedError extends Error {
  constructor(message = "interrupted") {
    super(message);
    this.name = "InterruptedError";
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new InterruptedError();
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // Whatever the signal's reason, an aborted wait is an interruption: the journal lets --resume continue.
  sleep: (ms, signal) => abortableSleep(ms, signal).catch((error: unknown) => {
    throw signal?.aborted === true ? new InterruptedError() : error;
  }),
};

/**
 * A clock for tests: `sleep` moves time forward at once and records what was asked, so a
 * 40-minute promotion takes microseconds and the backoff schedule can be inspected.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private current = Date.UTC(2026, 0, 15, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(new InterruptedError());
    this.sleeps.push(ms);
    this.current += ms;
    return Promise.resolve();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
