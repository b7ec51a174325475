import type { ProductRow } from "./product.js";

/**
 * What the search index accepts from a row. PostgreSQL holds anything its column types allow;
 * a row outside these limits is a bad row: reported with its SKU and never indexed, because an
 * oversized term fails in Lucene (32 KiB per keyword) and arbitrary attribute JSON would turn
 * into unbounded mappings.
 */
export const DOCUMENT_LIMITS = {
  skuChars: 64,
  titleChars: 500,
  descriptionChars: 20_000,
  brandChars: 200,
  categoryLevels: 8,
  categoryLevelChars: 100,
  attributeCount: 50,
  attributeKeyChars: 64,
  attributeValueChars: 256,
  attributeListItems: 20,
} as const;

/** An attribute value the index can facet on. */
export type AttributeValue = string | number | boolean | (string | number)[];

export interface ProductCategory {
  /** `Home > Kitchen > Knives` */
  path: string;
  /** Every ancestor path, root first: `Home`, `Home > Kitchen`, `Home > Kitchen > Knives` (hierarchical facets). */
  levels: string[];
  leaf: string;
}

/** The document stored under the product's id; the storefront reads these fields from search hits. */
export interface ProductDocument {
  id: number;
  sku: string;
  title: string;
  description: string;
  brand: string | null;
  category: ProductCategory | null;
  /** Price in minor units (cents), never a float. */
  priceCents: number;
  currency: string;
  /** Kept in _source for display; not indexed (see `facets`). */
  attributes: Record<string, AttributeValue>;
  /** `name=value` per attribute value: the keyword field that filters and aggregations use. */
  facets: string[];
  stock: number;
  inStock: boolean;
  /** ISO 8601 */
  updatedAt: string;
  /** The row's search_version; also the document's external version. */
  searchVersion: number;
}

export interface BadRow {
  id: string;
  sku: string;
  /** The column at fault. */
  field: string;
  reason: string;
}

export type DocumentResult = { ok: true; document: ProductDocument } | { ok: false; bad: BadRow };

export const CATEGORY_SEPARATOR = " > ";
const ATTRIBUTE_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Why a row cannot become a document; caught in toDocument, never escapes it. */
class RowProblem extends Error {
  constructor(readonly field: string, readonly reason: string) {
    super(reason);
  }
}

function limited(field: string, value: string, max: number): string {
  if (value.length > max) throw new RowProblem(field, `oversized ${field}: ${value.length} characters (max ${max})`);
  return value;
}

function safeInteger(field: string, value: string | number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new RowProblem(field, `${field} ${String(value)} is not an integer the index can hold exactly`);
  return number;
}

function category(path: readonly string[]): ProductCategory | null {
  if (path.length === 0) return null;
  if (path.length > DOCUMENT_LIMITS.categoryLevels) {
    throw new RowProblem("category_path", `oversized category_path: ${path.length} levels (max ${DOCUMENT_LIMITS.categoryLevels})`);
  }
  const levels: string[] = [];
  let joined = "";
  for (const level of path) {
    if (level.trim() === "") throw new RowProblem("category_path", "category_path has an empty level");
    if (level.includes(CATEGORY_SEPARATOR)) throw new RowProblem("category_path", `category level "${level}" contains the separator "${CATEGORY_SEPARATOR}"`);
    limited("category_path", level, DOCUMENT_LIMITS.categoryLevelChars);
    joined = joined === "" ? level : `${joined}${CATEGORY_SEPARATOR}${level}`;
    levels.push(joined);
  }
  return { path: joined, levels, leaf: path[path.length - 1] ?? "" };
}

function scalar(key: string, value: unknown, inList: boolean): string | number | boolean {
  if (typeof value === "string") {
    if (value.length > DOCUMENT_LIMITS.attributeValueChars) {
      throw new RowProblem("attributes", `oversized attributes.${key}: ${value.length} characters (max ${DOCUMENT_LIMITS.attributeValueChars})`);
    }
    return value;
  }
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "boolean" && !inList) return value;
  const found = value === null ? "null" : Array.isArray(value) ? "a nested list" : typeof value === "object" ? "an object" : typeof value;
  throw new RowProblem("attributes", `unparseable attributes: attributes.${key} is ${found}; expected a string, a number${inList ? "" : ", a boolean"} or a list of strings and numbers`);
}

function attributes(value: unknown): { attributes: Record<string, AttributeValue>; facets: string[] } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const found = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
    throw new RowProblem("attributes", `unparseable attributes: ${found}; expected an object of name -> value`);
  }
  const entries = Object.entries(value);
  if (entries.length > DOCUMENT_LIMITS.attributeCount) {
    throw new RowProblem("attributes", `oversized attributes: ${entries.length} names (max ${DOCUMENT_LIMITS.attributeCount})`);
  }
  const result: Record<string, AttributeValue> = {};
  const facets: string[] = [];
  for (const [key, raw] of entries) {
    if (key.length > DOCUMENT_LIMITS.attributeKeyChars || !ATTRIBUTE_KEY.test(key)) {
      throw new RowProblem("attributes", `unparseable attributes: name "${key.slice(0, 80)}" is not a name (letters, digits, _ . -; max ${DOCUMENT_LIMITS.attributeKeyChars})`);
    }
    if (Array.isArray(raw)) {
      if (raw.length > DOCUMENT_LIMITS.attributeListItems) {
        throw new RowProblem("attributes", `oversized attributes.${key}: ${raw.length} values (max ${DOCUMENT_LIMITS.attributeListItems})`);
      }
      const list = raw.map((item: unknown) => scalar(key, item, true) as string | number);
      result[key] = list;
      for (const item of list) facets.push(`${key}=${String(item)}`);
    } else {
      const item = scalar(key, raw, false);
      result[key] = item;
      facets.push(`${key}=${String(item)}`);
    }
  }
  return { attributes: result, facets };
}

/** An oversized SKU is reported by its start: enough to find the row, not a megabyte of log. */
function reportedSku(sku: string): string {
  return sku.length > DOCUMENT_LIMITS.skuChars ? `${sku.slice(0, DOCUMENT_LIMITS.skuChars)}...` : sku;
}

/**
 * The search document of a live row, or why the row cannot be indexed. Pure and deterministic:
 * reindex verification compares stored documents with this function's output for their rows.
 */
export function toDocument(row: ProductRow): DocumentResult {
  try {
    const { attributes: attrs, facets } = attributes(row.attributes);
    return {
      ok: true,
      document: {
        id: safeInteger("id", row.id),
        sku: limited("sku", row.sku, DOCUMENT_LIMITS.skuChars),
        title: limited("title", row.title, DOCUMENT_LIMITS.titleChars),
        description: limited("description", row.description, DOCUMENT_LIMITS.descriptionChars),
        brand: row.brand === null ? null : limited("brand", row.brand, DOCUMENT_LIMITS.brandChars),
        category: category(row.category_path),
        priceCents: safeInteger("price_cents", row.price_cents),
        currency: row.currency,
        attributes: attrs,
        facets,
        stock: row.stock,
        inStock: row.in_stock,
        updatedAt: row.updated_at.toISOString(),
        searchVersion: safeInteger("search_version", row.search_version),
      },
    };
  } catch (error) {
    if (error instanceof RowProblem) return { ok: false, bad: { id: row.id, sku: reportedSku(row.sku), field: error.field, reason: error.reason } };
    throw error;
  }
}
