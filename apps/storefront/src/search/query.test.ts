import { describe, expect, it } from "vitest";
import { type SearchRequest, productSearchQuery, searchRequest } from "./params.js";
import { buildSearchBody } from "./query.js";

const base: SearchRequest = { text: undefined, category: undefined, brands: [], attributes: [], minPrice: undefined, maxPrice: undefined, inStock: undefined, sort: "newest", page: 1, pageSize: 24 };

interface FacetAggregation {
  filter: { bool: { filter: unknown[] } };
}

describe("buildSearchBody", () => {
  it("matches everything without text and asks for no highlights", () => {
    const body = buildSearchBody(base);
    expect(body.query).toEqual({ match_all: {} });
    expect(body.highlight).toBeUndefined();
    expect(body.post_filter).toEqual({ bool: { filter: [] } });
    expect(body.sort).toEqual([{ updatedAt: "desc" }, { sku: "asc" }]);
    expect([body.from, body.size]).toEqual([0, 24]);
  });

  it("searches text across fields (every word must match) or an exact SKU, with HTML-safe highlights", () => {
    const body = buildSearchBody({ ...base, text: "acme knife", sort: "relevance" });
    expect(body.query).toEqual({
      bool: {
        should: [
          { multi_match: { query: "acme knife", type: "cross_fields", operator: "and", fields: ["title^3", "brand^2", "category.leaf^2", "description"] } },
          { term: { sku: { value: "acme knife", boost: 10 } } },
        ],
        minimum_should_match: 1,
      },
    });
    expect(body.highlight).toMatchObject({ encoder: "html", fields: { title: { number_of_fragments: 0 } } });
    expect(body.sort).toEqual(["_score", { sku: "asc" }]);
  });

  it("filters hits after aggregating, and counts each facet under every filter but its own", () => {
    const body = buildSearchBody({
      ...base,
      category: "Home > Kitchen",
      brands: ["Acme", "Globex"],
      attributes: [{ name: "color", value: "red" }, { name: "color", value: "blue" }, { name: "size", value: "M" }],
      minPrice: 1000,
      maxPrice: 5000,
      inStock: true,
    });
    const brand = { terms: { "brand.keyword": ["Acme", "Globex"] } };
    const category = { term: { "category.levels": "Home > Kitchen" } };
    const stock = { term: { inStock: true } };
    const price = { range: { priceCents: { gte: 1000, lte: 5000 } } };
    const color = { terms: { facets: ["color=red", "color=blue"] } };
    const size = { terms: { facets: ["size=M"] } };
    expect(body.post_filter).toEqual({ bool: { filter: [brand, category, stock, price, color, size] } });
    const aggs = body.aggs as Record<string, FacetAggregation>;
    expect(aggs.brand?.filter.bool.filter).toEqual([category, stock, price, color, size]);
    expect(aggs.category?.filter.bool.filter).toEqual([brand, stock, price, color, size]);
    expect(aggs.price?.filter.bool.filter).toEqual([brand, category, stock, color, size]);
    expect(aggs.attributes?.filter.bool.filter).toEqual([brand, category, stock, price]);
  });

  it("pages by from and size", () => {
    expect(buildSearchBody({ ...base, page: 3, pageSize: 10 })).toMatchObject({ from: 20, size: 10 });
  });
});

describe("product search parameters", () => {
  it("fill defaults: relevance with text, newest without", () => {
    expect(searchRequest(productSearchQuery.parse({ q: " knife " }))).toMatchObject({ text: "knife", sort: "relevance", page: 1, pageSize: 24 });
    expect(searchRequest(productSearchQuery.parse({ q: "" }))).toMatchObject({ text: undefined, sort: "newest" });
  });

  it("take repeated brands and attributes as lists", () => {
    const request = searchRequest(productSearchQuery.parse({ brand: ["Acme", "Globex"], attribute: "size=M=L" }));
    expect(request.brands).toEqual(["Acme", "Globex"]);
    expect(request.attributes).toEqual([{ name: "size", value: "M=L" }]);
  });

  it("parse numbers and booleans from text", () => {
    expect(searchRequest(productSearchQuery.parse({ minPrice: "0", maxPrice: "2500", inStock: "false", page: "2", pageSize: "50", sort: "price_desc" })))
      .toMatchObject({ minPrice: 0, maxPrice: 2500, inStock: false, page: 2, pageSize: 50, sort: "price_desc" });
  });

  it("refuse pages beyond the result window, naming page", () => {
    const parsed = productSearchQuery.safeParse({ page: "101", pageSize: "100" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(["page"]);
    expect(parsed.error?.issues[0]?.message).toContain("at most page 100 with pageSize 100");
  });

  it("refuse more than 20 brands", () => {
    expect(productSearchQuery.safeParse({ brand: Array.from({ length: 21 }, (_, index) => `B${index}`) }).error?.issues[0]?.message).toBe("at most 20 values");
  });
});
