// Search over a catalog seeded by `shopctl catalog seed` and indexed by `shopctl reindex` into
// this file's own alias: queries, facets, filters, highlights and paging are checked against
// what PostgreSQL, the source of truth, says.
import { Client } from "@opensearch-project/opensearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorResponse } from "../src/http/schemas.js";
import { productResponse } from "../src/products/schemas.js";
import { searchResult, type SearchResult } from "../src/search/results.js";
import { createTestApp, createTestDatabase, endpoints, shopctl, type TestApp, type TestDatabase, uniqueName } from "./harness.js";

const PRODUCTS = 300;
let db: TestDatabase;
let api: TestApp;
let alias: string;
const openSearch = new Client({ node: endpoints.openSearchUrl });

beforeAll(async () => {
  db = await createTestDatabase("search");
  expect(await shopctl(["catalog", "seed", "--database", endpoints.pgUrl, "--schema", db.schema, "--count", String(PRODUCTS)])).toMatchObject({ inserted: PRODUCTS });
  // Tombstoned before the build: never searchable.
  await db.pool.query(`UPDATE ${db.tables.products} SET deleted_at = now() WHERE sku IN ('SKU-00000001', 'SKU-00000002')`);
  alias = uniqueName("sf_products");
  const report = await shopctl(["reindex", "--source", endpoints.pgUrl, "--target", endpoints.openSearchUrl, "--schema", db.schema, "--alias", alias, "--replicas", "0"]);
  expect(report).toMatchObject({ alias, swapped: true, verify: { ok: true, documents: PRODUCTS - 2 } });
  api = await createTestApp(db, { alias });
});

afterAll(async () => {
  await api.close();
  await openSearch.indices.delete({ index: `${alias}_*` }).catch(() => undefined);
  await openSearch.close();
  await db.drop();
});

async function search(query: string): Promise<SearchResult> {
  const response = await api.app.inject({ method: "GET", url: `/api/products${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return searchResult.parse(response.json());
}

async function count(where: string, values: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ count: string }>(`SELECT count(*) FROM ${db.tables.products} WHERE deleted_at IS NULL AND ${where}`, values);
  return Number(rows[0]?.count);
}

async function grouped(column: string, where = "true"): Promise<Map<string, number>> {
  const { rows } = await db.pool.query<{ value: string; count: string }>(
    `SELECT ${column} AS value, count(*) FROM ${db.tables.products} WHERE deleted_at IS NULL AND ${column} IS NOT NULL AND ${where} GROUP BY 1`);
  return new Map(rows.map((row) => [row.value, Number(row.count)]));
}

function facetMap(values: { value: string; count: number }[]): Map<string, number> {
  return new Map(values.map((entry) => [entry.value, entry.count]));
}

describe("GET /api/products", () => {
  it("without a query lists every live product, newest first, with facets that match the catalog", async () => {
    const result = await search("");
    expect(result.total).toBe(PRODUCTS - 2);
    expect(result.totalRelation).toBe("eq");
    expect(result).toMatchObject({ page: 1, pageSize: 24, sort: "newest" });
    expect(result.items).toHaveLength(24);
    expect(facetMap(result.facets.brand)).toEqual(await grouped("brand"));
    const inStock = await count("in_stock");
    expect(result.facets.inStock.find((entry) => entry.value)?.count).toBe(inStock);
    expect(result.facets.inStock.find((entry) => !entry.value)?.count ?? 0).toBe(PRODUCTS - 2 - inStock);
    expect(facetMap(result.facets.category).get("Home")).toBe(await count("category_path[1] = 'Home'"));
    expect(facetMap(result.facets.category).get("Home > Kitchen > Knives")).toBe(await count("category_path = ARRAY['Home','Kitchen','Knives']"));
    expect(facetMap(result.facets.attributes.color ?? [])).toEqual(await grouped("attributes->>'color'"));
    expect(result.facets.price.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(PRODUCTS - 2);
    expect(result.facets.price.find((bucket) => bucket.key === "0-1000")?.count).toBe(await count("price_cents < 1000"));
  });

  it("finds products by text, with the matched words highlighted", async () => {
    const result = await search("?q=knife&pageSize=100");
    const expected = await count("title ~* '\\mknife\\M'");
    expect(expected).toBeGreaterThan(0);
    expect(result.total).toBe(expected);
    for (const item of result.items) {
      expect(item.title).toMatch(/\bKnife\b/);
      expect(item.highlight?.title).toContain("<em>Knife</em>");
    }
    expect(result.sort).toBe("relevance");
  });

  it("requires every word: a brand and a noun find that brand's products of that kind", async () => {
    const result = await search("?q=acme%20lamp&pageSize=100");
    expect(result.total).toBe(await count("brand = 'Acme' AND title ~* '\\mlamp\\M'"));
    for (const item of result.items) expect(item).toMatchObject({ brand: "Acme" });
  });

  it("finds a product by its exact SKU", async () => {
    const result = await search("?q=SKU-00000042");
    expect(result.items[0]?.sku).toBe("SKU-00000042");
  });

  it("never returns a tombstoned product", async () => {
    expect((await search("?q=SKU-00000001")).items.map((item) => item.sku)).not.toContain("SKU-00000001");
  });

  it("filters by brand, and keeps the brand facet counting the other brands", async () => {
    const result = await search("?brand=Acme&brand=Globex&pageSize=100");
    expect(result.total).toBe(await count("brand IN ('Acme', 'Globex')"));
    expect(new Set(result.items.map((item) => item.brand))).toEqual(new Set(["Acme", "Globex"]));
    expect(facetMap(result.facets.brand)).toEqual(await grouped("brand"));
    expect(facetMap(result.facets.category).get("Home")).toBe(await count("category_path[1] = 'Home' AND brand IN ('Acme', 'Globex')"));
  });

  it("filters by a category and everything below it", async () => {
    const result = await search(`?category=${encodeURIComponent("Home > Kitchen")}&pageSize=100`);
    expect(result.total).toBe(await count("category_path[1:2] = ARRAY['Home','Kitchen']"));
    for (const item of result.items) expect(item.categoryPath).toMatch(/^Home > Kitchen( > |$)/);
  });

  it("filters by price in cents, bounds included", async () => {
    const result = await search("?minPrice=1000&maxPrice=5000&pageSize=100");
    expect(result.total).toBe(await count("price_cents BETWEEN 1000 AND 5000"));
    for (const item of result.items) expect(item.priceCents).toBeGreaterThanOrEqual(1000);
  });

  it("filters by availability and by attributes", async () => {
    expect((await search("?inStock=false")).total).toBe(await count("NOT in_stock"));
    const result = await search("?attribute=color%3Dred&attribute=color%3Dblue&attribute=material%3Dsteel&pageSize=100");
    expect(result.total).toBe(await count("attributes->>'color' IN ('red', 'blue') AND attributes->>'material' = 'steel'"));
    for (const item of result.items) expect(item.attributes).toMatchObject({ material: "steel" });
  });

  it("sorts by price both ways, the SKU breaking ties, as PostgreSQL orders them", async () => {
    const { rows } = await db.pool.query<{ sku: string }>(`SELECT sku FROM ${db.tables.products} WHERE deleted_at IS NULL ORDER BY price_cents, sku LIMIT 10`);
    expect((await search("?sort=price_asc&pageSize=10")).items.map((item) => item.sku)).toEqual(rows.map((row) => row.sku));
    const descending = (await search("?sort=price_desc&pageSize=50")).items.map((item) => item.priceCents);
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
  });

  it("pages without repeating or skipping a product", async () => {
    const first = await search("?sort=title&pageSize=20&page=1");
    const second = await search("?sort=title&pageSize=20&page=2");
    const both = await search("?sort=title&pageSize=40&page=1");
    expect([...first.items, ...second.items].map((item) => item.sku)).toEqual(both.items.map((item) => item.sku));
  });

  describe("bad inputs", () => {
    const cases: [string, string][] = [
      ["?minPrice=abc", "minPrice"],
      ["?minPrice=-1", "minPrice"],
      ["?maxPrice=1.5", "maxPrice"],
      ["?minPrice=500&maxPrice=100", "maxPrice"],
      ["?inStock=yes", "inStock"],
      ["?sort=cheapest", "sort"],
      ["?page=0", "page"],
      ["?page=1000&pageSize=24", "page"],
      ["?pageSize=101", "pageSize"],
      ["?q=a&q=b", "q"],
      [`?q=${"x".repeat(201)}`, "q"],
      ["?attribute=red", "attribute"],
      ["?categroy=Home", "categroy"],
    ];
    for (const [query, field] of cases) {
      it(`${query.slice(0, 40)} is a 400 naming ${field}`, async () => {
        const response = await api.app.inject({ method: "GET", url: `/api/products${query}` });
        expect(response.statusCode).toBe(400);
        expect(errorResponse.parse(response.json()).error).toMatchObject({ code: "invalid_request", field });
      });
    }
  });
});

describe("GET /api/products/:sku", () => {
  it("returns the product from PostgreSQL", async () => {
    const response = await api.app.inject({ method: "GET", url: "/api/products/SKU-00000042" });
    expect(response.statusCode).toBe(200);
    const found = productResponse.parse(response.json());
    const { rows } = await db.pool.query<{ title: string; price_cents: string; stock: number }>(`SELECT title, price_cents, stock FROM ${db.tables.products} WHERE sku = 'SKU-00000042'`);
    expect(found).toMatchObject({ sku: "SKU-00000042", title: rows[0]?.title, priceCents: Number(rows[0]?.price_cents), stock: rows[0]?.stock, currency: "EUR" });
    expect(found.categoryPath).toBe(found.category.join(" > "));
  });

  it("a tombstoned or unknown SKU is a 404 naming sku", async () => {
    for (const sku of ["SKU-00000001", "NOPE"]) {
      const response = await api.app.inject({ method: "GET", url: `/api/products/${sku}` });
      expect(response.statusCode).toBe(404);
      expect(errorResponse.parse(response.json()).error).toMatchObject({ code: "product_not_found", field: "sku" });
    }
  });

  it("a SKU over 64 characters is a 400 naming sku", async () => {
    const response = await api.app.inject({ method: "GET", url: `/api/products/${"A".repeat(65)}` });
    expect(response.statusCode).toBe(400);
    expect(errorResponse.parse(response.json()).error).toMatchObject({ code: "invalid_request", field: "sku" });
  });
});

describe("search without an index", () => {
  it("answers 503 search_unavailable when the alias does not exist", async () => {
    const orphan = await createTestApp(db);
    try {
      const response = await orphan.app.inject({ method: "GET", url: "/api/products?q=knife" });
      expect(response.statusCode).toBe(503);
      expect(errorResponse.parse(response.json()).error.code).toBe("search_unavailable");
      expect((await orphan.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "not_ready", checks: { database: "ok", search: "unavailable" } });
      expect((await api.app.inject({ method: "GET", url: "/readyz" })).json()).toEqual({ status: "ready", checks: { database: "ok", search: "ok" } });
    } finally {
      await orphan.close();
    }
  });
});
