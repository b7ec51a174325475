import { createHash } from "node:crypto";
import type pg from "pg";
import { canonicalJson } from "../catalog/mapping.js";
import { withTransaction } from "../db/transaction.js";
import type { Tables } from "../db/tables.js";
import { ApiError, type ErrorBody, UnavailableError } from "../http/errors.js";
import { OrderRepository } from "../orders/repository.js";
import type { OrderResponse } from "../orders/schemas.js";
import type { OrderWorkflow } from "../orders/workflow.js";
import type { ChargeResult, PaymentProvider } from "../payments/provider.js";
import { IdempotencyKeys } from "./idempotency.js";
import type { CheckoutBody } from "./schemas.js";

export interface CheckoutOutcome {
  status: number;
  body: unknown;
  /** True when the response is the stored one of an earlier request with the same key. */
  replayed: boolean;
  orderId: string | null;
}

interface LineRow {
  product_id: string;
  quantity: number;
  sku: string;
  title: string;
  price_cents: string;
  currency: string;
  stock: number;
  deleted: boolean;
}

/**
 * POST /api/checkout in three atomic phases, so that a failure at any point leaves a state a
 * retry with the same Idempotency-Key resumes from:
 * 1. one transaction: lock the cart and its products (in id order), check stock, take the
 *    units, create the order (placed), close the cart, record the phase on the key;
 * 2. the charge, outside any transaction (no row stays locked over a network call), keyed by
 *    the order so a repeated charge is the same charge;
 * 3. one transaction: paid (confirmation email into the outbox) or cancelled (stock back, cart
 *    reopened), and the response stored on the key.
 */
export class CheckoutService {
  private readonly keys: IdempotencyKeys;
  private readonly orders: OrderRepository;

  constructor(
    private readonly pool: pg.Pool,
    private readonly tables: Tables,
    private readonly workflow: OrderWorkflow,
    private readonly payments: PaymentProvider,
    options: { keyLockSeconds?: number } = {},
  ) {
    this.keys = new IdempotencyKeys(pool, tables, options.keyLockSeconds);
    this.orders = new OrderRepository(tables);
  }

  get idempotencyKeys(): IdempotencyKeys {
    return this.keys;
  }

  async checkout(key: string, input: CheckoutBody, requestId: string): Promise<CheckoutOutcome> {
    const fingerprint = createHash("sha256").update(canonicalJson(input)).digest("hex");
    const claim = await this.keys.claim(key, fingerprint);
    if (claim.kind === "replay") return { status: claim.status, body: claim.body, replayed: true, orderId: claim.orderId };
    try {
      let orderId = claim.record.orderId;
      if (claim.record.recoveryPoint === "started" || orderId === null) {
        try {
          orderId = await this.placeOrder(key, input);
        } catch (error) {
          if (error instanceof ApiError && error.statusCode < 500) await this.keys.forget(key);
          throw error;
        }
      }
      // A retry carries the same body (the fingerprint says so), hence the same token.
      const charge = await this.charge(orderId, input.paymentToken);
      return await this.finish(key, orderId, charge, requestId);
    } finally {
      // Unable to unlock (the database went away): the lock expires after keyLockSeconds instead.
      await this.keys.release(key).catch(() => undefined);
    }
  }

  private async placeOrder(key: string, input: CheckoutBody): Promise<string> {
    return withTransaction(this.pool, async (client) => {
      const { rows: carts } = await client.query<{ status: string }>(`SELECT status FROM ${this.tables.carts} WHERE id = $1 FOR UPDATE`, [input.cartId]);
      const cart = carts[0];
      if (cart === undefined) throw new ApiError(404, "cart_not_found", "no cart has this id", "cartId");
      if (cart.status !== "open") throw new ApiError(409, "cart_checked_out", "this cart was already checked out", "cartId");

      // FOR UPDATE OF p with ORDER BY: the product rows are locked in id order, so concurrent
      // checkouts of overlapping carts queue instead of deadlocking.
      const { rows: lines } = await client.query<LineRow>(
        `SELECT ci.product_id, ci.quantity, p.sku, p.title, p.price_cents, p.currency, p.stock, p.deleted_at IS NOT NULL AS deleted
         FROM ${this.tables.cartItems} ci JOIN ${this.tables.products} p ON p.id = ci.product_id
         WHERE ci.cart_id = $1 ORDER BY p.id FOR UPDATE OF p`,
        [input.cartId],
      );
      if (lines.length === 0) throw new ApiError(422, "cart_empty", "the cart is empty", "cartId");
      const withdrawn = lines.filter((line) => line.deleted).map((line) => line.sku);
      if (withdrawn.length > 0) {
        throw new ApiError(422, "product_unavailable", `no longer sold: ${withdrawn.join(", ")}; remove them from the cart`, "cartId", { details: { skus: withdrawn } });
      }
      const currencies = [...new Set(lines.map((line) => line.currency))];
      const currency = currencies[0];
      if (currency === undefined || currencies.length > 1) {
        throw new ApiError(422, "currency_mismatch", `the cart holds prices in ${currencies.join(" and ")}; an order has one currency`, "cartId");
      }
      const short = lines.filter((line) => line.stock < line.quantity).map((line) => ({ sku: line.sku, requested: line.quantity, available: line.stock }));
      if (short.length > 0) {
        throw new ApiError(409, "insufficient_stock", `not enough stock: ${short.map((line) => `${line.sku} (${line.available} left, ${line.requested} wanted)`).join(", ")}`, "cartId", { details: { items: short } });
      }

      await client.query(
        `UPDATE ${this.tables.products} p SET stock = p.stock - x.quantity
         FROM unnest($1::bigint[], $2::int[]) AS x(id, quantity) WHERE p.id = x.id`,
        [lines.map((line) => line.product_id), lines.map((line) => line.quantity)],
      );
      const subtotal = lines.reduce((sum, line) => sum + Number(line.price_cents) * line.quantity, 0);
      const { rows: orders } = await client.query<{ id: string }>(
        `INSERT INTO ${this.tables.orders} (cart_id, status, email, shipping_address, currency, subtotal_cents, total_cents)
         VALUES ($1, 'placed', $2, $3, $4, $5, $5) RETURNING id`,
        [input.cartId, input.email, input.shippingAddress, currency, subtotal],
      );
      const orderId = orders[0]?.id;
      if (orderId === undefined) throw new Error("INSERT INTO orders returned no id");
      await client.query(
        `INSERT INTO ${this.tables.orderLines} (order_id, line_no, product_id, sku, title, unit_price_cents, quantity)
         SELECT $1, line_no, product_id, sku, title, unit_price_cents, quantity
         FROM unnest($2::int[], $3::bigint[], $4::text[], $5::text[], $6::bigint[], $7::int[]) AS x(line_no, product_id, sku, title, unit_price_cents, quantity)`,
        [
          orderId,
          lines.map((_, index) => index + 1),
          lines.map((line) => line.product_id),
          lines.map((line) => line.sku),
          lines.map((line) => line.title),
          lines.map((line) => line.price_cents),
          lines.map((line) => line.quantity),
        ],
      );
      await this.workflow.recordPlaced(client, orderId);
      await client.query(`UPDATE ${this.tables.carts} SET status = 'checked_out', updated_at = now() WHERE id = $1`, [input.cartId]);
      await client.query(
        `UPDATE ${this.tables.idempotencyKeys} SET recovery_point = 'order_created', order_id = $2, updated_at = now() WHERE key = $1`,
        [key, orderId],
      );
      return orderId;
    });
  }

  private async charge(orderId: string, paymentToken: string): Promise<ChargeResult> {
    const order = await this.orders.row(this.pool, orderId);
    if (order === undefined) throw new Error(`order ${orderId} of an idempotency key does not exist`);
    try {
      return await this.payments.charge({
        amountCents: Number(order.total_cents),
        currency: order.currency,
        paymentToken,
        idempotencyKey: `charge-${orderId}`,
        orderId,
        description: `Order ${orderId}`,
      });
    } catch (error) {
      throw new UnavailableError("payment_unavailable", `the payment provider did not answer (${(error as Error).message}); retry with the same Idempotency-Key`);
    }
  }

  private async finish(key: string, orderId: string, charge: ChargeResult, requestId: string): Promise<CheckoutOutcome> {
    return withTransaction(this.pool, async (client) => {
      const order = await this.orders.row(client, orderId, true);
      if (order === undefined) throw new Error(`order ${orderId} vanished`);
      let status: number;
      let body: OrderResponse | ErrorBody;
      if (order.status !== "placed") {
        // Moved on since (an operator, an earlier attempt): answer with what the order is now.
        const current = await this.orders.get(client, orderId);
        if (current === undefined) throw new Error(`order ${orderId} vanished`);
        status = order.status === "cancelled" ? 409 : 201;
        body = order.status === "cancelled" ? storedError(requestId, "order_cancelled", "the order of this checkout was cancelled", "cartId", { orderId }) : current;
      } else if (charge.status === "succeeded") {
        await client.query(`UPDATE ${this.tables.orders} SET payment_provider = $2, payment_reference = $3 WHERE id = $1`, [orderId, this.payments.name, charge.reference]);
        await this.workflow.transition(client, order, "paid", "payment succeeded", { provider: this.payments.name, reference: charge.reference });
        const current = await this.orders.get(client, orderId);
        if (current === undefined) throw new Error(`order ${orderId} vanished`);
        status = 201;
        body = current;
      } else {
        await this.workflow.transition(client, order, "cancelled", "payment declined", { provider: this.payments.name, code: charge.code });
        // The shopper may try another card with the same cart.
        await client.query(`UPDATE ${this.tables.carts} SET status = 'open', updated_at = now() WHERE id = $1`, [order.cart_id]);
        status = 402;
        body = storedError(requestId, "payment_declined", `the payment was declined: ${charge.message}`, "paymentToken", { orderId, declineCode: charge.code });
      }
      await client.query(
        `UPDATE ${this.tables.idempotencyKeys} SET recovery_point = 'finished', response_status = $2, response_body = $3, locked_at = NULL, updated_at = now() WHERE key = $1`,
        [key, status, body],
      );
      return { status, body, replayed: false, orderId };
    });
  }
}

/** An error response kept on the idempotency key, replayed to every retry. */
function storedError(requestId: string, code: string, message: string, field: string, details: Record<string, unknown>): ErrorBody {
  return { error: { code, message, field, details, requestId } };
}
