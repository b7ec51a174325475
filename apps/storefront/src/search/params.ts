import { z } from "zod";
import { nonNegativeInteger, positiveInteger, repeated, single } from "../http/schemas.js";

export const SORTS = ["relevance", "price_asc", "price_desc", "newest", "title"] as const;
export type Sort = (typeof SORTS)[number];

/** OpenSearch's default index.max_result_window: from + size beyond it is refused. */
export const MAX_RESULT_WINDOW = 10_000;
export const DEFAULT_PAGE_SIZE = 24;
export const MAX_PRICE_CENTS = 1_000_000_000_000;
const ATTRIBUTE = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})=(.{1,256})$/su;

export interface AttributeFilter {
  name: string;
  value: string;
}

/** GET /api/products query parameters. Prices are in minor units (cents), as everywhere in the API. */
export const productSearchQuery = z.strictObject({
  q: single(z.string().trim().max(200, { error: "at most 200 characters" }), "search text").optional(),
  category: single(z.string().trim().min(1, { error: "a category path such as Home > Kitchen" }).max(800, { error: "at most 800 characters" }), "a category path such as Home > Kitchen").optional(),
  brand: repeated(z.string().trim().min(1, { error: "a brand name" }).max(200, { error: "at most 200 characters" }), 20).optional(),
  attribute: repeated(
    z.string().regex(ATTRIBUTE, { error: "name=value, such as color=red" }).transform((value): AttributeFilter => {
      const separator = value.indexOf("=");
      return { name: value.slice(0, separator), value: value.slice(separator + 1) };
    }),
    20,
  ).optional(),
  minPrice: single(nonNegativeInteger("a price in cents", MAX_PRICE_CENTS), "a price in cents").optional(),
  maxPrice: single(nonNegativeInteger("a price in cents", MAX_PRICE_CENTS), "a price in cents").optional(),
  inStock: single(z.enum(["true", "false"], { error: "true or false" }).transform((value) => value === "true"), "true or false").optional(),
  sort: single(z.enum(SORTS, { error: `one of ${SORTS.join(" | ")}` }), `one of ${SORTS.join(" | ")}`).optional(),
  page: single(positiveInteger("a page number", MAX_RESULT_WINDOW), "a page number").optional(),
  pageSize: single(positiveInteger("a page size", 100), "a page size").optional(),
}).superRefine((query, context) => {
  if (query.minPrice !== undefined && query.maxPrice !== undefined && query.minPrice > query.maxPrice) {
    context.addIssue({ code: "custom", path: ["maxPrice"], message: `must not be below minPrice (${query.minPrice})` });
  }
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
  if (page * pageSize > MAX_RESULT_WINDOW) {
    context.addIssue({ code: "custom", path: ["page"], message: `pages end at result ${MAX_RESULT_WINDOW}: at most page ${Math.floor(MAX_RESULT_WINDOW / pageSize)} with pageSize ${pageSize}; narrow the search instead` });
  }
});

export type ProductSearchQuery = z.output<typeof productSearchQuery>;

/** The query with its defaults filled in. */
export interface SearchRequest {
  text: string | undefined;
  category: string | undefined;
  brands: string[];
  attributes: AttributeFilter[];
  minPrice: number | undefined;
  maxPrice: number | undefined;
  inStock: boolean | undefined;
  sort: Sort;
  page: number;
  pageSize: number;
}

export function searchRequest(query: ProductSearchQuery): SearchRequest {
  const text = query.q === undefined || query.q === "" ? undefined : query.q;
  return {
    text,
    category: query.category,
    brands: query.brand ?? [],
    attributes: query.attribute ?? [],
    minPrice: query.minPrice,
    maxPrice: query.maxPrice,
    inStock: query.inStock,
    sort: query.sort ?? (text === undefined ? "newest" : "relevance"),
    page: query.page ?? 1,
    pageSize: query.pageSize ?? DEFAULT_PAGE_SIZE,
  };
}
