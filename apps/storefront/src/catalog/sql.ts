/** The schema the catalog lives in unless told otherwise (the storefront's database is `shop`). */
export const DEFAULT_CATALOG_SCHEMA = "catalog";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A schema name checked and quoted for SQL. Only plain lower-case identifiers are accepted, so a
 * name can never smuggle SQL and reads the same quoted or not.
 */
export function schemaIdentifier(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`catalog schema "${schema}" is not a plain identifier: expected lower-case letters, digits and _ (max 63), starting with a letter or _`);
  }
  return `"${schema}"`;
}

/** `"schema".products`: every catalog query names its table through this. */
export function productsTable(schema: string): string {
  return `${schemaIdentifier(schema)}.products`;
}
