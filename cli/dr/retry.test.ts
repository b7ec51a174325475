import { describe, expect, it } from "vitest";
import { FakeClock, InterruptedError } from "./clock.js";
import { isRetryable, isThrottling, retryLine, withRetry } from "./retry.js";

const throttling = (name = "ThrottlingException") => Object.assign(new Error("Rate exceeded"), { name, $metadata: { httpStatusCode: 400 } });

describe("withRetry", () => {
  it("retries throttling with capped exponential backoff and equal jitter, then succeeds", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const result = await withRetry("describe", () => {
      calls++;
      return calls <= 4 ? Promise.reject(throttling()) : Promise.resolve("ok");
    }, { clock, random: () => 0.5, baseMs: 100, maxMs: 500 });
    expect(result).toBe("ok");
    expect(calls).toBe(5);
    // ceilings 100, 200, 400, 500 (capped); each delay is 3/4 of its ceiling with random() = 0.5
    expect(clock.sleeps).toEqual([75, 150, 300, 375]);
  });

  it("gives up after the last attempt and says so", async () => {
    const clock = new FakeClock();
    await expect(withRetry("promote", () => Promise.reject(throttling("Throttling")), { clock, attempts: 3, random: () => 0 })).rejects.toThrow("promote: still failing after 3 tries: Throttling: Rate exceeded");
    expect(clock.sleeps).toHaveLength(2);
  });

  it("does not retry an error that waiting cannot fix", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const denied = Object.assign(new Error("not authorized to perform rds:PromoteReadReplica"), { name: "AccessDenied" });
    await expect(withRetry("promote", () => { calls++; return Promise.reject(denied); }, { clock })).rejects.toBe(denied);
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("stops at once when the run is interrupted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(withRetry("x", () => Promise.resolve(1), { clock: new FakeClock(), signal: controller.signal })).rejects.toBeInstanceOf(InterruptedError);
  });
});

describe("error classes", () => {
  it("knows the throttling errors of the services failover calls", () => {
    for (const name of ["Throttling", "ThrottlingException", "RequestLimitExceeded", "PriorRequestNotComplete", "TooManyRequestsException"]) expect(isThrottling(throttling(name))).toBe(true);
    expect(isThrottling({ name: "Other", $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling(new Error("boom"))).toBe(false);
    expect(isRetryable({ name: "ServiceUnavailable" })).toBe(true);
    expect(isRetryable({ name: "InvalidDBInstanceStateFault", $metadata: { httpStatusCode: 400 } })).toBe(false);
  });
});

describe("withRetry for changes", () => {
  it("retries only throttling when throttlingOnly is set: a server error may follow an applied change", async () => {
    const clock = new FakeClock();
    let calls = 0;
    const failure = Object.assign(new Error("We encountered an internal error"), { name: "InternalFailure", $metadata: { httpStatusCode: 500 } });
    await expect(withRetry("promote", () => { calls++; return Promise.reject(failure); }, { clock, throttlingOnly: true })).rejects.toBe(failure);
    expect(calls).toBe(1);
    let throttled = 0;
    await expect(withRetry("promote", () => (++throttled < 3 ? Promise.reject(throttling()) : Promise.resolve("sent")), { clock, throttlingOnly: true })).resolves.toBe("sent");
  });
});

describe("retryLine", () => {
  it("names the call, the error, the delay in seconds and the next attempt", () => {
    expect(retryLine("promote", 1, 1_250, throttling())).toBe("promote: ThrottlingException: Rate exceeded; retrying in 1.3s (attempt 2)");
  });
});
