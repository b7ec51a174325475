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
