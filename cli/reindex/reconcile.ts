import type { Client } from "@opensearch-project/opensearch";
import { purgeItem, toBulkItems, type BadRows, type BulkWriter } from "./bulk.js";
import type { CatalogReader } from "./source.js";

/** Which documents a failed count is about: named, so that an operator can look them up. */
export interface Differences {
  /** Live, indexable rows without a document. */
  missing: number;
  /** Documents without a live, indexable row (a tombstoned, purged or bad row). */
  unexpected: number;
  /** The first `limit` of each, in id order: what a repair re-sends. */
  missingRows: { id: string; sku: string }[];
  unexpectedIds: string[];
}

const PAGE = 5_000;

async function missingDocuments(client: Client, index: string, reader: CatalogReader, bad: ReadonlySet<string>, limit: number) {
  const found = { count: 0, ids: [] as { id: string; sku: string }[] };
  let after: string | undefined;
  for (;;) {
    const page = await reader.liveIdPage(after, PAGE);
    const last = page.at(-1);
    if (last === undefined) return found;
    const rows = page.filter((row) => !bad.has(row.id));
    if (rows.length > 0) {
      const response = await client.mget({ index, body: { ids: rows.map((row) => row.id) }, _source: false });
      const docs = (response.body as { docs?: { _id?: string; found?: boolean }[] }).docs ?? [];
      const present = new Set(docs.filter((doc) => doc.found === true).map((doc) => doc._id));
      for (const row of rows) {
        if (present.has(row.id)) continue;
        found.count++;
        if (found.ids.length < limit) found.ids.push(row);
      }
    }
    after = last.id;
  }
}

async function unexpectedDocuments(client: Client, index: string, reader: CatalogReader, bad: ReadonlySet<string>, limit: number) {
  const found = { count: 0, ids: [] as string[] };
  let after: number[] | undefined;
  for (;;) {
    const response = await client.search({
      index,
      body: { size: PAGE, _source: false, track_total_hits: false, sort: [{ id: "asc" }], ...(after === undefined ? {} : { search_after: after }) },
    });
    const hits = (response.body as { hits: { hits: { _id?: string; sort?: number[] }[] } }).hits.hits;
    if (hits.length === 0) return found;
    const ids = hits.map((hit) => hit._id ?? "");
    const live = await reader.liveAmong(ids);
    for (const id of ids) {
      if (live.has(id) && !bad.has(id)) continue;
      found.count++;
      if (found.ids.length < limit) found.ids.push(id);
    }
    after = hits.at(-1)?.sort;
    if (after === undefined) return found;
  }
}

/**
 * Compares the index with the catalog id by id, at the reader's snapshot: every live row's
 * document by id, and every document's row. Reads everything once, so it runs only when the
 * count already disagrees.
 */
export async function findDifferences(options: { client: Client; index: string; reader: CatalogReader; bad: ReadonlySet<string>; limit?: number }): Promise<Differences> {
  const { client, index, reader, bad } = options;
  const limit = options.limit ?? 10_000;
  const missing = await missingDocuments(client, index, reader, bad, limit);
  const unexpected = await unexpectedDocuments(client, index, reader, bad, limit);
  return { missing: missing.count, unexpected: unexpected.count, missingRows: missing.ids, unexpectedIds: unexpected.ids };
}

/** At most this many differences are repaired; more mean something else is wrong (the wrong index, say). */
export const MAX_REPAIR = 1_000;

export interface Repair {
  /** Ids re-sent: live rows that had no document, then documents that had no live row. */
  missing: string[];
  unexpected: string[];
  indexed: number;
  deleted: number;
  conflicts: number;
}

export function canRepair(differences: Differences): boolean {
  const total = differences.missing + differences.unexpected;
  return total > 0 && total <= MAX_REPAIR && differences.missingRows.length === differences.missing && differences.unexpectedIds.length === differences.unexpected;
}

/**
 * Sends every differing id again as the reader's snapshot has it: a live row's document at its
 * version, a tombstone's delete at its version, and a plain delete where no row stands behind a
 * document. External versions still guard every write, so a repair never undoes a newer change.
 */
export async function repairDifferences(options: { differences: Differences; reader: CatalogReader; writer: BulkWriter; bad: BadRows }): Promise<Repair> {
  const { differences, reader, writer, bad } = options;
  const missing = differences.missingRows.map((row) => row.id);
  const unexpected = differences.unexpectedIds;
  const ids = [...missing, ...unexpected];
  const rows = await reader.rowsByIds(ids);
  const found = new Set(rows.map((row) => row.id));
  const items = [...toBulkItems(rows, "sync", bad), ...ids.filter((id) => !found.has(id)).map(purgeItem)];
  const outcome = await writer.write(items);
  for (const rejected of outcome.rejected) bad.add(rejected);
  return { missing, unexpected, indexed: outcome.indexed, deleted: outcome.deleted, conflicts: outcome.conflicts };
}
