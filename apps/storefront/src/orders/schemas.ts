import { z } from "zod";
import { currency, uuid } from "../http/schemas.js";

export const ORDER_STATUSES = ["placed", "paid", "fulfilled", "shipped", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orderParams = z.strictObject({ orderId: uuid("an order id") });

export const shippingAddress = z.strictObject({
  name: z.string({ error: "expected the recipient's name" }).trim().min(1, { error: "expected the recipient's name" }).max(200, { error: "at most 200 characters" }),
  line1: z.string({ error: "expected the street address" }).trim().min(1, { error: "expected the street address" }).max(200, { error: "at most 200 characters" }),
  line2: z.string({ error: "expected text" }).trim().max(200, { error: "at most 200 characters" }).optional(),
  city: z.string({ error: "expected the city" }).trim().min(1, { error: "expected the city" }).max(100, { error: "at most 100 characters" }),
  postalCode: z.string({ error: "expected the postal code" }).trim().min(1, { error: "expected the postal code" }).max(20, { error: "at most 20 characters" }),
  country: z.string({ error: "expected a country code such as DE" }).regex(/^[A-Z]{2}$/, { error: "expected an ISO 3166-1 alpha-2 country code such as DE" }),
}, { error: "expected an address object with name, line1, city, postalCode and country" });
export type ShippingAddress = z.infer<typeof shippingAddress>;

export const orderResponse = z.object({
  id: z.string(),
  status: z.enum(ORDER_STATUSES),
  cartId: z.string(),
  email: z.string(),
  shippingAddress: z.record(z.string(), z.string()),
  currency,
  lines: z.array(z.object({
    sku: z.string(),
    title: z.string(),
    quantity: z.int(),
    unitPriceCents: z.int(),
    lineTotalCents: z.int(),
  })),
  subtotalCents: z.int(),
  totalCents: z.int(),
  payment: z.object({ provider: z.string(), reference: z.string() }).nullable(),
  /** The workflow history, oldest first. */
  events: z.array(z.object({ from: z.enum(ORDER_STATUSES).nullable(), to: z.enum(ORDER_STATUSES), reason: z.string(), at: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OrderResponse = z.infer<typeof orderResponse>;
