// The load and catch-up passes against the real PostgreSQL, with OpenSearch replaced by an
// in-memory index that keeps external versions the way OpenSearch does. Writers change the catalog
// all the while and a share of bulk requests fail (before or after they land); at the end the
// index must equal the catalog at the verification snapshot, row for row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../apps/storefront/src/catalog/index.js";
import { catalogFixture, type CatalogFixture } from "../../test/catalog-fixture.js";
import { BadRows, BulkRequestError, emptyOutcome, toBulkItems, type BulkItem, type BulkOutcome } from "./bulk.js";
import { pump } from "./pump.js";
import type { CatalogReader, CatalogSource, ChangedRow, ChangeKey } from "./source.js";

let fixture: CatalogFixture;
beforeAll(async () => { fixture = await catalogFixture("catch_up", { count: 4_000 }); });
afterAll(async () => { await fixture.cleanup(); });

/** Documents by id with their external version; a delete leaves a tombstone, as OpenSearch's does. */
class VersionedIndex {
  readonly docs = new Map<string, { version: number; live: boolean }>();

  apply(items: readonly BulkItem[]): BulkOutcome {
    const outcome = emptyOutcome();
    for (const item of items) {
      const version = Number(/"version":(\d+)/.exec(item.lines)?.[1]);
      const current = this.docs.get(item.id);
      if (current !== undefined && current.version >= version) {
        outcome.conflicts++;
        continue;
      }
      this.docs.set(item.id, { version, live: item.kind === "index" });
      if (item.kind === "index") outcome.indexed++;
      else outcome.deleted++;
    }
    return outcome;
  }
}

/** A bulk writer that fails `rate` of requests: half before they land, half after. */
function flakyWriter(index: VersionedIndex, rate: number, random: () => number) {
  return async (items: readonly BulkItem[]): Promise<BulkOutcome> => {
    await new Promise((resolve) => setTimeout(resolve, random() * 3));
    if (random() >= rate) return index.apply(items);
    if (random() < 0.5) index.apply(items);
    throw new BulkRequestError("injected 429", true, 429);
  };
}

function startWriters(table: string, run: number): { stop: () => Promise<void> } {
  const state = { on: true };
  const writer = async (offset: number) => {
    for (let n = run * 1_000_000 + offset; state.on; n++) {
      const id = 1 + ((n * 7_919) % 4_000);
      if (n % 5 === 0) await fixture.pool.query(`UPDATE ${table} SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
      else if (n % 3 === 0) await fixture.pool.query(`UPDATE ${table} SET deleted_at = NULL, stock = stock + 1 WHERE id = $1 AND deleted_at IS NOT NULL`, [1 + ((n * 13) % 4_000)]);
      else if (n % 13 === 0) await fixture.pool.query(`INSERT INTO ${table} (sku, title, price_cents, currency) VALUES ($1, 'Lamp', 100, 'EUR')`, [`CATCH-UP-${process.pid}-${n}`]);
      else await fixture.pool.query(`UPDATE ${table} SET price_cents = price_cents + 1 WHERE id IN ($1, $2)`, [id, 1 + (n % 40)]);
    }
  };
  const writers = [writer(0), writer(500_000)];
  return {
    stop: async () => {
      state.on = false;
      await Promise.all(writers);
    },
  };
}

async function reindexInto(index: VersionedIndex, source: CatalogSource, run: number): Promise<string[]> {
  // Seeded, so that a failing run can be replayed.
  const random = mulberry32(run + 1);
  const settings = { batchSize: 100, concurrency: 2, backoff: { baseMs: 1, maxMs: 4 }, maxRequestFailures: 40, write: flakyWriter(index, 0.15, random) };
  const bad = new BadRows();
  const snapshot = await source.snapshot();
  await pump<string>({ ...settings, read: (after, limit) => source.livePage(after, limit), keyOf: (row) => row.id, toItems: (rows) => toBulkItems(rows, "load", bad) });
  const catchUp = async (reader: CatalogReader, since: string) => {
    const next = await reader.snapshot();
    const result = await pump<ChangeKey>({
      ...settings,
      read: (after, limit) => reader.changedPage(since, after, limit),
      keyOf: (row) => ({ xid: (row as ChangedRow).changed_xid, id: row.id }),
      toItems: (rows) => toBulkItems(rows, "sync", bad),
    });
    return { next, changes: result.rows };
  };
  let watermark = snapshot;
  for (let pass = 0; pass < 5; pass++) {
    const { next, changes } = await catchUp(source, watermark);
    watermark = next;
    if (changes < settings.batchSize) break;
  }
  // As verification does: a last pass and the comparison, both inside one snapshot.
  return source.atSnapshot(async (reader) => {
    await catchUp(reader, watermark);
    const problems: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await reader.liveIdPage(after, 1_000);
      const last = page.at(-1);
      if (last === undefined) break;
      for (const row of await reader.rowsByIds(page.map((entry) => entry.id))) {
        const doc = index.docs.get(row.id);
        if (doc?.live !== true || doc.version !== Number(row.search_version)) problems.push(`${row.sku}: catalog v${row.search_version}, index ${JSON.stringify(doc)}`);
      }
      after = last.id;
    }
    const live = new Set<string>();
    for (const [id, doc] of index.docs) if (doc.live) live.add(id);
    const stillLive = await reader.liveAmong([...live]);
    for (const id of live) if (!stillLive.has(id)) problems.push(`id ${id}: a document without a live row`);
    return problems;
  });
}

describe("load and catch-up under concurrent writes and failing requests", () => {
  it.each([1, 2, 3])("run %i ends with the index equal to the catalog at the verification snapshot", async (run) => {
    const source = fixture.source();
    const writers = startWriters(fixture.table, run);
    let problems: string[];
    try {
      problems = await reindexInto(new VersionedIndex(), source, run);
    } finally {
      await writers.stop();
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });
});
