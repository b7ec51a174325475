import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogFixture, expectIndexEqualsCatalog, type CatalogFixture } from "../../test/catalog-fixture.js";
import { ROOT } from "../../test/shopctl.js";
import { reindex } from "./run.js";

// A second OpenSearch node with a one-thread, one-slot write pool and 256 KB of indexing pressure
// (scripts/services.sh throttled-start): concurrent bulk requests get real 429s from it.
const THROTTLED_URL = `http://127.0.0.1:${process.env.SHOP_OPENSEARCH_THROTTLED_PORT ?? "59201"}`;

function services(command: "throttled-start" | "throttled-stop"): void {
  const result = spawnSync("bash", [path.join(ROOT, "scripts", "services.sh"), command], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit"], timeout: 240_000 });
  if (result.status !== 0) throw new Error(`scripts/services.sh ${command} failed (status ${result.status ?? result.signal ?? "?"})`);
}

let fixture: CatalogFixture;
beforeAll(async () => {
  services("throttled-start");
  fixture = await catalogFixture("faults_429", { count: 4_000, openSearchUrl: THROTTLED_URL });
});
afterAll(async () => {
  await fixture.cleanup();
  services("throttled-stop");
});

describe("real 429s", () => {
  it("backs off, resumes from the last acknowledged row, and still builds exactly the catalog", async () => {
    const warnings: string[] = [];
    const events = { phase: () => undefined, progress: () => undefined, warn: (message: string) => { warnings.push(message); } };
    const report = await reindex(fixture.settings({ batchSize: 100, concurrency: 8, mapping: "core" }), fixture.context({ events }));
    // Whole requests refused by indexing pressure happen on every run. Items refused by the full
    // write queue depend on how the node's one write thread is scheduled, so they are counted
    // (and retried) when they happen but not required.
    expect(report.totals.requestRetries).toBeGreaterThan(0);
    expect(warnings.some((warning) => warning.includes("HTTP 429") && warning.includes("from the last acknowledged row"))).toBe(true);
    expect(report.verify?.ok).toBe(true);
    await expectIndexEqualsCatalog(fixture, report.index);
  });
});
