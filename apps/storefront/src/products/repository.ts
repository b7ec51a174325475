import type pg from "pg";
import { CATEGORY_SEPARATOR } from "../catalog/document.js";
import { PRODUCT_COLUMNS, type ProductRow } from "../catalog/product.js";
import type { Tables } from "../db/tables.js";
import type { ProductResponse } from "./schemas.js";

export function productResponseOf(row: ProductRow): ProductResponse {
  const attributes = typeof row.attributes === "object" && row.attributes !== null && !Array.isArray(row.attributes) ? (row.attributes as Record<string, unknown>) : {};
  return {
    sku: row.sku,
    title: row.title,
    description: row.description,
    brand: row.brand,
    category: row.category_path,
    categoryPath: row.category_path.length === 0 ? null : row.category_path.join(CATEGORY_SEPARATOR),
    priceCents: Number(row.price_cents),
    currency: row.currency,
    attributes,
    stock: row.stock,
    inStock: row.in_stock,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Catalog reads for the product page; a tombstoned product does not exist for shoppers. */
export class ProductRepository {
  constructor(private readonly pool: pg.Pool, private readonly tables: Tables) {}

  async bySku(sku: string): Promise<ProductResponse | undefined> {
    const { rows } = await this.pool.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM ${this.tables.products} WHERE sku = $1 AND deleted_at IS NULL`,
      [sku],
    );
    const row = rows[0];
    return row === undefined ? undefined : productResponseOf(row);
  }
}
