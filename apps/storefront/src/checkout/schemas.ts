import { z } from "zod";
import { uuid } from "../http/schemas.js";
import { shippingAddress } from "../orders/schemas.js";

/** Printable ASCII, as Stripe's keys: a UUID v4 from the client is the usual choice. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export const checkoutHeaders = z.object({
  "idempotency-key": z.string({ error: "the Idempotency-Key header is required: a unique key per checkout attempt, such as a UUID" })
    .regex(IDEMPOTENCY_KEY, { error: "expected 1 to 255 printable ASCII characters, such as a UUID" }),
});

export const checkoutBody = z.strictObject({
  cartId: uuid("a cart id"),
  email: z.string({ error: "expected an email address" }).trim().max(254, { error: "at most 254 characters" }).pipe(z.email({ error: "expected an email address" })),
  shippingAddress,
  paymentToken: z.string({ error: "expected the payment token from the payment form" }).regex(/^[A-Za-z0-9_]{1,255}$/, { error: "expected the payment token from the payment form (letters, digits, _)" }),
}, { error: "expected a JSON object with cartId, email, shippingAddress and paymentToken" });
export type CheckoutBody = z.infer<typeof checkoutBody>;
