import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliasTarget, catalogFixture, expectIndexEqualsCatalog, type CatalogFixture } from "../../test/catalog-fixture.js";
import { RefusedError } from "../exit-codes.js";
import { listManaged } from "./indices.js";
import type { ReindexPhase } from "./progress.js";
import { ReindexFailed } from "./report.js";
import { rollback } from "./rollback.js";
import { lockKey, reindex } from "./run.js";
import { reindexStatus } from "./status.js";

let fixture: CatalogFixture;
beforeAll(async () => { fixture = await catalogFixture("reindex", { count: 3_000 }); });
afterAll(async () => { await fixture.cleanup(); });

async function managedNames(): Promise<string[]> {
  return (await listManaged(fixture.client, fixture.alias)).map((index) => index.name);
}

describe("shopctl reindex (engine)", () => {
  it("builds, verifies and swaps: the alias serves exactly the catalog", async () => {
    const phases: ReindexPhase[] = [];
    const events = { phase: (phase: ReindexPhase) => { phases.push(phase); }, progress: () => undefined, warn: () => undefined };
    const report = await reindex(fixture.settings(), fixture.context({ events }));
    expect(phases).toEqual(["lock", "plan", "create", "load", "catch-up", "settings", "health", "verify", "swap", "final-catch-up", "retention", "done"]);
    expect(report).toMatchObject({ swapped: true, previous: [], liveRowsAtStart: 3_000, mapping: { variant: "rich", chosen: "detected" }, replicas: 0, badRows: [] });
    expect(report.index).toMatch(new RegExp(`^${fixture.alias}_\\d{8}t\\d{9}z_${report.mapping.hash}$`));
    expect(report.verify).toMatchObject({ ok: true, documents: 3_000, liveRows: 3_000, badLiveRows: 0, mismatches: [] });
    expect(report.verify?.smoke.map((smoke) => smoke.name)).toEqual(["match_all", "sku lookup", "full-text title", "facets", "search as you type"]);
    expect(report.load.indexed).toBe(3_000);
    expect(await aliasTarget(fixture)).toEqual([report.index]);
    expect((await fixture.client.indices.getSettings({ index: report.index })).body[report.index]?.settings?.index?.refresh_interval).toBe("1s");
    await expectIndexEqualsCatalog(fixture, report.index);
  });

  const runs: string[] = [];
  it("keeps the two previous indices and deletes older ones", async () => {
    for (let run = 0; run < 3; run++) runs.push((await reindex(fixture.settings(), fixture.context())).index);
    const names = await managedNames();
    expect(names).toHaveLength(3);
    expect(names).toEqual([runs[0], runs[1], runs[2]]);
    expect(await aliasTarget(fixture)).toEqual([runs[2]]);
  });

  it("status lists the alias, the indices (newest first) and the counts", async () => {
    const status = await reindexStatus(fixture.alias, fixture.client, fixture.source());
    expect(status.targets).toHaveLength(1);
    expect(status.indices.map((index) => index.state)).toEqual(["live", "ready", "ready"]);
    expect(status.indices.every((index) => index.docs === 3_000 && index.variant === "rich")).toBe(true);
    expect(status.liveRows).toBe(3_000);
  });

  it("rolls back to the previous index and replays the catalog changes made since", async () => {
    const [live] = await aliasTarget(fixture);
    await fixture.pool.query(`UPDATE ${fixture.table} SET price_cents = price_cents + 100 WHERE id <= 10`);
    await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE id = 11`);
    const report = await rollback({ alias: fixture.alias, lockScope: fixture.openSearchUrl, dryRun: false, batchSize: 100, concurrency: 2 }, fixture.context());
    expect(report.from).toBe(live);
    expect(await aliasTarget(fixture)).toEqual([report.to]);
    expect(report.catchUp).toMatchObject({ changes: 11, indexed: 10, deleted: 1 });
    await expectIndexEqualsCatalog(fixture, report.to);
  });

  it("rolls back again to the one before, then refuses when none is left", async () => {
    await fixture.pool.query(`UPDATE ${fixture.table} SET stock = stock + 1 WHERE id = 1`);
    await rollback({ alias: fixture.alias, lockScope: fixture.openSearchUrl, dryRun: false, batchSize: 100, concurrency: 2 }, fixture.context());
    const refusal = rollback({ alias: fixture.alias, lockScope: fixture.openSearchUrl, dryRun: false, batchSize: 100, concurrency: 2 }, fixture.context());
    await expect(refusal).rejects.toBeInstanceOf(RefusedError);
    await expect(refusal).rejects.toThrow("no finished index older than");
  });

  it("a dry run checks every row and builds nothing", async () => {
    const before = await managedNames();
    await fixture.pool.query(`UPDATE ${fixture.table} SET attributes = '"not an object"' WHERE id = 12`);
    const report = await reindex(fixture.settings({ dryRun: true }), fixture.context());
    expect(report).toMatchObject({ dryRun: true, swapped: false, verify: null, badRows: [{ id: "12", sku: "SKU-00000012", field: "attributes" }] });
    expect(report.load.rows).toBe(2_999);
    expect(await managedNames()).toEqual(before);
  });

  it("fails on bad rows beyond --max-errors, naming them, and leaves the alias alone", async () => {
    const before = await aliasTarget(fixture);
    await fixture.pool.query(`UPDATE ${fixture.table} SET title = repeat('x', 501) WHERE id = 13`);
    const failure = reindex(fixture.settings({ maxErrors: 1 }), fixture.context());
    await expect(failure).rejects.toBeInstanceOf(ReindexFailed);
    await expect(failure).rejects.toThrow("2 bad rows, more than --max-errors 1 allows; the alias");
    const error = await failure.then(() => { throw new Error("expected the reindex to fail"); }, (caught: unknown) => caught as ReindexFailed);
    expect(error.report.badRows.map((row) => `${row.sku}: ${row.reason}`)).toEqual([
      "SKU-00000012: unparseable attributes: string; expected an object of name -> value",
      "SKU-00000013: oversized title: 501 characters (max 500)",
    ]);
    expect(await aliasTarget(fixture)).toEqual(before);
    expect((await listManaged(fixture.client, fixture.alias)).filter((index) => index.meta?.state === "building")).toEqual([]);
  });

  it("indexes around bad rows that --max-errors allows, and verifies the count without them", async () => {
    const report = await reindex(fixture.settings({ maxErrors: 2 }), fixture.context());
    expect(report.verify).toMatchObject({ ok: true, documents: 2_997, liveRows: 2_999, badLiveRows: 2 });
    expect(report.badRows.map((row) => row.sku)).toEqual(["SKU-00000012", "SKU-00000013"]);
    // The two rollbacks served runs[0], then runs[1] before it: those are the ones kept.
    expect(report.retention).toEqual({ kept: [runs[0], runs[1]], deleted: [runs[2]] });
    await expectIndexEqualsCatalog(fixture, report.index);
    await fixture.pool.query(`UPDATE ${fixture.table} SET attributes = '{}', title = 'Fixed' WHERE id IN (12, 13)`);
  });

  it("builds the core mapping when asked, on any cluster", async () => {
    const report = await reindex(fixture.settings({ mapping: "core" }), fixture.context());
    expect(report.mapping).toMatchObject({ variant: "core", chosen: "requested" });
    expect(report.verify?.smoke.map((smoke) => smoke.name)).not.toContain("search as you type");
    expect(report.verify?.ok).toBe(true);
  });

  /** Events that run `tamper` on the index being built just before verification. */
  const beforeVerify = (tamper: (index: string) => Promise<void>, warnings: string[] = []) => ({
    phase: async (phase: ReindexPhase) => {
      if (phase !== "verify") return;
      const building = (await listManaged(fixture.client, fixture.alias)).find((index) => index.meta?.state === "building");
      if (building === undefined) throw new Error("no index is being built");
      await tamper(building.name);
    },
    progress: () => undefined,
    warn: (message: string) => { warnings.push(message); },
  });

  it("a count that disagrees names the differing rows, sends them again and verifies again", async () => {
    const warnings: string[] = [];
    const events = beforeVerify(async (index) => {
      // A row no catch-up can see (inserted with the change tracking off and an old xid) and two
      // documents no row stands behind.
      await fixture.pool.query(`ALTER TABLE ${fixture.table} DISABLE TRIGGER products_track_change`);
      try {
        await fixture.pool.query(`INSERT INTO ${fixture.table} (sku, title, price_cents, currency, changed_xid) VALUES ('HIDDEN-1', 'Hidden Lamp', 100, 'EUR', '3'::xid8)`);
      } finally {
        await fixture.pool.query(`ALTER TABLE ${fixture.table} ENABLE TRIGGER products_track_change`);
      }
      await fixture.client.index({ index, id: "999999", body: { id: 999_999, sku: "GHOST" } });
      await fixture.client.index({ index, id: 'ghost-"quoted"', body: { id: 1, sku: "GHOST" } });
    }, warnings);
    const report = await reindex(fixture.settings(), fixture.context({ events }));
    const { rows } = await fixture.pool.query<{ id: string }>(`SELECT id FROM ${fixture.table} WHERE sku = 'HIDDEN-1'`);
    const hidden = rows[0]?.id ?? "";
    expect(report.swapped).toBe(true);
    expect(report.verify).toMatchObject({ ok: true, repaired: { missing: [hidden], unexpected: ['ghost-"quoted"', "999999"], indexed: 1, deleted: 2, conflicts: 0 } });
    expect(warnings.join("\n")).toContain(`verification found 1 live row(s) without a document (HIDDEN-1 id ${hidden}); 2 document(s) without a live row`);
    await expectIndexEqualsCatalog(fixture, report.index);
    await fixture.pool.query(`UPDATE ${fixture.table} SET deleted_at = now() WHERE sku = 'HIDDEN-1'`);
  });

  it("a difference a repair cannot fix fails verification, naming the rows, and leaves the alias alone", async () => {
    const before = await aliasTarget(fixture);
    // A tombstone from the future: the row's own version can no longer be written.
    const events = beforeVerify(async (index) => {
      await fixture.client.delete({ index, id: "20", version: 1_000_000, version_type: "external" });
    });
    const failure = reindex(fixture.settings(), fixture.context({ events }));
    const error = await failure.then(() => { throw new Error("expected the verification to fail"); }, (caught: unknown) => caught as ReindexFailed);
    expect(error).toBeInstanceOf(ReindexFailed);
    expect(error.message).toContain("1 live row(s) without a document (SKU-00000020 id 20)");
    expect(error.message).toContain("after sending 1 differing row(s) again (1 refused as conflicts)");
    expect(error.report.verify?.differences).toEqual({ missing: 1, unexpected: 0, missingRows: [{ id: "20", sku: "SKU-00000020" }], unexpectedIds: [] });
    expect(await aliasTarget(fixture)).toEqual(before);
  });

  it("resumes an interrupted build, but only from the same catalog", async () => {
    const controller = new AbortController();
    const events = { phase: (phase: ReindexPhase) => { if (phase === "load") controller.abort(new Error("interrupted")); }, progress: () => undefined, warn: () => undefined };
    await expect(reindex(fixture.settings(), fixture.context({ events, signal: controller.signal }))).rejects.toThrow("reindex interrupted; the alias");
    const building = (await listManaged(fixture.client, fixture.alias)).find((index) => index.meta?.state === "building");
    expect(building?.meta?.source).toBe(fixture.settings().sourceId);

    const elsewhere = await reindex(fixture.settings({ sourceId: "postgres://dr-replica:5432/shop#catalog", dryRun: true }), fixture.context());
    expect(elsewhere.resumedFrom).toBeNull();
    expect(elsewhere.retention.deleted).toEqual([building?.name]);

    const same = await reindex(fixture.settings(), fixture.context());
    expect(same.resumedFrom).toEqual({ index: building?.name, afterId: null });
    expect(same.index).toBe(building?.name);
    expect(same.verify?.ok).toBe(true);
  });

  it("refuses while another reindex of the alias holds the lock", async () => {
    const holder = fixture.source();
    expect(await holder.lock(lockKey(fixture.openSearchUrl, fixture.alias))).toBe(true);
    try {
      const refusal = reindex(fixture.settings(), fixture.context());
      await expect(refusal).rejects.toBeInstanceOf(RefusedError);
      await expect(refusal).rejects.toThrow(`another shopctl reindex of alias ${fixture.alias} on this cluster is running`);
    } finally {
      await holder.release(lockKey(fixture.openSearchUrl, fixture.alias));
    }
  });

  it("refuses when a concrete index has the alias's name", async () => {
    const alias = `${fixture.alias}-concrete`;
    await fixture.client.indices.create({ index: alias });
    try {
      await expect(reindex(fixture.settings({ alias }), fixture.context())).rejects.toThrow(`an index named ${alias} exists, so no alias of that name can`);
    } finally {
      await fixture.client.indices.delete({ index: alias });
    }
  });

  it("refuses a catalog that was never migrated", async () => {
    const failure = reindex(fixture.settings({ schema: "no_such_catalog" }), fixture.context({ source: fixture.source("no_such_catalog") }));
    await expect(failure).rejects.toThrow('the catalog table "no_such_catalog".products does not exist: run `shopctl catalog migrate` first');
  });
});
