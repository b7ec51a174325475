import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  const policy = (random: number) => ({ baseMs: 100, maxMs: 1_000, random: () => random });

  it("doubles from the base per attempt", () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, policy(0.999999)))).toEqual([100, 200, 400, 800]);
  });

  it("never exceeds the cap, however many attempts", () => {
    expect(backoffDelay(5, policy(0.999999))).toBe(1_000);
    expect(backoffDelay(500, policy(0.999999))).toBe(1_000);
  });

  it("jitters down to half of the delay (equal jitter)", () => {
    expect(backoffDelay(3, policy(0))).toBe(200);
    expect(backoffDelay(3, policy(0.5))).toBe(300);
  });

  it("uses Math.random when no source is given, staying within [50%, 100%]", () => {
    const delay = backoffDelay(2, { baseMs: 100, maxMs: 1_000 });
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(200);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses attempt %s", (attempt) => {
    expect(() => backoffDelay(attempt, policy(0))).toThrow(`retry attempt ${attempt} must be a positive integer`);
  });

  it("refuses a negative or missing base or cap", () => {
    expect(() => backoffDelay(1, { baseMs: -1, maxMs: 10 })).toThrow("backoff base -1 ms and cap 10 ms must be non-negative numbers");
    expect(() => backoffDelay(1, { baseMs: 1, maxMs: Number.NaN })).toThrow("must be non-negative numbers");
  });
});
