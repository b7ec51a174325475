import type { Client } from "@opensearch-project/opensearch";
import { toDocument, type BadRow, type ProductRow } from "../../apps/storefront/src/catalog/index.js";
import { backoffDelay, type BackoffPolicy } from "../common/backoff.js";
import { sleep } from "../common/sleep.js";
import { DEFAULT_BACKOFF } from "./defaults.js";

/** One bulk operation, pre-serialized: the action line and, for an index, the document line. */
export interface BulkItem {
  id: string;
  sku: string;
  kind: "index" | "delete";
  lines: string;
}

/**
 * Rows that cannot be indexed, by product id. A later change can fix or tombstone a row, which
 * takes it off the list, so at verification the list holds exactly the live rows left out.
 */
export class BadRows {
  private readonly rows = new Map<string, BadRow>();

  constructor(initial: readonly BadRow[] = []) {
    for (const row of initial) this.rows.set(row.id, row);
  }

  add(row: BadRow): void {
    this.rows.set(row.id, row);
  }

  clear(id: string): void {
    this.rows.delete(id);
  }

  get size(): number {
    return this.rows.size;
  }

  list(): BadRow[] {
    return [...this.rows.values()].sort((a, b) => compareIds(a.id, b.id));
  }
}

/** Numeric order of bigint ids held as decimal strings. */
export function compareIds(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

// Ids and versions are bigint columns rendered by PostgreSQL: digits only, safe to splice.
const indexLine = (id: string, version: string) => `{"index":{"_id":"${id}","version":${version},"version_type":"external"}}\n`;
const deleteLine = (id: string, version: string) => `{"delete":{"_id":"${id}","version":${version},"version_type":"external"}}\n`;

/**
 * Bulk operations for rows. `load` (the full scan) sees live rows only. `sync` (catch-up) also
 * sees tombstones, which become deletes; a live row that turned bad is deleted too, so that its
 * older, good document does not linger. External versions from search_version make every
 * operation safe to repeat or reorder: an older version never replaces a newer one.
 */
export function toBulkItems(rows: readonly ProductRow[], mode: "load" | "sync", bad: BadRows): BulkItem[] {
  const items: BulkItem[] = [];
  for (const row of rows) {
    if (row.deleted_at !== null) {
      bad.clear(row.id);
      if (mode === "sync") items.push({ id: row.id, sku: row.sku, kind: "delete", lines: deleteLine(row.id, row.search_version) });
      continue;
    }
    const result = toDocument(row);
    if (result.ok) {
      bad.clear(row.id);
      items.push({ id: row.id, sku: row.sku, kind: "index", lines: `${indexLine(row.id, row.search_version)}${JSON.stringify(result.document)}\n` });
    } else {
      bad.add(result.bad);
      if (mode === "sync") items.push({ id: row.id, sku: row.sku, kind: "delete", lines: deleteLine(row.id, row.search_version) });
    }
  }
  return items;
}

/** A delete for a document no row stands behind (a purged row, or a stray document): no version to compare. */
export function purgeItem(id: string): BulkItem {
  return { id, sku: `(no row ${id})`, kind: "delete", lines: `${JSON.stringify({ delete: { _id: id } })}\n` };
}

export interface BulkOutcome {
  indexed: number;
  deleted: number;
  /** Operations the index already had at the same or a newer version: nothing to do. */
  conflicts: number;
  /** Items sent again after a per-item rejection (429). */
  itemRetries: number;
  /** Items the cluster refused for good (a mapping error, say): reported like bad rows. */
  rejected: BadRow[];
}

export function emptyOutcome(): BulkOutcome {
  return { indexed: 0, deleted: 0, conflicts: 0, itemRetries: 0, rejected: [] };
}

export function addOutcome(total: BulkOutcome, part: BulkOutcome): void {
  total.indexed += part.indexed;
  total.deleted += part.deleted;
  total.conflicts += part.conflicts;
  total.itemRetries += part.itemRetries;
  total.rejected.push(...part.rejected);
}

/** A whole bulk request failed. `retryable`: a 429, a 5xx, a timeout or a dropped connection. */
export class BulkRequestError extends Error {
  constructor(message: string, readonly retryable: boolean, readonly status?: number) {
    super(message);
    this.name = "BulkRequestError";
  }
}

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUS.has(status) || status >= 500;
}

interface ItemResult {
  status?: number;
  error?: { type?: string; reason?: string };
}

/** The per-item results of a bulk response (filtered by FILTER_PATH), in request order. */
export function bulkItemResults(body: unknown): ItemResult[] | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { errors, items } = body as { errors?: unknown; items?: unknown };
  if (errors === false) return [];
  if (!Array.isArray(items)) return undefined;
  return items.map((item: unknown) => {
    if (typeof item !== "object" || item === null) return {};
    const [result] = Object.values(item as Record<string, unknown>);
    return typeof result === "object" && result !== null ? result : {};
  });
}

const FILTER_PATH = "errors,items.*.status,items.*.error.type,items.*.error.reason";

/** An operation once encoded: where its lines sit in the request body. */
interface Encoded {
  id: string;
  sku: string;
  kind: BulkItem["kind"];
  start: number;
  end: number;
}

/**
 * The request body as one Buffer, written item by item, plus each item's place in it. The
 * items' strings can then be collected while the request is in flight (a rejected item is cut
 * out of the Buffer), and no joined megabyte string sits on the heap: with a few batches always
 * in flight, that is what kept the garbage collector busy.
 */
function encode(items: readonly BulkItem[]): { body: Buffer; entries: Encoded[] } {
  let size = 0;
  for (const item of items) size += Buffer.byteLength(item.lines);
  const body = Buffer.allocUnsafe(size);
  const entries: Encoded[] = [];
  let offset = 0;
  for (const item of items) {
    const start = offset;
    offset += body.write(item.lines, offset);
    entries.push({ id: item.id, sku: item.sku, kind: item.kind, start, end: offset });
  }
  return { body, entries };
}

function reencode(body: Buffer, entries: readonly Encoded[]): { body: Buffer; entries: Encoded[] } {
  const parts = entries.map((entry) => body.subarray(entry.start, entry.end));
  let offset = 0;
  const moved = entries.map((entry, position) => {
    const start = offset;
    offset += parts[position]?.length ?? 0;
    return { ...entry, start, end: offset };
  });
  return { body: Buffer.concat(parts, offset), entries: moved };
}

export interface BulkWriterOptions {
  /** Per-item rejections (429) are retried this many times before the request counts as failed. */
  maxItemRetries?: number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Sends bulk requests to one index and sorts out what each item did. */
export class BulkWriter {
  private readonly path: string;

  constructor(private readonly client: Client, readonly index: string, private readonly options: BulkWriterOptions = {}) {
    this.path = `/${encodeURIComponent(index)}/_bulk`;
  }

  async write(items: readonly BulkItem[]): Promise<BulkOutcome> {
    const outcome = emptyOutcome();
    const maxItemRetries = this.options.maxItemRetries ?? 6;
    let pending = encode(items);
    for (let attempt = 1; ; attempt++) {
      const results = await this.send(pending.body);
      const retry: Encoded[] = [];
      const { entries } = pending;
      if (results.length === 0) {
        for (const entry of entries) this.count(outcome, entry, 200);
      } else {
        if (results.length !== entries.length) {
          throw new BulkRequestError(`bulk response to ${this.index} holds ${results.length} results for ${entries.length} operations`, false);
        }
        entries.forEach((entry, position) => {
          const result = results[position] ?? {};
          const status = result.status ?? 0;
          if (status === 429 || status === 503) retry.push(entry);
          else if (status >= 200 && status < 300) this.count(outcome, entry, status);
          else if (status === 409) outcome.conflicts++;
          else if (status === 404 && entry.kind === "delete") outcome.deleted++;
          else outcome.rejected.push({ id: entry.id, sku: entry.sku, field: "document", reason: `rejected by the index (${status}): ${result.error?.type ?? "error"}: ${result.error?.reason ?? "no reason given"}` });
        });
      }
      if (retry.length === 0) return outcome;
      if (attempt > maxItemRetries) {
        throw new BulkRequestError(`${retry.length} operations still rejected (429) after ${maxItemRetries} retries`, true, 429);
      }
      outcome.itemRetries += retry.length;
      await sleep(backoffDelay(attempt, this.options.backoff ?? DEFAULT_BACKOFF), this.options.signal);
      pending = reencode(pending.body, retry);
    }
  }

  private count(outcome: BulkOutcome, entry: Encoded, status: number): void {
    if (entry.kind === "delete") outcome.deleted++;
    else if (status >= 200 && status < 300) outcome.indexed++;
  }

  private async send(body: Buffer): Promise<ItemResult[]> {
    let answer: unknown;
    try {
      const response = await this.client.transport.request(
        { method: "POST", path: this.path, bulkBody: body, querystring: { filter_path: FILTER_PATH } },
        { requestTimeout: this.options.requestTimeoutMs ?? 120_000, maxRetries: 0 },
      );
      answer = response.body;
    } catch (error) {
      throw toBulkRequestError(error, this.index);
    }
    const results = bulkItemResults(answer);
    if (results === undefined) throw new BulkRequestError(`bulk response to ${this.index} is not a bulk response`, false);
    return results;
  }
}

/** What a failed request means for the run: a status to retry on, or a problem to report. */
export function toBulkRequestError(error: unknown, index: string): BulkRequestError {
  if (error instanceof BulkRequestError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  const status = statusOf(error);
  if (status !== undefined) {
    return new BulkRequestError(`bulk request to ${index} failed with HTTP ${status}: ${message}`, isRetryableStatus(status), status);
  }
  // Timeouts and dropped or refused connections: the request may or may not have landed, and
  // external versions make sending it again harmless.
  const transient = ["ConnectionError", "TimeoutError", "NoLivingConnectionsError", "RequestAbortedError"].includes(name);
  return new BulkRequestError(`bulk request to ${index} failed: ${name === "" ? "" : `${name}: `}${message}`, transient);
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("meta" in error)) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === "number" ? status : undefined;
}
