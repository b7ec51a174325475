import { z } from "zod";
import { attributeValue } from "../products/schemas.js";
import type { SearchRequest } from "./params.js";
import { PRICE_RANGES } from "./query.js";

const bucket = z.object({ key: z.union([z.string(), z.number()]), key_as_string: z.string().optional(), doc_count: z.number() });
const facet = z.object({ values: z.object({ buckets: z.array(bucket) }) });
const rangeBucket = z.object({ key: z.string(), from: z.number().optional(), to: z.number().optional(), doc_count: z.number() });

const source = z.object({
  sku: z.string(),
  title: z.string(),
  brand: z.string().nullable().optional(),
  category: z.object({ path: z.string() }).nullable().optional(),
  priceCents: z.number(),
  currency: z.string(),
  inStock: z.boolean(),
  attributes: z.record(z.string(), attributeValue).optional(),
});

const searchResponse = z.object({
  hits: z.object({
    total: z.object({ value: z.number(), relation: z.enum(["eq", "gte"]) }),
    hits: z.array(z.object({
      _score: z.number().nullable().optional(),
      _source: source,
      highlight: z.record(z.string(), z.array(z.string())).optional(),
    })),
  }),
  aggregations: z.object({
    brand: facet,
    category: facet,
    inStock: facet,
    attributes: facet,
    price: z.object({ values: z.object({ buckets: z.array(rangeBucket) }) }),
  }),
});

export const facetValue = z.object({ value: z.string(), count: z.int() });

/** A result of GET /api/products. */
export const searchResult = z.object({
  total: z.int(),
  /** `eq`: total is exact. */
  totalRelation: z.enum(["eq", "gte"]),
  page: z.int(),
  pageSize: z.int(),
  sort: z.string(),
  items: z.array(z.object({
    sku: z.string(),
    title: z.string(),
    brand: z.string().nullable(),
    categoryPath: z.string().nullable(),
    priceCents: z.int(),
    currency: z.string(),
    inStock: z.boolean(),
    attributes: z.record(z.string(), attributeValue),
    /** Matched words wrapped in <em>; the rest HTML-escaped. Present for text searches. */
    highlight: z.object({ title: z.string().optional(), description: z.array(z.string()).optional() }).optional(),
  })),
  facets: z.object({
    brand: z.array(facetValue),
    /** Every level: `Home`, `Home > Kitchen`, ... */
    category: z.array(facetValue),
    inStock: z.array(z.object({ value: z.boolean(), count: z.int() })),
    price: z.array(z.object({ key: z.string(), from: z.int().optional(), to: z.int().optional(), count: z.int() })),
    /** By attribute name: `{ color: [{ value: "red", count: 3 }] }`. */
    attributes: z.record(z.string(), z.array(facetValue)),
  }),
});
export type SearchResult = z.infer<typeof searchResult>;

export class UnexpectedSearchResponse extends Error {}

export function readSearchResponse(body: unknown, request: SearchRequest): SearchResult {
  const parsed = searchResponse.safeParse(body);
  if (!parsed.success) throw new UnexpectedSearchResponse(`the search response has an unexpected shape: ${parsed.error.issues[0]?.message ?? "?"} at ${parsed.error.issues[0]?.path.join(".") ?? "?"}`);
  const { hits, aggregations } = parsed.data;
  const values = (buckets: z.infer<typeof bucket>[]) => buckets.map((b) => ({ value: b.key_as_string ?? String(b.key), count: b.doc_count }));
  const attributes: Record<string, { value: string; count: number }[]> = {};
  for (const { value, count } of values(aggregations.attributes.values.buckets)) {
    const separator = value.indexOf("=");
    if (separator <= 0) continue;
    const name = value.slice(0, separator);
    (attributes[name] ??= []).push({ value: value.slice(separator + 1), count });
  }
  const priceOrder = new Map(PRICE_RANGES.map((range, index) => [range.key, index]));
  return {
    total: hits.total.value,
    totalRelation: hits.total.relation,
    page: request.page,
    pageSize: request.pageSize,
    sort: request.sort,
    items: hits.hits.map(({ _source: product, highlight }) => {
      const title = highlight?.title?.[0];
      const description = highlight?.description;
      return {
        sku: product.sku,
        title: product.title,
        brand: product.brand ?? null,
        categoryPath: product.category?.path ?? null,
        priceCents: product.priceCents,
        currency: product.currency,
        inStock: product.inStock,
        attributes: product.attributes ?? {},
        ...(title === undefined && description === undefined ? {} : {
          highlight: { ...(title === undefined ? {} : { title }), ...(description === undefined ? {} : { description }) },
        }),
      };
    }),
    facets: {
      brand: values(aggregations.brand.values.buckets),
      category: values(aggregations.category.values.buckets),
      inStock: aggregations.inStock.values.buckets.map((b) => ({ value: b.key_as_string === "true" || b.key === 1, count: b.doc_count })),
      price: aggregations.price.values.buckets
        .map((b) => ({ key: b.key, ...(b.from === undefined ? {} : { from: b.from }), ...(b.to === undefined ? {} : { to: b.to }), count: b.doc_count }))
        .sort((a, b) => (priceOrder.get(a.key) ?? 0) - (priceOrder.get(b.key) ?? 0)),
      attributes,
    },
  };
}
