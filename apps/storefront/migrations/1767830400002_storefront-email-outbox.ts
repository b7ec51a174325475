// The transactional outbox of customer emails: rows are written in the transaction that changes
// the order, and a dispatcher sends them afterwards (at least once, retried with backoff).
import type { MigrationBuilder } from "node-pg-migrate";

export const shorthands = undefined;

export function up(pgm: MigrationBuilder): void {
  pgm.createTable("email_outbox", {
    id: { type: "bigint", primaryKey: true, sequenceGenerated: { precedence: "ALWAYS" } },
    kind: { type: "text", notNull: true },
    order_id: { type: "uuid", references: "orders", onDelete: "CASCADE" },
    recipient: { type: "text", notNull: true },
    subject: { type: "text", notNull: true },
    body_text: { type: "text", notNull: true },
    status: { type: "text", notNull: true, default: "pending", check: "status IN ('pending', 'sent', 'failed')" },
    attempts: { type: "integer", notNull: true, default: 0 },
    next_attempt_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    last_error: { type: "text" },
    provider_message_id: { type: "text" },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    sent_at: { type: "timestamptz" },
  });
  // One email of each kind per order, however often a transition is retried.
  pgm.addConstraint("email_outbox", "email_outbox_order_kind_key", { unique: ["order_id", "kind"] });
  pgm.createIndex("email_outbox", ["next_attempt_at"], { name: "email_outbox_due_idx", where: "status = 'pending'" });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable("email_outbox");
}
