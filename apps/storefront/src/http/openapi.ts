import { z } from "zod";
import { cartItemParams, cartParams, addItemBody, cartResponse, setQuantityBody } from "../carts/schemas.js";
import { checkoutBody } from "../checkout/schemas.js";
import { orderParams, orderResponse } from "../orders/schemas.js";
import { productParams, productResponse } from "../products/schemas.js";
import { productSearchQuery } from "../search/params.js";
import { searchResult } from "../search/results.js";
import { errorResponse } from "./schemas.js";

type JsonSchema = Record<string, unknown>;

function schema(type: z.ZodType, io: "input" | "output"): JsonSchema {
  const json = z.toJSONSchema(type, { target: "openapi-3.0", io, unrepresentable: "any" }) as JsonSchema;
  delete json.$schema;
  return json;
}

function pathParameters(shape: z.ZodObject): JsonSchema[] {
  return Object.entries(shape.shape).map(([name, type]) => ({ name, in: "path", required: true, schema: schema(type as z.ZodType, "input") }));
}

function queryParameters(shape: z.ZodObject): JsonSchema[] {
  return Object.entries(shape.shape).map(([name, type]) => ({ name, in: "query", required: false, schema: schema(type as z.ZodType, "input"), explode: true }));
}

const json = (type: z.ZodType, io: "input" | "output") => ({ content: { "application/json": { schema: schema(type, io) } } });

function errors(...statuses: number[]): Record<string, unknown> {
  const described: Record<number, string> = {
    400: "a bad input; `error.field` names it",
    402: "the payment was declined",
    404: "not found; `error.field` names the id",
    409: "a conflict with the current state (stock, a checked-out cart, a key in use)",
    413: "the body is too large",
    415: "the body is not JSON",
    422: "a well-formed request the store cannot carry out",
    503: "a dependency is unavailable; retry",
  };
  return Object.fromEntries(statuses.map((status) => [String(status), { description: described[status] ?? "error", ...json(errorResponse, "output") }]));
}

const HEADERS = {
  requestId: { name: "X-Request-Id", in: "header", required: false, schema: { type: "string", pattern: "^[A-Za-z0-9._:-]{1,128}$" }, description: "Echoed; a new one is made when absent." },
  trace: { name: "X-Amzn-Trace-Id", in: "header", required: false, schema: { type: "string" }, description: "X-Ray trace header; the root is kept, made when absent, and returned." },
  idempotencyKey: { name: "Idempotency-Key", in: "header", required: true, schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" }, description: "Unique per checkout attempt; a retry with the same key and body returns the first response." },
};

/** The OpenAPI 3.0 description of the API, generated from the same zod schemas that validate requests. */
export function openApiDocument(): JsonSchema {
  const common = [HEADERS.requestId, HEADERS.trace];
  return {
    openapi: "3.0.3",
    info: {
      title: "shop-platform storefront",
      version: "1",
      description: "Catalog search, carts, checkout and orders. Prices are integers in minor units (cents). Every error is JSON: `{ error: { code, message, field, requestId } }`.",
    },
    paths: {
      "/healthz": { get: { summary: "The process is alive", responses: { 200: { description: "alive" } } } },
      "/readyz": { get: { summary: "The database and the search alias answer (the load balancer's health check)", responses: { 200: { description: "ready" }, 503: { description: "not ready or draining" } } } },
      "/api/products": {
        get: {
          summary: "Search the catalog: full text, filters, facets and highlights",
          parameters: [...common, ...queryParameters(productSearchQuery)],
          responses: { 200: { description: "a page of products with facet counts", ...json(searchResult, "output") }, ...errors(400, 503) },
        },
      },
      "/api/products/{sku}": {
        get: {
          summary: "One product, from the database",
          parameters: [...common, ...pathParameters(productParams)],
          responses: { 200: { description: "the product", ...json(productResponse, "output") }, ...errors(400, 404) },
        },
      },
      "/api/carts": {
        post: { summary: "Create an empty cart", parameters: common, responses: { 201: { description: "the cart", ...json(cartResponse, "output") }, ...errors(400, 415) } },
      },
      "/api/carts/{cartId}": {
        get: { summary: "A cart with its totals", parameters: [...common, ...pathParameters(cartParams)], responses: { 200: { description: "the cart", ...json(cartResponse, "output") }, ...errors(400, 404) } },
      },
      "/api/carts/{cartId}/items": {
        post: {
          summary: "Add units of a product (adds to an existing line)",
          parameters: [...common, ...pathParameters(cartParams)],
          requestBody: { required: true, ...json(addItemBody, "input") },
          responses: { 200: { description: "the cart", ...json(cartResponse, "output") }, ...errors(400, 404, 409, 415, 422) },
        },
      },
      "/api/carts/{cartId}/items/{sku}": {
        patch: {
          summary: "Set a line's quantity",
          parameters: [...common, ...pathParameters(cartItemParams)],
          requestBody: { required: true, ...json(setQuantityBody, "input") },
          responses: { 200: { description: "the cart", ...json(cartResponse, "output") }, ...errors(400, 404, 409, 415) },
        },
        delete: {
          summary: "Remove a line",
          parameters: [...common, ...pathParameters(cartItemParams)],
          responses: { 200: { description: "the cart", ...json(cartResponse, "output") }, ...errors(400, 404, 409) },
        },
      },
      "/api/checkout": {
        post: {
          summary: "Check a cart out: reserve stock, create the order, charge, confirm by email",
          parameters: [...common, HEADERS.idempotencyKey],
          requestBody: { required: true, ...json(checkoutBody, "input") },
          responses: {
            201: { description: "the paid order (header Location; `Idempotent-Replayed: true` on a replay)", ...json(orderResponse, "output") },
            ...errors(400, 402, 404, 409, 415, 422, 503),
          },
        },
      },
      "/api/orders/{orderId}": {
        get: { summary: "An order and its workflow history", parameters: [...common, ...pathParameters(orderParams)], responses: { 200: { description: "the order", ...json(orderResponse, "output") }, ...errors(400, 404) } },
      },
      "/api/orders/{orderId}/cancel": {
        post: {
          summary: "Cancel a placed or paid order: refund, stock released",
          parameters: [...common, ...pathParameters(orderParams)],
          responses: { 200: { description: "the cancelled order", ...json(orderResponse, "output") }, ...errors(400, 404, 409, 503) },
        },
      },
    },
  };
}
