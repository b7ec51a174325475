// The catalog: one row per product. PostgreSQL is the source of truth; OpenSearch's `products`
// alias is derived from it by `shopctl reindex` (apps/storefront/src/catalog/document.ts is the
// row -> document contract).
import type { MigrationBuilder } from "node-pg-migrate";

export const shorthands = undefined;

export function up(pgm: MigrationBuilder): void {
  pgm.createTable("products", {
    id: { type: "bigint", primaryKey: true, sequenceGenerated: { precedence: "ALWAYS" } },
    sku: { type: "text", notNull: true, unique: true, check: "sku <> ''" },
    title: { type: "text", notNull: true },
    description: { type: "text", notNull: true, default: "" },
    brand: { type: "text" },
    // Root first: {Home, Kitchen, Knives}.
    category_path: { type: "text[]", notNull: true, default: pgm.func("'{}'::text[]") },
    price_cents: { type: "bigint", notNull: true, check: "price_cents >= 0" },
    currency: { type: "char(3)", notNull: true, check: "currency ~ '^[A-Z]{3}$'" },
    // Any JSON PostgreSQL accepts; its shape is checked where documents are built, so that a bad
    // row is reported with its SKU instead of being refused here or dropped later.
    attributes: { type: "jsonb", notNull: true, default: pgm.func("'{}'::jsonb") },
    stock: { type: "integer", notNull: true, default: 0, check: "stock >= 0" },
    in_stock: { type: "boolean", notNull: true, expressionGenerated: "stock > 0" },
    created_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    updated_at: { type: "timestamptz", notNull: true, default: pgm.func("now()") },
    // A tombstone: deleting a product sets it, so the deletion reaches the search index.
    deleted_at: { type: "timestamptz" },
    // Bumped by the trigger on every change; the index uses it as the external document version.
    search_version: { type: "bigint", notNull: true, default: 1 },
    // The transaction that last changed the row: reindex catch-up passes select the changes that a
    // watermark snapshot (pg_current_snapshot()) did not see, which timestamps cannot do safely.
    changed_xid: { type: "xid8", notNull: true, default: pgm.func("pg_current_xact_id()") },
  });
  pgm.createIndex("products", ["changed_xid", "id"], { name: "products_changed_xid_id_idx" });

  pgm.createFunction("products_track_change", [], { returns: "trigger", language: "plpgsql", replace: true }, `
BEGIN
  IF TG_OP = 'UPDATE' THEN
    NEW.search_version := OLD.search_version + 1;
    NEW.created_at := OLD.created_at;
  ELSE
    NEW.search_version := 1;
  END IF;
  NEW.updated_at := now();
  NEW.changed_xid := pg_current_xact_id();
  RETURN NEW;
END`);
  pgm.createTrigger("products", "products_track_change", {
    when: "BEFORE",
    operation: ["INSERT", "UPDATE"],
    level: "ROW",
    function: "products_track_change",
  });

  // A hard DELETE of a live product would leave its document in the index: delete by tombstone,
  // and purge only tombstones (old enough to have reached every index).
  pgm.createFunction("products_refuse_live_delete", [], { returns: "trigger", language: "plpgsql", replace: true }, `
BEGIN
  IF OLD.deleted_at IS NULL THEN
    RAISE EXCEPTION 'products: % is live; delete it by setting deleted_at (a tombstone), then purge tombstones', OLD.sku
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN OLD;
END`);
  pgm.createTrigger("products", "products_refuse_live_delete", {
    when: "BEFORE",
    operation: "DELETE",
    level: "ROW",
    function: "products_refuse_live_delete",
  });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable("products");
  pgm.dropFunction("products_refuse_live_delete", []);
  pgm.dropFunction("products_track_change", []);
}
