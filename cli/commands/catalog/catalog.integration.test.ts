import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEndpoints } from "../../../test/services.js";
import { shopctl } from "../../../test/shopctl.js";
import type { ReindexReport } from "../../reindex/report.js";
import type { StatusReport } from "../../reindex/status.js";

// shopctl as a user runs it: the built binary, CI set, no terminal; flags mode against the real services.
const { pgUrl, openSearchUrl } = serviceEndpoints();
const schema = `t_cli_${process.pid}`;
const alias = `t-cli-${process.pid}-products`;
const database = ["--database", pgUrl, "--schema", schema];
const endpoints = ["--source", pgUrl, "--target", openSearchUrl, "--schema", schema, "--alias", alias];
const pool = new pg.Pool({ connectionString: pgUrl, max: 2 });
const search = new Client({ node: openSearchUrl });

beforeAll(async () => { await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`); });
afterAll(async () => {
  await search.indices.delete({ index: `${alias}_*` }, { ignore: [404] });
  await search.close();
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describe("shopctl catalog and reindex, end to end", () => {
  it("migrate applies the migrations once; a dry run before changes nothing", async () => {
    const dry = await shopctl(["catalog", "migrate", ...database, "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { migrations: string[] }).migrations).toContain("1767225600000_catalog-products");
    const first = await shopctl(["catalog", "migrate", ...database, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ schema, dryRun: false, database: expect.stringContaining("127.0.0.1") as string });
    const again = await shopctl(["catalog", "migrate", ...database]);
    expect(again.stdout).toContain(`schema ${schema}: up to date`);
  });

  it("seed inserts the synthetic catalog and skips what exists", async () => {
    const seeded = await shopctl(["catalog", "seed", "--count", "1500", ...database, "--json"]);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(JSON.parse(seeded.stdout)).toMatchObject({ count: 1500, seed: 1, inserted: 1500, existing: 0 });
    const again = await shopctl(["catalog", "seed", "--count", "2000", ...database]);
    expect(again.stdout).toContain("500 products inserted, 1500 already there");
  });

  it("seed refuses a schema that was never migrated", async () => {
    const result = await shopctl(["catalog", "seed", "--count", "10", "--database", pgUrl, "--schema", `${schema}_missing`]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("does not exist");
    expect(result.stderr).toContain("run shopctl catalog migrate first");
  });

  it("reindex --json prints one report; status and rollback follow it", async () => {
    const first = await shopctl(["reindex", ...endpoints, "--json"]);
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout) as ReindexReport;
    expect(report).toMatchObject({ alias, swapped: true, liveRowsAtStart: 2000, verify: { ok: true, documents: 2000 } });
    expect(report.peakRssBytes).toBeGreaterThan(0);
    // CI: periodic progress lines and the phases on stderr, never a bar.
    expect(first.stderr).toContain("reindex: swapping alias");
    expect(first.stderr).not.toContain("|█");

    const second = await shopctl(["reindex", ...endpoints]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`alias ${alias} -> `);

    const status = await shopctl(["reindex", "status", ...endpoints, "--json"]);
    const listed = JSON.parse(status.stdout) as StatusReport;
    expect(listed.indices.map((index) => index.state)).toEqual(["live", "ready"]);
    expect(listed.liveRows).toBe(2000);

    const dry = await shopctl(["reindex", "rollback", ...endpoints, "--dry-run"]);
    expect(dry.stdout).toContain(`dry run: would point ${alias} at ${report.index}`);
    const rolled = await shopctl(["reindex", "rollback", ...endpoints]);
    expect(rolled.code, rolled.stderr).toBe(0);
    const target = await search.indices.getAlias({ name: alias });
    expect(Object.keys(target.body)).toEqual([report.index]);
  });

  it("a dry run with bad rows lists them by SKU and exits 1; the build fails without touching the alias", async () => {
    await pool.query(`UPDATE "${schema}".products SET attributes = '[1]' WHERE sku = 'SKU-00000007'`);
    const dry = await shopctl(["reindex", ...endpoints, "--dry-run"]);
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain("SKU-00000007 (id 7): unparseable attributes: a list");
    const before = Object.keys((await search.indices.getAlias({ name: alias })).body);
    const failed = await shopctl(["reindex", ...endpoints, "--json"]);
    expect(failed.code).toBe(1);
    const document = JSON.parse(failed.stdout) as { error: { message: string; details: { report: ReindexReport } } };
    expect(document.error.message).toContain("1 bad row, more than --max-errors 0 allows");
    expect(document.error.details.report.badRows).toEqual([{ id: "7", sku: "SKU-00000007", field: "attributes", reason: "unparseable attributes: a list; expected an object of name -> value" }]);
    expect(Object.keys((await search.indices.getAlias({ name: alias })).body)).toEqual(before);
  });
});
