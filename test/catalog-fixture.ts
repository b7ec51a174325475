// A catalog of its own per test file: a PostgreSQL schema and an index alias named after the file
// and the process, so integration files run in parallel against the shared services.
import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import { expect } from "vitest";
import { toDocument } from "../apps/storefront/src/catalog/document.js";
import { migrateCatalog } from "../apps/storefront/src/catalog/migrate.js";
import { PRODUCT_COLUMNS, type ProductRow } from "../apps/storefront/src/catalog/product.js";
import { seedCatalog } from "../apps/storefront/src/catalog/seed.js";
import { productsTable } from "../apps/storefront/src/catalog/sql.js";
import { silentEvents } from "../cli/reindex/progress.js";
import type { ReindexContext, ReindexSettings } from "../cli/reindex/run.js";
import { CatalogSource } from "../cli/reindex/source.js";
import { serviceEndpoints } from "./services.js";

export interface CatalogFixture {
  schema: string;
  alias: string;
  table: string;
  pgUrl: string;
  openSearchUrl: string;
  pool: pg.Pool;
  client: Client;
  /** A CatalogSource for one engine run (on this fixture's schema unless told); closed by cleanup(). */
  source(schema?: string): CatalogSource;
  settings(overrides?: Partial<ReindexSettings>): ReindexSettings;
  context(overrides?: Partial<ReindexContext>): ReindexContext;
  cleanup(): Promise<void>;
}

export async function catalogFixture(name: string, options: { count: number; openSearchUrl?: string }): Promise<CatalogFixture> {
  const { pgUrl, openSearchUrl: sharedUrl } = serviceEndpoints();
  const openSearchUrl = options.openSearchUrl ?? sharedUrl;
  const schema = `t_${name}_${process.pid}`;
  const alias = `${schema.replace(/_/g, "-")}-products`;
  const setup = new pg.Client({ connectionString: pgUrl });
  await setup.connect();
  try {
    await setup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await migrateCatalog({ client: setup, schema });
    await seedCatalog({ client: setup, schema, count: options.count });
  } finally {
    await setup.end();
  }
  const pool = new pg.Pool({ connectionString: pgUrl, max: 6 });
  const client = new Client({ node: openSearchUrl });
  // Nothing left over from an earlier run that had the same process id.
  await client.indices.delete({ index: `${alias}_*`, expand_wildcards: "all" }, { ignore: [404] });
  const sources: CatalogSource[] = [];
  const fixture: CatalogFixture = {
    schema, alias, table: productsTable(schema), pgUrl, openSearchUrl, pool, client,
    source: (other = schema) => {
      const source = CatalogSource.open({ connectionString: pgUrl }, other);
      sources.push(source);
      return source;
    },
    settings: (overrides = {}) => ({
      alias, schema, batchSize: 500, concurrency: 2, maxErrors: 0, mapping: "auto", replicas: "auto", resume: true, dryRun: false,
      lockScope: openSearchUrl, sourceId: `${new URL(pgUrl).host}${new URL(pgUrl).pathname}#${schema}`, backoff: { baseMs: 20, maxMs: 500 }, ...overrides,
    }),
    context: (overrides = {}) => ({ source: fixture.source(), client, events: silentEvents, ...overrides }),
    cleanup: async () => {
      await Promise.all(sources.map((source) => source.close().catch(() => undefined)));
      await client.indices.delete({ index: `${alias}_*`, expand_wildcards: "all" }, { ignore: [404] }).catch(() => undefined);
      await client.close();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await pool.end();
    },
  };
  return fixture;
}

/** The index the alias serves. */
export async function aliasTarget(fixture: CatalogFixture): Promise<string[]> {
  const response = await fixture.client.indices.getAlias({ name: fixture.alias }, { ignore: [404] });
  return response.statusCode === 404 ? [] : Object.keys(response.body).sort();
}

/**
 * The index holds exactly the catalog: every live row's document equals toDocument(row) at the
 * row's version, no tombstoned row has a document, and there is nothing else.
 */
export async function expectIndexEqualsCatalog(fixture: CatalogFixture, index: string): Promise<void> {
  await fixture.client.indices.refresh({ index });
  const { rows } = await fixture.pool.query<ProductRow>(`SELECT ${PRODUCT_COLUMNS} FROM ${fixture.table} ORDER BY id`);
  const live = rows.filter((row) => row.deleted_at === null);
  const problems: Record<"missing" | "resurrected" | "stale" | "differs", string[]> = { missing: [], resurrected: [], stale: [], differs: [] };
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    const response = await fixture.client.mget({ index, body: { ids: chunk.map((row) => row.id) } });
    const docs = (response.body as { docs: { _id: string; found: boolean; _version?: number; _source?: unknown }[] }).docs;
    chunk.forEach((row, position) => {
      const doc = docs[position];
      if (row.deleted_at !== null) {
        if (doc?.found === true) problems.resurrected.push(`${row.sku} (index v${doc._version ?? "?"}, catalog v${row.search_version})`);
        return;
      }
      const expected = toDocument(row);
      if (!expected.ok) return;
      if (doc?.found !== true) problems.missing.push(`${row.sku} v${row.search_version}`);
      else if (doc._version !== expected.document.searchVersion) problems.stale.push(`${row.sku} (index v${doc._version ?? "?"}, catalog v${expected.document.searchVersion})`);
      else if (JSON.stringify(doc._source) !== JSON.stringify(expected.document)) problems.differs.push(`${row.sku}: ${JSON.stringify(doc._source)} != ${JSON.stringify(expected.document)}`);
    });
  }
  const summary = Object.fromEntries(Object.entries(problems).map(([kind, list]) => [kind, { count: list.length, examples: list.slice(0, 5) }]));
  expect(summary).toEqual({ missing: { count: 0, examples: [] }, resurrected: { count: 0, examples: [] }, stale: { count: 0, examples: [] }, differs: { count: 0, examples: [] } });
  const count = (await fixture.client.count({ index })).body.count;
  const indexable = live.filter((row) => toDocument(row).ok).length;
  expect(count).toBe(indexable);
}
