import { describe, expect, it } from "vitest";
import { backoffDelay, sleep } from "./backoff.js";

describe("backoffDelay", () => {
  const policy = (random: number) => ({ baseMs: 100, maxMs: 1_000, random: () => random });

  it("doubles from the base per attempt", () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy(0.999999)))).toEqual([100, 200, 400, 800]);
  });

  it("never exceeds the cap, however many attempts", () => {
    expect(backoffDelay(5, policy(0.999999))).toBe(1_000);
    expect(backoffDelay(500, policy(0.999999))).toBe(1_000);
  });

  it("jitters down to half of the delay", () => {
    expect(backoffDelay(3, policy(0))).toBe(200);
    expect(backoffDelay(3, policy(0.5))).toBe(300);
  });

  it.each([0, -1, 1.5])("refuses attempt %s", (attempt) => {
    expect(() => backoffDelay(attempt)).toThrow(`retry attempt ${attempt} must be a positive integer`);
  });
});

describe("sleep", () => {
  it("rejects with the abort reason when aborted", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error("stop now"));
    await expect(pending).rejects.toThrow("stop now");
  });

  it("rejects at once on an aborted signal", async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });

  it("resolves after the delay", async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });
});
