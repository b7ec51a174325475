import type pg from "pg";
import type { Tables } from "../db/tables.js";
import type { OrderResponse, OrderStatus } from "./schemas.js";

type Queryable = Pick<pg.PoolClient, "query">;

export interface OrderRow {
  id: string;
  cart_id: string;
  status: OrderStatus;
  email: string;
  shipping_address: Record<string, string>;
  currency: string;
  subtotal_cents: string;
  total_cents: string;
  payment_provider: string | null;
  payment_reference: string | null;
  created_at: Date;
  updated_at: Date;
}

export const ORDER_COLUMNS = "id, cart_id, status, email, shipping_address, currency, subtotal_cents, total_cents, payment_provider, payment_reference, created_at, updated_at";

export class OrderRepository {
  constructor(private readonly tables: Tables) {}

  async row(db: Queryable, orderId: string, lock = false): Promise<OrderRow | undefined> {
    const { rows } = await db.query<OrderRow>(`SELECT ${ORDER_COLUMNS} FROM ${this.tables.orders} WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [orderId]);
    return rows[0];
  }

  async get(db: Queryable, orderId: string): Promise<OrderResponse | undefined> {
    const order = await this.row(db, orderId);
    if (order === undefined) return undefined;
    const { rows: lines } = await db.query<{ sku: string; title: string; quantity: number; unit_price_cents: string }>(
      `SELECT sku, title, quantity, unit_price_cents FROM ${this.tables.orderLines} WHERE order_id = $1 ORDER BY line_no`,
      [orderId],
    );
    const { rows: events } = await db.query<{ from_status: OrderStatus | null; to_status: OrderStatus; reason: string; created_at: Date }>(
      `SELECT from_status, to_status, reason, created_at FROM ${this.tables.orderEvents} WHERE order_id = $1 ORDER BY id`,
      [orderId],
    );
    return {
      id: order.id,
      status: order.status,
      cartId: order.cart_id,
      email: order.email,
      shippingAddress: order.shipping_address,
      currency: order.currency,
      lines: lines.map((line) => ({
        sku: line.sku,
        title: line.title,
        quantity: line.quantity,
        unitPriceCents: Number(line.unit_price_cents),
        lineTotalCents: Number(line.unit_price_cents) * line.quantity,
      })),
      subtotalCents: Number(order.subtotal_cents),
      totalCents: Number(order.total_cents),
      payment: order.payment_provider === null || order.payment_reference === null ? null : { provider: order.payment_provider, reference: order.payment_reference },
      events: events.map((event) => ({ from: event.from_status, to: event.to_status, reason: event.reason, at: event.created_at.toISOString() })),
      createdAt: order.created_at.toISOString(),
      updatedAt: order.updated_at.toISOString(),
    };
  }
}
