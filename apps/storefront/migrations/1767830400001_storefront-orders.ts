// Orders, their lines, their workflow history, and the idempotency keys of checkout requests.
import type { MigrationBuilder } from "node-pg-migrate";

export const shorthands = undefined;

const ORDER_STATUSES = "'placed', 'paid', 'fulfilled', 'shipped', 'cancelled'";

export function up(pgm: MigrationBuilder): void {
  pgm.createTable("orders", {
    id: { type: "uuid", primaryKey: true, default: pgm.func("gen_random_uuid()") },
    // Not unique: a cart whose payment was declined is reopened and may be checked out again.
    cart_id: { type: "uuid", notNull: true, references: "carts" },
    status: { type: "text", notNull: true, check: `status IN (${ORDER_STATUSES})` },
    email: { type: "text", notNull: true },
    shipping_address: { type: "jsonb", notNull: true },
    currency: { type: "char(3)", notNull: true, check: "currency ~ '^[A-Z]{3}$'" },
    subtotal_cents: { type: "bigint", notNull: true, check: "subtotal_cents >= 0" },
    total_cents: { type: "bigint", notNull: true, check: "total_cents >= 0" },
    payment_provider: { type: "text" },
    payment_reference: { type: "text" },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    updated_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  });
  pgm.createIndex("orders", ["cart_id"], { name: "orders_cart_id_idx" });

  // A snapshot of what was bought: no foreign key to products, whose tombstones may be purged.
  pgm.createTable("order_lines", {
    order_id: { type: "uuid", notNull: true, references: "orders", onDelete: "CASCADE" },
    line_no: { type: "integer", notNull: true },
    product_id: { type: "bigint", notNull: true },
    sku: { type: "text", notNull: true },
    title: { type: "text", notNull: true },
    unit_price_cents: { type: "bigint", notNull: true, check: "unit_price_cents >= 0" },
    quantity: { type: "integer", notNull: true, check: "quantity > 0" },
  }, { constraints: { primaryKey: ["order_id", "line_no"] } });

  pgm.createTable("order_events", {
    id: { type: "bigint", primaryKey: true, sequenceGenerated: { precedence: "ALWAYS" } },
    order_id: { type: "uuid", notNull: true, references: "orders", onDelete: "CASCADE" },
    from_status: { type: "text", check: `from_status IN (${ORDER_STATUSES})` },
    to_status: { type: "text", notNull: true, check: `to_status IN (${ORDER_STATUSES})` },
    reason: { type: "text", notNull: true },
    detail: { type: "jsonb", notNull: true, default: pgm.func("'{}'::jsonb") },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  });
  pgm.createIndex("order_events", ["order_id", "id"], { name: "order_events_order_id_id_idx" });

  // Checkout's atomic phases (started -> order_created -> finished): a retry resumes where the
  // last attempt stopped, and a finished request replays its stored response.
  pgm.createTable("idempotency_keys", {
    key: { type: "text", primaryKey: true, check: "length(key) BETWEEN 1 AND 255" },
    fingerprint: { type: "text", notNull: true },
    locked_at: { type: "timestamptz" },
    recovery_point: { type: "text", notNull: true, default: "started", check: "recovery_point IN ('started', 'order_created', 'finished')" },
    order_id: { type: "uuid", references: "orders", onDelete: "CASCADE" },
    response_status: { type: "integer" },
    response_body: { type: "jsonb" },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    updated_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  });
  pgm.createIndex("idempotency_keys", ["created_at"], { name: "idempotency_keys_created_at_idx" });
  pgm.createIndex("idempotency_keys", ["order_id"], { name: "idempotency_keys_order_id_idx" });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable("idempotency_keys");
  pgm.dropTable("order_events");
  pgm.dropTable("order_lines");
  pgm.dropTable("orders");
}
