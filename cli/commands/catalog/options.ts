import type { ConnectionOptions } from "../../reindex/connection.js";

// What the catalog and reindex actions receive. Definitions and actions both import this module, so
// an action never imports its definition (the definition loads the action lazily): no cycle.

export interface CatalogOptions extends ConnectionOptions {
  database?: string;
  dryRun: boolean;
}

export interface CatalogSeedOptions extends CatalogOptions {
  count: number;
  seed: number;
}

export interface ReindexOptions extends ConnectionOptions {
  source?: string;
  target?: string;
  alias?: string;
  action?: "rollback" | "status";
  batchSize: number;
  concurrency: number;
  maxErrors: number;
  mapping: "auto" | "core" | "rich";
  replicas: "auto" | number;
  resume: boolean;
  dryRun: boolean;
}
