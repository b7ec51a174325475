import { describe, expect, it } from "vitest";
import { memoryIo } from "../../test/memory-io.js";
import { createReporter, progressLine } from "./progress.js";

describe("progress text", () => {
  it("shows counts, rate and ETA", () => {
    expect(progressLine(120_000, 1_000_000, 12)).toBe("120,000/1,000,000 docs (12.0%), 10,000 docs/s, ETA 1m28s");
  });
  it("does not run past the total", () => {
    expect(progressLine(1_200, 1_000, 1)).toBe("1,000/1,000 docs (100.0%), 1,200 docs/s, ETA 0s");
  });
  it("has no ETA before anything was done", () => {
    expect(progressLine(0, 10, 0)).toContain("ETA ?");
  });
});

describe("createReporter", () => {
  it("prints a line per phase and, outside a terminal, a progress line per interval", () => {
    const io = memoryIo();
    let clock = 0;
    const reporter = createReporter(io, { intervalMs: 10_000, now: () => clock });
    void reporter.phase("load", "loading");
    clock = 5_000;
    reporter.progress(500, 10_000);
    clock = 10_000;
    reporter.progress(1_000, 10_000);
    clock = 15_000;
    reporter.progress(1_500, 10_000);
    void reporter.phase("verify", "verifying");
    expect(io.err().split("\n").filter(Boolean)).toEqual([
      "reindex: loading",
      "reindex: load 1,000/10,000 docs (10.0%), 100 docs/s, ETA 1m30s",
      "reindex: load 1,500/10,000 docs (15.0%), 100 docs/s, ETA 1m25s",
      "reindex: verifying",
    ]);
    expect(io.out()).toBe("");
  });

  it("draws a bar on a terminal outside CI", () => {
    const io = memoryIo({ CI: "" }, { stderrIsTty: true });
    const reporter = createReporter(io, { now: () => 1_000 });
    void reporter.phase("load", "loading");
    reporter.progress(10, 100);
    reporter.stop();
    expect(io.err()).toContain("reindex |");
    expect(io.err()).toContain("10/100 docs");
  });
});
