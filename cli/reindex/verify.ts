import { isDeepStrictEqual } from "node:util";
import type { Client } from "@opensearch-project/opensearch";
import { toDocument, type MappingVariant, type ProductRow } from "../../apps/storefront/src/catalog/index.js";
import type { BadRows } from "./bulk.js";
import { documentCount } from "./indices.js";
import { findDifferences, type Differences, type Repair } from "./reconcile.js";
import type { CatalogReader } from "./source.js";

export interface Mismatch {
  id: string;
  sku: string;
  problem: string;
}

export interface SmokeResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  documents: number;
  liveRows: number;
  /** Live rows left out as bad rows. */
  badLiveRows: number;
  sampled: number;
  mismatches: Mismatch[];
  smoke: SmokeResult[];
  /** When the count disagrees: which rows have no document, and which documents no row. */
  differences?: Differences;
  /** Differences found by a first verification and sent again before this one. */
  repaired?: Repair;
}

interface Hit {
  _id?: string;
  _version?: number;
  _source?: unknown;
  found?: boolean;
}

/** JSON round trip: what the index stores for a document. */
function stored(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

async function compareSamples(client: Client, index: string, rows: readonly ProductRow[], bad: BadRows): Promise<{ sampled: number; mismatches: Mismatch[] }> {
  const badIds = new Set(bad.list().map((row) => row.id));
  const expected = rows.filter((row) => !badIds.has(row.id));
  if (expected.length === 0) return { sampled: 0, mismatches: [] };
  const response = await client.mget({ index, body: { ids: expected.map((row) => row.id) } });
  const docs = (response.body as { docs?: Hit[] }).docs ?? [];
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  const mismatches: Mismatch[] = [];
  for (const row of expected) {
    const doc = byId.get(row.id);
    const result = toDocument(row);
    if (!result.ok) continue;
    if (doc?.found !== true) mismatches.push({ id: row.id, sku: row.sku, problem: "missing from the index" });
    else if (doc._version !== result.document.searchVersion) mismatches.push({ id: row.id, sku: row.sku, problem: `version ${doc._version ?? "?"} in the index, ${result.document.searchVersion} in the catalog` });
    else if (!isDeepStrictEqual(doc._source, stored(result.document))) mismatches.push({ id: row.id, sku: row.sku, problem: "the document differs from its row" });
  }
  return { sampled: expected.length, mismatches };
}

async function totalHits(client: Client, index: string, query: Record<string, unknown>): Promise<{ total: number; ids: string[]; aggregations?: unknown }> {
  const response = await client.search({ index, body: { ...query, track_total_hits: true } });
  const body = response.body as { hits: { total?: number | { value: number }; hits: Hit[] }; aggregations?: unknown };
  const total = typeof body.hits.total === "number" ? body.hits.total : (body.hits.total?.value ?? 0);
  return { total, ids: body.hits.hits.map((hit) => hit._id ?? ""), aggregations: body.aggregations };
}

/** Queries a storefront runs, against the index before it goes live. */
async function smokeQueries(client: Client, index: string, variant: MappingVariant, documents: number, probe: ProductRow | undefined): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const all = await totalHits(client, index, { query: { match_all: {} }, size: 0 });
  results.push({ name: "match_all", ok: all.total === documents, detail: `${all.total} hits, ${documents} documents` });
  if (probe === undefined) return results;

  const bySku = await totalHits(client, index, { query: { term: { sku: probe.sku } }, size: 1 });
  results.push({ name: "sku lookup", ok: bySku.ids[0] === probe.id, detail: `sku ${probe.sku}: ${bySku.total} hit(s)` });

  const fullText = await totalHits(client, index, { query: { bool: { must: { match: { title: { query: probe.title, operator: "and" } } }, filter: { term: { sku: probe.sku } } } }, size: 1 });
  results.push({ name: "full-text title", ok: fullText.ids[0] === probe.id, detail: `"${probe.title.slice(0, 60)}": ${fullText.total} hit(s)` });

  const facets = await totalHits(client, index, { size: 0, aggs: { brands: { terms: { field: "brand.keyword", size: 5 } }, categories: { terms: { field: "category.levels", size: 5 } } } });
  const buckets = (facets.aggregations as { brands?: { buckets?: unknown[] } } | undefined)?.brands?.buckets?.length ?? 0;
  results.push({ name: "facets", ok: probe.brand === null || buckets > 0, detail: `${buckets} brand bucket(s)` });

  if (variant === "rich") {
    const prefix = probe.title.slice(0, Math.max(3, Math.min(probe.title.length, 12))).trim();
    const asYouType = await totalHits(client, index, {
      query: { bool: { must: { multi_match: { query: prefix, type: "bool_prefix", fields: ["title.suggest", "title.suggest._2gram", "title.suggest._3gram"] } }, filter: { term: { sku: probe.sku } } } },
      size: 1,
    });
    results.push({ name: "search as you type", ok: asYouType.ids[0] === probe.id, detail: `"${prefix}": ${asYouType.total} hit(s)` });
  }
  return results;
}

/**
 * Compares the refreshed index with the catalog at one snapshot (`reader` runs inside it):
 * documents equal live rows minus bad rows, sampled documents equal their rows at their row's
 * version, and the storefront's kinds of queries answer.
 */
export async function verifyIndex(options: { client: Client; index: string; reader: CatalogReader; bad: BadRows; variant: MappingVariant; sampleSize: number }): Promise<VerifyResult> {
  const { client, index, reader, bad } = options;
  await client.indices.refresh({ index });
  const [documents, liveRows, sample] = await Promise.all([documentCount(client, index), reader.liveCount(), reader.sample(options.sampleSize)]);
  const { sampled, mismatches } = await compareSamples(client, index, sample, bad);
  const badIds = new Set(bad.list().map((row) => row.id));
  const probe = sample.find((row) => !badIds.has(row.id));
  const smoke = await smokeQueries(client, index, options.variant, documents, probe);
  const badLiveRows = bad.size;
  const counted = documents === liveRows - badLiveRows;
  const ok = counted && mismatches.length === 0 && smoke.every((result) => result.ok);
  const result: VerifyResult = { ok, documents, liveRows, badLiveRows, sampled, mismatches, smoke };
  if (!counted) result.differences = await findDifferences({ client, index, reader, bad: badIds });
  return result;
}
