// Shared by the storefront's integration tests: each test file gets its own PostgreSQL schema
// (migrated like production) and its own index alias, so files run in parallel and clean up.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import pino, { type Logger } from "pino";
import { serviceEndpoints } from "../../../test/services.js";
import { buildApp } from "../src/app.js";
import { migrationsDir } from "../src/catalog/migrate.js";
import type { NewProduct } from "../src/catalog/product.js";
import { migrateStorefront } from "../src/db/migrate.js";
import { type Tables, tables } from "../src/db/tables.js";
import type { PaymentProvider } from "../src/payments/provider.js";
import { TestPaymentProvider } from "../src/payments/test-provider.js";
import type { Lifecycle } from "../src/routes/health.js";
import { createSearchClient } from "../src/search/client.js";
import { ProductSearch } from "../src/search/service.js";
import { createServices, type Services } from "../src/services.js";

export const endpoints = serviceEndpoints();

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * Runs shopctl from the sources (the same program `npm run build` compiles) as a user would,
 * with --json, and returns the JSON document it prints; a failure throws with its stderr.
 */
export async function shopctl(args: readonly string[]): Promise<unknown> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("SHOPCTL_")));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "cli", "bin", "shopctl.ts"), ...args, "--json"], {
    cwd: ROOT,
    env: { ...env, CI: "true" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  if (code !== 0) throw new Error(`shopctl ${args.join(" ")} exited ${String(code)}:\n${stderr}${stdout}`);
  return JSON.parse(stdout) as unknown;
}

export const silentLogger: Logger = pino({ level: "silent" });

/** A lower-case name unique to this run: schemas, aliases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
}

export interface TestDatabase {
  pool: pg.Pool;
  schema: string;
  tables: Tables;
  drop(): Promise<void>;
}

/** A fresh schema with every migration applied; drop() removes it and closes the pool. */
export async function createTestDatabase(prefix: string, poolMax = 20): Promise<TestDatabase> {
  const schema = uniqueName(`sf_${prefix}`);
  const pool = new pg.Pool({ connectionString: endpoints.pgUrl, max: poolMax });
  pool.on("error", () => undefined);
  const client = await pool.connect();
  try {
    await migrateStorefront({ client, schema, dir: migrationsDir() });
  } finally {
    client.release();
  }
  return {
    pool,
    schema,
    tables: tables(schema),
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

export function product(sku: string, overrides: Partial<NewProduct> = {}): NewProduct {
  return {
    sku,
    title: `Product ${sku}`,
    description: `The description of ${sku}.`,
    brand: "Acme",
    categoryPath: ["Home", "Kitchen"],
    priceCents: 1_000,
    currency: "EUR",
    attributes: { color: "red" },
    stock: 10,
    ...overrides,
  };
}

export async function insertProducts(db: TestDatabase, products: readonly NewProduct[]): Promise<void> {
  for (const item of products) {
    await db.pool.query(
      `INSERT INTO ${db.tables.products} (sku, title, description, brand, category_path, price_cents, currency, attributes, stock)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [item.sku, item.title, item.description, item.brand, item.categoryPath, item.priceCents, item.currency, JSON.stringify(item.attributes), item.stock],
    );
  }
}

export async function stockOf(db: TestDatabase, sku: string): Promise<number> {
  const { rows } = await db.pool.query<{ stock: number }>(`SELECT stock FROM ${db.tables.products} WHERE sku = $1`, [sku]);
  const row = rows[0];
  if (row === undefined) throw new Error(`no product ${sku}`);
  return row.stock;
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  lifecycle: Lifecycle;
  close(): Promise<void>;
}

/** The app over a test database and an alias, with injected providers; requests through inject(). */
export async function createTestApp(db: TestDatabase, options: { alias?: string; payments?: PaymentProvider; logger?: Logger } = {}): Promise<TestApp> {
  // Without an alias: one that does not exist, so a search answers 503.
  const alias = options.alias ?? uniqueName("sf_none");
  const searchClient = createSearchClient({ endpoint: endpoints.openSearchUrl, indexAlias: alias, auth: "none", region: undefined, timeoutMs: 10_000 });
  const services = createServices(db.pool, db.tables, new ProductSearch(searchClient, alias), options.payments ?? new TestPaymentProvider());
  const lifecycle: Lifecycle = { draining: false };
  const app = await buildApp({ logger: options.logger ?? silentLogger, services, lifecycle, traceSampleRate: 0 });
  return {
    app,
    services,
    lifecycle,
    async close() {
      await app.close();
      await searchClient.close();
    },
  };
}

export const ADDRESS = { name: "Ada Lovelace", line1: "1 Analytical Way", city: "London", postalCode: "N1 1AA", country: "GB" } as const;
