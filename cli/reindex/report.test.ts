import { describe, expect, it } from "vitest";
import { renderBadRows, renderReport, type ReindexReport } from "./report.js";
import { renderStatus } from "./status.js";

const report: ReindexReport = {
  alias: "products", index: "products_20260114t153012123z_c1b35291", dryRun: false,
  mapping: { variant: "rich", hash: "c1b35291", chosen: "detected" },
  previous: ["products_20260101t000000000z_c1b35291"], resumedFrom: null, liveRowsAtStart: 120_000,
  load: { rows: 120_000, indexed: 119_999, seconds: 10, docsPerSecond: 11_999.9 },
  passes: [{ kind: "catch-up", changes: 12, indexed: 10, deleted: 2, conflicts: 0 }],
  totals: { indexed: 120_009, deleted: 2, conflicts: 0, itemRetries: 3, requestRetries: 1 },
  badRows: [{ id: "7", sku: "SKU-7", field: "attributes", reason: "unparseable attributes: a list; expected an object of name -> value" }],
  maxErrors: 1, replicas: 1,
  verify: { ok: true, documents: 119_997, liveRows: 119_998, badLiveRows: 1, sampled: 50, mismatches: [], smoke: [{ name: "match_all", ok: true, detail: "" }] },
  swapped: true, retention: { kept: ["products_20260101t000000000z_c1b35291"], deleted: [] }, seconds: 14.2, docsPerSecond: 8451, peakRssBytes: 230 * 2 ** 20, cpuSeconds: 3.25,
};

describe("renderReport", () => {
  it("summarises a run: the swap, load rate, passes, verification, retries and the bad rows by SKU", () => {
    const text = renderReport(report);
    expect(text).toContain("alias products -> products_20260114t153012123z_c1b35291 (was products_20260101t000000000z_c1b35291)");
    expect(text).toContain("load: 120,000 rows in 10s (12,000 docs/s)");
    expect(text).toContain("catch-up: 12 changed rows (10 indexed, 2 deleted, 0 already current)");
    expect(text).toContain("verified: 119,997 documents = 119,998 live rows - 1 bad; 50 sampled equal; 1/1 smoke queries");
    expect(text).toContain("retries: 1 requests, 3 items");
    expect(text).toContain("14s in all; 3.3s of CPU; peak RSS 230 MB");
    expect(text).toContain("- SKU-7 (id 7): unparseable attributes: a list");
  });

  it("says what a dry run would do", () => {
    const text = renderReport({ ...report, dryRun: true, swapped: false, verify: null, retention: { kept: [], deleted: ["products_x"] } });
    expect(text).toContain("dry run: would build products_20260114t153012123z_c1b35291 (mapping rich c1b35291, detected) for alias products");
    expect(text).toContain("would delete unfinished indices: products_x");
  });

  it("lists at most 20 bad rows, pointing at --json for the rest", () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ id: String(i), sku: `S${i}`, field: "title", reason: "oversized title" }));
    const lines = renderBadRows(rows);
    expect(lines).toHaveLength(21);
    expect(lines[20]).toBe("  ... and 5 more (--json lists them all)");
  });
});

describe("renderStatus", () => {
  it("tabulates the indices under the alias line", () => {
    const text = renderStatus({
      alias: "products", targets: ["products_b"], liveRows: 10,
      indices: [
        { name: "products_b", state: "live", variant: "rich", hash: "c1b35291", createdAt: "2026-01-14T15:30:12.123Z", docs: 10, sizeBytes: 2 * 2 ** 20, health: "green" },
        { name: "products_a", state: "ready", variant: "core", hash: "0badf00d", createdAt: "2026-01-13T15:30:12.123Z", docs: 9, sizeBytes: 2 ** 20, health: "green" },
      ],
    });
    expect(text.split("\n")).toEqual([
      "alias products -> products_b; catalog: 10 live rows",
      "index       state  mapping  docs  size    health  created",
      "products_b  live   rich     10    2.0 MB  green   2026-01-14T15:30:12.123Z",
      "products_a  ready  core     9     1.0 MB  green   2026-01-13T15:30:12.123Z",
    ]);
  });

  it("says when nothing was built yet", () => {
    expect(renderStatus({ alias: "products", targets: [], liveRows: null, indices: [] })).toBe("alias products -> (none)\nno indices built by shopctl reindex yet");
  });
});
