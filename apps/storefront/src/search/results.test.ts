import { describe, expect, it } from "vitest";
import type { SearchRequest } from "./params.js";
import { readSearchResponse, UnexpectedSearchResponse } from "./results.js";

const request: SearchRequest = { text: "knife", category: undefined, brands: [], attributes: [], minPrice: undefined, maxPrice: undefined, inStock: undefined, sort: "relevance", page: 2, pageSize: 1 };
const buckets = (values: [string | number, number, string?][]) => ({ values: { buckets: values.map(([key, count, asString]) => ({ key, doc_count: count, ...(asString === undefined ? {} : { key_as_string: asString }) })) } });

// The shape OpenSearch 2.x returns for buildSearchBody's request (hits, filter + terms/range aggregations).
const response = {
  took: 3,
  hits: {
    total: { value: 7, relation: "eq" },
    hits: [{
      _score: 2.1,
      _source: { sku: "SKU-1", title: "Acme Knife", brand: "Acme", category: { path: "Home > Kitchen > Knives" }, priceCents: 1999, currency: "EUR", inStock: true, attributes: { color: "red", tags: ["gift", 2] } },
      highlight: { title: ["Acme <em>Knife</em>"], description: ["a <em>knife</em> for &lt;everything&gt;"] },
    }],
  },
  aggregations: {
    brand: buckets([["Acme", 5], ["Globex", 2]]),
    category: buckets([["Home", 7], ["Home > Kitchen", 7]]),
    inStock: buckets([[1, 6, "true"], [0, 1, "false"]]),
    attributes: buckets([["color=red", 4], ["color=blue", 3], ["size=M", 1], ["broken", 1]]),
    price: { values: { buckets: [{ key: "1000-2500", from: 1000, to: 2500, doc_count: 5 }, { key: "0-1000", to: 1000, doc_count: 2 }] } },
  },
};

describe("readSearchResponse", () => {
  it("turns hits and aggregations into the API's result", () => {
    expect(readSearchResponse(response, request)).toEqual({
      total: 7,
      totalRelation: "eq",
      page: 2,
      pageSize: 1,
      sort: "relevance",
      items: [{
        sku: "SKU-1", title: "Acme Knife", brand: "Acme", categoryPath: "Home > Kitchen > Knives", priceCents: 1999, currency: "EUR", inStock: true,
        attributes: { color: "red", tags: ["gift", 2] },
        highlight: { title: "Acme <em>Knife</em>", description: ["a <em>knife</em> for &lt;everything&gt;"] },
      }],
      facets: {
        brand: [{ value: "Acme", count: 5 }, { value: "Globex", count: 2 }],
        category: [{ value: "Home", count: 7 }, { value: "Home > Kitchen", count: 7 }],
        inStock: [{ value: true, count: 6 }, { value: false, count: 1 }],
        price: [{ key: "0-1000", to: 1000, count: 2 }, { key: "1000-2500", from: 1000, to: 2500, count: 5 }],
        attributes: { color: [{ value: "red", count: 4 }, { value: "blue", count: 3 }], size: [{ value: "M", count: 1 }] },
      },
    });
  });

  it("refuses a response of another shape instead of guessing", () => {
    expect(() => readSearchResponse({ hits: { hits: [] } }, request)).toThrow(UnexpectedSearchResponse);
  });
});
