import { Client } from "@opensearch-project/opensearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliasTarget, catalogFixture, expectIndexEqualsCatalog, type CatalogFixture } from "../../test/catalog-fixture.js";
import type { ReindexEvents, ReindexPhase } from "./progress.js";
import { reindex } from "./run.js";

let fixture: CatalogFixture;
beforeAll(async () => { fixture = await catalogFixture("zero_downtime", { count: 8_000 }); });
afterAll(async () => { await fixture.cleanup(); });

/** Runs `fn` for every phase the reindex reports; the reindex waits for it. */
function onPhases(handler: (phase: ReindexPhase) => Promise<void> | void): ReindexEvents {
  return { phase: handler, progress: () => undefined, warn: () => undefined };
}

describe("zero downtime", () => {
  it("a query loop against the alias sees no error and no empty result during a full reindex", async () => {
    const first = await reindex(fixture.settings(), fixture.context());
    // A client of its own, as the storefront would have.
    const storefront = new Client({ node: fixture.openSearchUrl });
    const outcomes = { queries: 0, errors: [] as string[], empty: 0, servedBy: new Set<string>() };
    const loopState = { running: true };
    const loop = (async () => {
      while (loopState.running) {
        for (const query of [{ match: { title: "knife" } }, { match_all: {} }, { term: { "category.levels": "Home" } }]) {
          try {
            const response = await storefront.search({ index: fixture.alias, body: { query, size: 1 } });
            const body = response.body as { hits: { total: { value: number }; hits: { _index: string }[] } };
            outcomes.queries++;
            if (body.hits.total.value === 0) outcomes.empty++;
            for (const hit of body.hits.hits) outcomes.servedBy.add(hit._index);
          } catch (error) {
            outcomes.errors.push(error instanceof Error ? error.message : String(error));
          }
        }
      }
    })();
    try {
      const second = await reindex(fixture.settings({ batchSize: 250 }), fixture.context());
      // Keep querying across the swap's aftermath: the final catch-up and the retention.
      const until = outcomes.queries + 30;
      while (outcomes.queries < until) await new Promise((resolve) => setTimeout(resolve, 5));
      loopState.running = false;
      await loop;
      expect(outcomes.errors).toEqual([]);
      expect(outcomes.empty).toBe(0);
      expect(outcomes.queries).toBeGreaterThan(30);
      // The loop was answered by the old index before the swap and the new one after it.
      expect([...outcomes.servedBy].sort()).toEqual([first.index, second.index].sort());
      expect(await aliasTarget(fixture)).toEqual([second.index]);
    } finally {
      loopState.running = false;
      await loop;
      await storefront.close();
    }
  });

  it("concurrent updates, deletes and inserts during a reindex end with the index equal to the catalog", async () => {
    const writes = { updates: 0, deletes: 0, undeletes: 0, inserts: 0, duringLoad: 0 };
    let phase: ReindexPhase = "lock";
    const writerState = { writing: false };
    let writer: Promise<void> = Promise.resolve();
    const startWriter = () => {
      writerState.writing = true;
      writer = (async () => {
        let n = 0;
        while (writerState.writing) {
          n++;
          const id = 1 + ((n * 7_919) % 8_000);
          if (n % 7 === 0) {
            await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
            writes.deletes++;
          } else if (n % 11 === 0) {
            await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = NULL, stock = stock + 1 WHERE id = $1 AND deleted_at IS NOT NULL`, [1 + ((n * 13) % 8_000)]);
            writes.undeletes++;
          } else if (n % 13 === 0) {
            await fixture.pool.query(`INSERT INTO ${fixture.table} (sku, title, price_cents, currency, category_path) VALUES ($1, 'Concurrent Lamp', 4200, 'EUR', '{Home,Lighting}')`, [`LIVE-${process.pid}-${n}`]);
            writes.inserts++;
          } else {
            // Two changes in one transaction and several versions of hot rows: stale writes must lose.
            await fixture.pool.query(`UPDATE ${fixture.table} SET price_cents = price_cents + 1, stock = (stock + 3) % 50 WHERE id IN ($1, $2)`, [id, 1 + (n % 50)]);
            writes.updates++;
          }
          if (phase === "load") writes.duringLoad++;
        }
      })();
    };
    const events = onPhases(async (next) => {
      phase = next;
      if (next === "load") startWriter();
      // Stop writing before the swap: what the index must equal is then fixed, and the final
      // catch-up (after the swap) has the changes made since the verification snapshot.
      if (next === "swap") {
        writerState.writing = false;
        await writer;
      }
    });
    let report;
    try {
      report = await reindex(fixture.settings({ batchSize: 200, concurrency: 2 }), fixture.context({ events }));
    } finally {
      // Also when the reindex fails: no write may outlive the test (and the fixture's schema).
      writerState.writing = false;
      await writer;
    }
    // A repair means a change slipped past the catch-up passes: say so in the log, as the command does.
    if (report.verify?.repaired !== undefined) console.warn(`zero downtime: verification repaired ${JSON.stringify(report.verify.repaired)}`);
    expect(writes.duringLoad).toBeGreaterThan(0);
    expect(writes.deletes).toBeGreaterThan(0);
    expect(report.verify?.ok).toBe(true);
    expect(report.passes.reduce((sum, pass) => sum + pass.changes, 0)).toBeGreaterThan(0);
    expect(await aliasTarget(fixture)).toEqual([report.index]);
    await expectIndexEqualsCatalog(fixture, report.index);
  });
});
