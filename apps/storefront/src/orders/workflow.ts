import type pg from "pg";
import { withTransaction } from "../db/transaction.js";
import type { Tables } from "../db/tables.js";
import { enqueueEmail } from "../email/outbox.js";
import { type EmailKind, orderEmail } from "../email/templates.js";
import { ApiError, UnavailableError } from "../http/errors.js";
import type { PaymentProvider } from "../payments/provider.js";
import { OrderRepository, type OrderRow } from "./repository.js";
import type { OrderResponse, OrderStatus } from "./schemas.js";

type Queryable = Pick<pg.PoolClient, "query">;

/**
 * placed -> paid -> fulfilled -> shipped; placed or paid -> cancelled (stock released, a paid
 * order refunded). Nothing leaves shipped or cancelled.
 */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  placed: ["paid", "cancelled"],
  paid: ["fulfilled", "cancelled"],
  fulfilled: ["shipped"],
  shipped: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The customer email a transition sends, if any. */
function emailFor(from: OrderStatus, to: OrderStatus): EmailKind | undefined {
  if (to === "paid") return "order_confirmation";
  if (to === "shipped") return "order_shipped";
  // A checkout whose payment is declined is told so in the response; only a paid order gets a cancellation email.
  if (to === "cancelled" && from === "paid") return "order_cancelled";
  return undefined;
}

export class OrderWorkflow {
  private readonly orders: OrderRepository;

  constructor(private readonly pool: pg.Pool, private readonly tables: Tables, private readonly payments: PaymentProvider) {
    this.orders = new OrderRepository(tables);
  }

  /** Records the first state of a new order, inside the transaction that created it. */
  async recordPlaced(db: Queryable, orderId: string, detail: Record<string, unknown> = {}): Promise<void> {
    await db.query(
      `INSERT INTO ${this.tables.orderEvents} (order_id, from_status, to_status, reason, detail) VALUES ($1, NULL, 'placed', 'checkout', $2)`,
      [orderId, detail],
    );
  }

  /**
   * Moves a locked order (the caller holds its row lock, inside its transaction) to `to`, with the
   * side effects of the move: stock back for a cancellation, an email into the outbox.
   */
  async transition(db: Queryable, order: OrderRow, to: OrderStatus, reason: string, detail: Record<string, unknown> = {}): Promise<void> {
    if (!canTransition(order.status, to)) {
      throw new ApiError(409, "invalid_transition", `an order that is ${order.status} cannot become ${to}`, "orderId", { details: { status: order.status, allowed: TRANSITIONS[order.status] } });
    }
    await db.query(`UPDATE ${this.tables.orders} SET status = $2, updated_at = now() WHERE id = $1`, [order.id, to]);
    await db.query(
      `INSERT INTO ${this.tables.orderEvents} (order_id, from_status, to_status, reason, detail) VALUES ($1, $2, $3, $4, $5)`,
      [order.id, order.status, to, reason, detail],
    );
    if (to === "cancelled") await this.releaseStock(db, order.id);
    const kind = emailFor(order.status, to);
    if (kind !== undefined) {
      const current = await this.orders.get(db, order.id);
      if (current === undefined) throw new Error(`order ${order.id} vanished inside its own transaction`);
      await enqueueEmail(db, this.tables, { kind, orderId: order.id, recipient: order.email, ...orderEmail(kind, current) });
    }
  }

  /** Fulfilment's moves: paid -> fulfilled -> shipped. */
  async advance(orderId: string, to: "fulfilled" | "shipped", reason: string, detail: Record<string, unknown> = {}): Promise<OrderResponse> {
    return withTransaction(this.pool, async (client) => {
      const order = await this.lockedOrder(client, orderId);
      await this.transition(client, order, to, reason, detail);
      return this.current(client, orderId);
    });
  }

  /**
   * Cancels a placed or paid order. A paid order is refunded first, with a key derived from the
   * order so that a retried cancellation never refunds twice.
   */
  async cancel(orderId: string, reason: string): Promise<OrderResponse> {
    const before = await this.orders.row(this.pool, orderId);
    if (before === undefined) throw orderNotFound();
    if (!canTransition(before.status, "cancelled")) {
      throw new ApiError(409, "order_not_cancellable", `an order that is ${before.status} can no longer be cancelled`, "orderId", { details: { status: before.status } });
    }
    let refund: string | undefined;
    if (before.status === "paid" && before.payment_reference !== null) {
      try {
        refund = (await this.payments.refund({ reference: before.payment_reference, amountCents: Number(before.total_cents), idempotencyKey: `refund-${orderId}` })).reference;
      } catch (error) {
        throw new UnavailableError("payment_unavailable", `the refund could not be made (${(error as Error).message}); the order is unchanged, retry the cancellation`);
      }
    }
    return withTransaction(this.pool, async (client) => {
      const order = await this.lockedOrder(client, orderId);
      if (order.status !== before.status) {
        throw new ApiError(409, "order_changed", `the order became ${order.status} meanwhile; look again before cancelling`, "orderId", { details: { status: order.status, ...(refund === undefined ? {} : { refund }) } });
      }
      await this.transition(client, order, "cancelled", reason, refund === undefined ? {} : { refund });
      return this.current(client, orderId);
    });
  }

  private async lockedOrder(db: Queryable, orderId: string): Promise<OrderRow> {
    const order = await this.orders.row(db, orderId, true);
    if (order === undefined) throw orderNotFound();
    return order;
  }

  private async current(db: Queryable, orderId: string): Promise<OrderResponse> {
    const order = await this.orders.get(db, orderId);
    if (order === undefined) throw orderNotFound();
    return order;
  }

  /** Puts the order's units back, locking product rows in id order like checkout does (no deadlocks). */
  private async releaseStock(db: Queryable, orderId: string): Promise<void> {
    const lines = `SELECT product_id, sum(quantity)::int AS quantity FROM ${this.tables.orderLines} WHERE order_id = $1 GROUP BY product_id`;
    await db.query(`SELECT p.id FROM ${this.tables.products} p WHERE p.id IN (SELECT product_id FROM (${lines}) l) ORDER BY p.id FOR UPDATE`, [orderId]);
    await db.query(`UPDATE ${this.tables.products} p SET stock = p.stock + l.quantity FROM (${lines}) l WHERE p.id = l.product_id`, [orderId]);
  }
}

export function orderNotFound(): ApiError {
  return new ApiError(404, "order_not_found", "no order has this id", "orderId");
}
