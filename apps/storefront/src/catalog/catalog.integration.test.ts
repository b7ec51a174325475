import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEndpoints } from "../../../../test/services.js";
import { migrateCatalog, migrationLockId, migrationsDir } from "./migrate.js";
import { seedCatalog, syntheticProduct } from "./seed.js";
import { productsTable } from "./sql.js";

const schemas = [`t_catalog_${process.pid}`, `t_catalog_${process.pid}_b`];
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: serviceEndpoints().pgUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
});
afterAll(async () => {
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

async function connect(): Promise<pg.Client> {
  const other = new pg.Client({ connectionString: serviceEndpoints().pgUrl });
  await other.connect();
  return other;
}

describe("catalog migrations", () => {
  it("create the schema and the products table, once", async () => {
    const [schema = ""] = schemas;
    const ran = await migrateCatalog({ client, schema });
    expect(ran[0]).toBe("1767225600000_catalog-products");
    const columns = await client.query<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'products' ORDER BY ordinal_position",
      [schema],
    );
    expect(Object.fromEntries(columns.rows.map((row) => [row.column_name, row.data_type]))).toMatchObject({
      id: "bigint", sku: "text", title: "text", description: "text", brand: "text", category_path: "ARRAY", price_cents: "bigint",
      currency: "character", attributes: "jsonb", stock: "integer", in_stock: "boolean", updated_at: "timestamp with time zone",
      deleted_at: "timestamp with time zone", search_version: "bigint", changed_xid: "xid8",
    });
    expect(await migrateCatalog({ client, schema })).toEqual([]);
  });

  it("in two schemas at once, and twice at once in one schema (the second waits, then has nothing to do)", async () => {
    const [schema = "", other = ""] = schemas;
    const clients = await Promise.all([connect(), connect(), connect()]);
    try {
      const [first, second, third] = await Promise.all([
        migrateCatalog({ client: clients[0], schema: other }),
        migrateCatalog({ client: clients[1], schema: other }),
        migrateCatalog({ client: clients[2], schema }),
      ]);
      expect([first.length > 0, second.length > 0].filter(Boolean)).toHaveLength(1);
      expect(third).toEqual([]);
    } finally {
      await Promise.all(clients.map((item) => item.end()));
    }
    expect(migrationLockId(schema)).not.toBe(migrationLockId(other));
  });

  it("a dry run changes nothing", async () => {
    const schema = `t_catalog_${process.pid}_dry`;
    const lines: string[] = [];
    const ran = await migrateCatalog({ client, schema, dryRun: true, log: (line) => lines.push(line) });
    expect(ran.length).toBeGreaterThan(0);
    expect(lines.join("\n")).toContain("CREATE TABLE");
    const exists = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [productsTable(schema)]);
    expect(exists.rows[0]?.found).toBe(false);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  });

  it("live in apps/storefront/migrations", () => {
    expect(migrationsDir()).toMatch(/apps\/storefront\/migrations$/);
  });
});

describe("the synthetic catalog", () => {
  it("seeds idempotently: existing SKUs are kept, the rest added", async () => {
    const [schema = ""] = schemas;
    expect(await seedCatalog({ client, schema, count: 300, batchSize: 128 })).toEqual({ inserted: 300, existing: 0 });
    expect(await seedCatalog({ client, schema, count: 500, batchSize: 128 })).toEqual({ inserted: 200, existing: 300 });
    const { rows } = await client.query<{ count: string }>(`SELECT count(*) FROM ${productsTable(schema)}`);
    expect(rows[0]?.count).toBe("500");
  });

  it("stores exactly the deterministic products", async () => {
    const [schema = ""] = schemas;
    const { rows } = await client.query<{ sku: string; title: string; brand: string | null; category_path: string[]; price_cents: string; attributes: unknown; stock: number }>(
      `SELECT sku, title, brand, category_path, price_cents, attributes, stock FROM ${productsTable(schema)} WHERE sku = $1`,
      ["SKU-00000421"],
    );
    const expected = syntheticProduct(421);
    expect(rows[0]).toEqual({
      sku: expected.sku, title: expected.title, brand: expected.brand, category_path: expected.categoryPath,
      price_cents: String(expected.priceCents), attributes: expected.attributes, stock: expected.stock,
    });
  });
});
