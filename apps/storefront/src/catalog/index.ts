// The catalog's public API for the rest of the repository (shopctl's catalog and reindex commands
// import the catalog only from here). Everything here is light except the migrations, which load
// node-pg-migrate: migrateCatalog loads them on its first call, so reindex does not pay for them.
import type { MigrateOptions } from "./migrate.js";

export { toDocument, type BadRow, type DocumentResult, type ProductDocument } from "./document.js";
export {
  chooseVariant,
  DEFAULT_INDEX_ALIAS,
  indexDefinition,
  indexName,
  LIVE_REFRESH_INTERVAL,
  missingModules,
  parseIndexName,
  type IndexDefinition,
  type MappingVariant,
} from "./mapping.js";
export type { MigrateOptions } from "./migrate.js";
export { PRODUCT_COLUMNS, type NewProduct, type ProductRow } from "./product.js";
export { mulberry32, seedCatalog, syntheticProduct, type SeedOptions, type SeedResult } from "./seed.js";
export { DEFAULT_CATALOG_SCHEMA, productsTable } from "./sql.js";

/** Applies the catalog's migrations; returns the names of those it ran. */
export async function migrateCatalog(options: MigrateOptions): Promise<string[]> {
  return (await import("./migrate.js")).migrateCatalog(options);
}
