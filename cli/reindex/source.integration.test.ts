import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogFixture, type CatalogFixture } from "../../test/catalog-fixture.js";
import { CatalogSource, type ChangedRow } from "./source.js";

let fixture: CatalogFixture;
let source: CatalogSource;
beforeAll(async () => {
  fixture = await catalogFixture("source", { count: 300 });
  source = fixture.source();
});
afterAll(async () => { await fixture.cleanup(); });

async function changedSince(snapshot: string): Promise<ChangedRow[]> {
  const rows: ChangedRow[] = [];
  for (let page = await source.changedPage(snapshot, undefined, 50); page.length > 0;) {
    rows.push(...page);
    const last = page[page.length - 1];
    if (last === undefined) break;
    page = await source.changedPage(snapshot, { xid: last.changed_xid, id: last.id }, 50);
  }
  return rows;
}

describe("catalog reads for a reindex", () => {
  it("pages live rows in id order, skipping tombstones", async () => {
    await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = 3`);
    const first = await source.livePage(undefined, 5);
    expect(first.map((row) => row.id)).toEqual(["1", "2", "4", "5", "6"]);
    const next = await source.livePage("6", 2);
    expect(next.map((row) => row.id)).toEqual(["7", "8"]);
    expect(await source.liveCount()).toBe(299);
  });

  it("a catch-up sees every change the watermark did not, including a transaction open when it was taken", async () => {
    const slow = new pg.Client({ connectionString: fixture.pgUrl });
    await slow.connect();
    try {
      // In flight across the watermark: begun (with an xid) before it, committed after it.
      await slow.query("BEGIN");
      await slow.query(`UPDATE ${fixture.table} SET price_cents = price_cents + 1 WHERE id = 10`);
      const watermark = await source.snapshot();
      await fixture.pool.query(`UPDATE ${fixture.table} SET stock = stock + 1 WHERE id = 20`);
      await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = 30`);
      expect((await changedSince(watermark)).map((row) => row.id).sort()).toEqual(["20", "30"]);
      await slow.query("COMMIT");
      const changed = await changedSince(watermark);
      expect(changed.map((row) => row.id).sort()).toEqual(["10", "20", "30"]);
      expect(changed.find((row) => row.id === "30")?.deleted_at).not.toBeNull();
      // The next watermark sees all three; nothing is left to catch up.
      expect(await changedSince(await source.snapshot())).toEqual([]);
    } finally {
      await slow.end();
    }
  });

  it("reads at one snapshot inside atSnapshot, whatever commits meanwhile", async () => {
    const before = await source.liveCount();
    const seen = await source.atSnapshot(async (reader) => {
      const snapshot = await reader.snapshot();
      await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = 40`);
      return { snapshot, count: await reader.liveCount(), changed: await reader.changedPage(snapshot, undefined, 10) };
    });
    expect(seen.count).toBe(before);
    expect(seen.changed).toEqual([]);
    expect(await source.liveCount()).toBe(before - 1);
  });

  it("the reindex lock admits one session at a time and frees itself when released", async () => {
    const other = fixture.source();
    expect(await source.lock("k")).toBe(true);
    expect(await other.lock("k")).toBe(false);
    expect(await other.lock("another alias")).toBe(true);
    await other.release("another alias");
    await source.release("k");
    expect(await other.lock("k")).toBe(true);
    await other.close();
    // Closing the session (a killed run) frees the lock too.
    expect(await source.lock("k")).toBe(true);
    await source.release("k");
  });

  it("samples live rows only", async () => {
    const sample = await source.sample(400);
    expect(sample.length).toBe(await source.liveCount());
    expect(sample.every((row) => row.deleted_at === null)).toBe(true);
  });

  it("knows whether the catalog table exists", async () => {
    expect(await source.tableExists()).toBe(true);
    const missing = CatalogSource.open({ connectionString: fixture.pgUrl }, "no_such_schema");
    try {
      expect(await missing.tableExists()).toBe(false);
    } finally {
      await missing.close();
    }
  });
});

describe("the products table", () => {
  it("bumps search_version and updated_at on every change, and derives in_stock", async () => {
    const before = (await fixture.pool.query<{ search_version: string; updated_at: Date }>(`SELECT search_version, updated_at FROM ${fixture.table} WHERE id = 50`)).rows[0];
    await fixture.pool.query(`UPDATE ${fixture.table} SET stock = 0 WHERE id = 50`);
    await fixture.pool.query(`UPDATE ${fixture.table} SET title = title WHERE id = 50`);
    const after = (await fixture.pool.query<{ search_version: string; updated_at: Date; in_stock: boolean }>(`SELECT search_version, updated_at, in_stock FROM ${fixture.table} WHERE id = 50`)).rows[0];
    expect(Number(after?.search_version)).toBe(Number(before?.search_version) + 2);
    expect(after?.in_stock).toBe(false);
    expect(after?.updated_at.getTime()).toBeGreaterThanOrEqual(before?.updated_at.getTime() ?? 0);
  });

  it("starts a new row at version 1, whatever the insert says", async () => {
    const { rows } = await fixture.pool.query<{ search_version: string }>(
      `INSERT INTO ${fixture.table} (sku, title, price_cents, currency, search_version) VALUES ('NEW-1', 'New', 100, 'EUR', 99) RETURNING search_version`,
    );
    expect(rows[0]?.search_version).toBe("1");
  });

  it("refuses a hard delete of a live product, and purges a tombstone", async () => {
    await expect(fixture.pool.query(`DELETE FROM ${fixture.table} WHERE id = 60`)).rejects.toThrow("products: SKU-00000060 is live; delete it by setting deleted_at (a tombstone)");
    await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = 60`);
    const purged = await fixture.pool.query(`DELETE FROM ${fixture.table} WHERE id = 60`);
    expect(purged.rowCount).toBe(1);
  });

  it.each([
    ["a negative price", "price_cents", "-1"],
    ["a lower-case currency", "currency", "'eur'"],
    ["negative stock", "stock", "-5"],
    ["an empty SKU", "sku", "''"],
  ])("refuses %s", async (_name, column, value) => {
    await expect(fixture.pool.query(`UPDATE ${fixture.table} SET ${column} = ${value} WHERE id = 70`)).rejects.toThrow("violates check constraint");
  });
});
