import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PG_MIGRATE_LOCK_ID, runner } from "node-pg-migrate";
import type { ClientBase } from "pg";
import { DEFAULT_CATALOG_SCHEMA, schemaIdentifier } from "./sql.js";

/** Where node-pg-migrate tracks what ran, inside the catalog schema. */
export const MIGRATIONS_TABLE = "pgmigrations";

/**
 * apps/storefront/migrations, found by walking up from this module: the same from the
 * TypeScript sources and from the compiled copy under dist/ (migrations are loaded from source).
 */
export function migrationsDir(from = path.dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "apps", "storefront", "migrations");
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no apps/storefront/migrations above ${from}`);
    dir = parent;
  }
}

/**
 * node-pg-migrate's advisory lock, offset per schema: migrations of one schema wait for each other
 * (a fleet starting at once), while other schemas (test catalogs) migrate in parallel.
 */
export function migrationLockId(schema: string): number {
  let hash = 0x811c9dc5;
  for (const char of schema) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return PG_MIGRATE_LOCK_ID + hash;
}

export interface MigrateOptions {
  /** A connected client; the caller closes it. */
  client: ClientBase;
  schema?: string;
  direction?: "up" | "down";
  /** How many migrations to run down (up runs all pending). */
  count?: number;
  /** Print the SQL instead of running it. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

/**
 * Run the catalog migrations in `schema` (created when missing). Returns the names of those that
 * ran. A dry run logs their SQL and leaves no trace: node-pg-migrate's own dry run still creates
 * the schema and its bookkeeping table, so here it runs inside a transaction that is rolled back.
 */
export async function migrateCatalog(options: MigrateOptions): Promise<string[]> {
  const schema = options.schema ?? DEFAULT_CATALOG_SCHEMA;
  schemaIdentifier(schema);
  const log = options.log ?? (() => undefined);
  const dryRun = options.dryRun ?? false;
  if (dryRun) await options.client.query("BEGIN");
  try {
    const ran = await runner({
      dbClient: options.client,
      dir: migrationsDir(),
      // Only migrations: the folder may hold notes.
      ignorePattern: "(\\..*)|(.*\\.md)",
      migrationsTable: MIGRATIONS_TABLE,
      schema,
      createSchema: true,
      direction: options.direction ?? "up",
      ...(options.direction === "down" ? { count: options.count ?? 1 } : {}),
      checkOrder: true,
      lockValue: migrationLockId(schema),
      advisoryLockMode: "wait",
      // One transaction for the lot; in a dry run, the caller's transaction (rolled back below).
      singleTransaction: !dryRun,
      dryRun,
      verbose: dryRun,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    return ran.map((migration) => migration.name);
  } finally {
    if (dryRun) await options.client.query("ROLLBACK");
  }
}
