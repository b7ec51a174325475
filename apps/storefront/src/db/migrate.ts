import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runner, type RunnerOption } from "node-pg-migrate";
import type { ClientBase } from "pg";
import { MIGRATIONS_TABLE, migrationLockId, migrationsDir } from "../catalog/migrate.js";
import { schemaIdentifier } from "../catalog/sql.js";

type Loader = Exclude<NonNullable<RunnerOption["migrationLoaderStrategies"]>[number]["loader"], string>;

/**
 * Compiled migrations (the artifact ships them as .js) are plain ES modules: load them with
 * Node's own import. node-pg-migrate's default loader (jiti) transpiles at run time and writes a
 * cache, which the instance's read-only app directory would refuse.
 */
const nativeLoader: Loader = async (filePaths) =>
  Promise.all(filePaths.map(async (filePath) => ({
    id: filePath,
    filePaths: [filePath],
    actions: (await import(pathToFileURL(filePath).href)) as Awaited<ReturnType<Loader>>[number]["actions"],
  })));

/**
 * The migrations folder: `migrations/` beside the running entry script (the artifact's layout),
 * else apps/storefront/migrations above it (the TypeScript sources).
 */
export function findMigrationsDir(entryDir: string): string {
  const beside = path.join(entryDir, "migrations");
  return existsSync(beside) ? beside : migrationsDir(entryDir);
}

export interface MigrateStorefrontOptions {
  /** A connected client; the caller closes it. */
  client: ClientBase;
  schema: string;
  dir: string;
  log?: (line: string) => void;
}

/**
 * Runs every pending migration (the catalog's and the storefront's) in `schema`, with the same
 * bookkeeping table and the same per-schema advisory lock as `shopctl catalog migrate`.
 * Instances starting together wait on the lock instead of failing, then find nothing left to do.
 */
export async function migrateStorefront(options: MigrateStorefrontOptions): Promise<string[]> {
  schemaIdentifier(options.schema);
  const log = options.log ?? (() => undefined);
  const ran = await runner({
    dbClient: options.client,
    dir: options.dir,
    ignorePattern: "(\\..*)|(.*\\.md)|(.*\\.map)",
    migrationsTable: MIGRATIONS_TABLE,
    schema: options.schema,
    createSchema: true,
    direction: "up",
    checkOrder: true,
    singleTransaction: true,
    lockValue: migrationLockId(options.schema),
    advisoryLockMode: "wait",
    migrationLoaderStrategies: [{ extensions: [".js", ".mjs"], loader: nativeLoader }],
    logger: { debug: () => undefined, info: log, warn: log, error: log },
  });
  return ran.map((migration) => migration.name);
}
