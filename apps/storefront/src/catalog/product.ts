/**
 * A products row as catalog readers select it (PRODUCT_COLUMNS), typed as node-postgres returns
 * it: bigint columns arrive as strings, jsonb already parsed, timestamps as Dates.
 */
export interface ProductRow {
  id: string;
  sku: string;
  title: string;
  description: string;
  brand: string | null;
  /** Root first. */
  category_path: string[];
  price_cents: string;
  currency: string;
  /** Whatever JSON the row holds; toDocument checks its shape. */
  attributes: unknown;
  stock: number;
  in_stock: boolean;
  updated_at: Date;
  deleted_at: Date | null;
  search_version: string;
}

/** The select list that yields a ProductRow. */
export const PRODUCT_COLUMNS =
  "id, sku, title, description, brand, category_path, price_cents, currency, attributes, stock, in_stock, updated_at, deleted_at, search_version";

/** What a writer supplies for a new product; the database fills id, in_stock, timestamps and versions. */
export interface NewProduct {
  sku: string;
  title: string;
  description: string;
  brand: string | null;
  categoryPath: string[];
  priceCents: number;
  currency: string;
  attributes: Record<string, unknown>;
  stock: number;
}
