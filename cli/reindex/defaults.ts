import type { BackoffPolicy } from "../common/backoff.js";

/**
 * Defaults of `shopctl reindex`, shared with bench/reindex.ts so the raw `_bulk` ceiling is
 * measured with the same batch size and concurrency as the engine.
 */
export const REINDEX_DEFAULTS = {
  /** Rows per bulk request: about 1 MB of the synthetic catalog's documents. */
  batchSize: 1000,
  /** Bulk requests in flight. */
  concurrency: 4,
} as const;

/** Retries of 429s and 5xx from the search cluster: from 250 ms, doubling, never over 20 s. */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 20_000 };
