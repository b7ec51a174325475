// Carts: anonymous, addressed by an unguessable id. A cart holds one line per product; prices are
// read from the catalog when the cart is shown and locked when it is checked out.
import type { MigrationBuilder } from "node-pg-migrate";

export const shorthands = undefined;

export function up(pgm: MigrationBuilder): void {
  pgm.createTable("carts", {
    id: { type: "uuid", primaryKey: true, default: pgm.func("gen_random_uuid()") },
    status: { type: "text", notNull: true, default: "open", check: "status IN ('open', 'checked_out')" },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    updated_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  });

  pgm.createTable("cart_items", {
    cart_id: { type: "uuid", notNull: true, references: "carts", onDelete: "CASCADE" },
    // Purging a product's tombstone takes it out of the carts that still hold it.
    product_id: { type: "bigint", notNull: true, references: "products", onDelete: "CASCADE" },
    quantity: { type: "integer", notNull: true, check: "quantity BETWEEN 1 AND 99" },
    added_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
  }, { constraints: { primaryKey: ["cart_id", "product_id"] } });
  // The foreign key to products needs an index on the referencing side for purges.
  pgm.createIndex("cart_items", ["product_id"], { name: "cart_items_product_id_idx" });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable("cart_items");
  pgm.dropTable("carts");
}
