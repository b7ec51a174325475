import { describe, expect, it } from "vitest";
import { formatDuration, formatSeconds } from "./durations.js";

describe("formatSeconds", () => {
  it.each([
    [0, "0s"], [5, "5s"], [42, "42s"], [59.4, "59s"], [59.6, "1m00s"], [65, "1m05s"], [125, "2m05s"],
    [3_599, "59m59s"], [3_600, "1h00m"], [3_725, "1h02m"], [3 * 3_600 + 600, "3h10m"], [50 * 3_600, "50h00m"],
  ])("formats %s seconds as %s", (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text);
  });

  it("shows a negative duration (clock skew) as 0s and a non-number as ?", () => {
    expect(formatSeconds(-3)).toBe("0s");
    expect(formatSeconds(Number.NaN)).toBe("?");
    expect(formatSeconds(Number.POSITIVE_INFINITY)).toBe("?");
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0ms"], [850, "850ms"], [999.4, "999ms"], [999.7, "1.0s"], [12_340, "12.3s"], [59_940, "59.9s"], [59_960, "1m00s"],
    [242_000, "4m02s"], [3_725_000, "1h02m"],
  ])("formats %s ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it("shows a negative duration as 0ms and a non-number as ?", () => {
    expect(formatDuration(-5)).toBe("0ms");
    expect(formatDuration(Number.NaN)).toBe("?");
  });
});
