import { z } from "zod";
import { currency, quantity, sku, uuid } from "../http/schemas.js";

export const cartParams = z.strictObject({ cartId: uuid("a cart id") });
export const cartItemParams = z.strictObject({ cartId: uuid("a cart id"), sku });

export const createCartBody = z.strictObject({}).optional();
export const addItemBody = z.strictObject({ sku, quantity: quantity.default(1) }, { error: "expected a JSON object with sku and quantity" });
export const setQuantityBody = z.strictObject({ quantity }, { error: "expected a JSON object with quantity" });

export const cartLine = z.object({
  sku: z.string(),
  title: z.string(),
  quantity: z.int(),
  unitPriceCents: z.int(),
  lineTotalCents: z.int(),
  currency,
  /** False when the product was withdrawn or has fewer units in stock than the line holds. */
  available: z.boolean(),
});

/** A cart with its totals, in minor units at the catalog's current prices. */
export const cartResponse = z.object({
  id: z.string(),
  status: z.enum(["open", "checked_out"]),
  items: z.array(cartLine),
  /** The currency of every line; null while the cart is empty. */
  currency: currency.nullable(),
  itemCount: z.int(),
  subtotalCents: z.int(),
  totalCents: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CartResponse = z.infer<typeof cartResponse>;
