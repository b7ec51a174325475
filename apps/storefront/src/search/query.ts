import type { SearchRequest, Sort } from "./params.js";

/**
 * The OpenSearch request for a product search, over the fields of the catalog's index mapping
 * (apps/storefront/src/catalog/mapping.ts; both variants). Facets are disjunctive: the filters
 * go to post_filter, and each facet's counts apply every filter but its own, so choosing one
 * brand still shows how many products the other brands have.
 */

export type FacetName = "brand" | "category" | "inStock" | "price" | "attributes";
const FACETS: readonly FacetName[] = ["brand", "category", "inStock", "price", "attributes"];

/** Price facet buckets in cents: [from, to). */
export const PRICE_RANGES: readonly { key: string; from?: number; to?: number }[] = [
  { key: "0-1000", to: 1_000 },
  { key: "1000-2500", from: 1_000, to: 2_500 },
  { key: "2500-5000", from: 2_500, to: 5_000 },
  { key: "5000-10000", from: 5_000, to: 10_000 },
  { key: "10000-25000", from: 10_000, to: 25_000 },
  { key: "25000-", from: 25_000 },
];

/** Fields a hit returns: what a result list shows. */
export const HIT_FIELDS = ["sku", "title", "brand", "category", "priceCents", "currency", "inStock", "attributes"] as const;

type Query = Record<string, unknown>;

function textQuery(text: string | undefined): Query {
  if (text === undefined) return { match_all: {} };
  return {
    bool: {
      should: [
        // cross_fields: "acme knife" finds the knife whose brand is Acme; every word must match somewhere.
        { multi_match: { query: text, type: "cross_fields", operator: "and", fields: ["title^3", "brand^2", "category.leaf^2", "description"] } },
        { term: { sku: { value: text, boost: 10 } } },
      ],
      minimum_should_match: 1,
    },
  };
}

function filters(request: SearchRequest): Record<FacetName, Query[]> {
  const byName = new Map<string, string[]>();
  for (const { name, value } of request.attributes) byName.set(name, [...(byName.get(name) ?? []), `${name}=${value}`]);
  const price: Record<string, number> = {};
  if (request.minPrice !== undefined) price.gte = request.minPrice;
  if (request.maxPrice !== undefined) price.lte = request.maxPrice;
  return {
    brand: request.brands.length === 0 ? [] : [{ terms: { "brand.keyword": request.brands } }],
    category: request.category === undefined ? [] : [{ term: { "category.levels": request.category } }],
    inStock: request.inStock === undefined ? [] : [{ term: { inStock: request.inStock } }],
    price: Object.keys(price).length === 0 ? [] : [{ range: { priceCents: price } }],
    // Values of one attribute are alternatives; different attributes must all match.
    attributes: [...byName.values()].map((values) => ({ terms: { facets: values } })),
  };
}

function sortOf(sort: Sort): unknown[] {
  // The SKU breaks ties, so pages never repeat or skip a product.
  switch (sort) {
    case "relevance":
      return ["_score", { sku: "asc" }];
    case "price_asc":
      return [{ priceCents: "asc" }, { sku: "asc" }];
    case "price_desc":
      return [{ priceCents: "desc" }, { sku: "asc" }];
    case "newest":
      return [{ updatedAt: "desc" }, { sku: "asc" }];
    case "title":
      return [{ "title.keyword": "asc" }, { sku: "asc" }];
  }
}

function facetAggregation(facet: FacetName): Query {
  switch (facet) {
    case "brand":
      return { terms: { field: "brand.keyword", size: 50 } };
    case "category":
      return { terms: { field: "category.levels", size: 100 } };
    case "inStock":
      return { terms: { field: "inStock", size: 2 } };
    case "price":
      return { range: { field: "priceCents", ranges: PRICE_RANGES } };
    case "attributes":
      return { terms: { field: "facets", size: 200 } };
  }
}

export function buildSearchBody(request: SearchRequest): Record<string, unknown> {
  const byFacet = filters(request);
  const all = FACETS.flatMap((facet) => byFacet[facet]);
  const aggs: Record<string, unknown> = {};
  for (const facet of FACETS) {
    const others = FACETS.filter((other) => other !== facet).flatMap((other) => byFacet[other]);
    aggs[facet] = { filter: { bool: { filter: others } }, aggs: { values: facetAggregation(facet) } };
  }
  return {
    query: textQuery(request.text),
    post_filter: { bool: { filter: all } },
    aggs,
    sort: sortOf(request.sort),
    from: (request.page - 1) * request.pageSize,
    size: request.pageSize,
    _source: [...HIT_FIELDS],
    track_total_hits: true,
    ...(request.text === undefined ? {} : {
      highlight: {
        encoder: "html",
        pre_tags: ["<em>"],
        post_tags: ["</em>"],
        fields: { title: { number_of_fragments: 0 }, description: { fragment_size: 150, number_of_fragments: 2 } },
      },
    }),
  };
}
