import { z } from "zod";
import { currency, sku } from "../http/schemas.js";

export const productParams = z.strictObject({ sku });

export const attributeValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]);

/** A product as GET /api/products/:sku returns it (from PostgreSQL, the source of truth). */
export const productResponse = z.object({
  sku: z.string(),
  title: z.string(),
  description: z.string(),
  brand: z.string().nullable(),
  /** Root first. */
  category: z.array(z.string()),
  /** `Home > Kitchen > Knives`, or null without a category. */
  categoryPath: z.string().nullable(),
  /** In minor units (cents). */
  priceCents: z.int(),
  currency,
  attributes: z.record(z.string(), z.unknown()),
  stock: z.int(),
  inStock: z.boolean(),
  updatedAt: z.string(),
});
export type ProductResponse = z.infer<typeof productResponse>;
