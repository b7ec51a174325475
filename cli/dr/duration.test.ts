import { describe, expect, it } from "vitest";
import { UsageError } from "../exit-codes.js";
import { parseDuration } from "./duration.js";

describe("parseDuration", () => {
  it("reads seconds, minutes, hours, days and combinations; a bare number is seconds", () => {
    expect(parseDuration("60s", "--x")).toBe(60_000);
    expect(parseDuration("90", "--x")).toBe(90_000);
    expect(parseDuration("5m", "--x")).toBe(300_000);
    expect(parseDuration("1h30m", "--x")).toBe(5_400_000);
    expect(parseDuration("2d", "--x")).toBe(172_800_000);
    expect(parseDuration(" 250ms ", "--x")).toBe(250);
  });

  it.each(["", "soon", "5 m", "-5s", "1.5h", "5w", "m5"])("rejects %j naming the flag", (text) => {
    expect(() => parseDuration(text, "--max-data-loss")).toThrow(UsageError);
    expect(() => parseDuration(text, "--max-data-loss")).toThrow(/--max-data-loss .*expected a duration such as 60s, 15m, 2h or 1h30m/);
  });
});
