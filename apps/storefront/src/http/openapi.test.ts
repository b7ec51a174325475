import pino from "pino";
import { describe, expect, it } from "vitest";
import { buildApp } from "../app.js";
import type { Services } from "../services.js";
import { openApiDocument } from "./openapi.js";

type Operation = { parameters?: { name: string; in: string; schema: unknown }[]; requestBody?: unknown; responses: Record<string, unknown> };

const document = openApiDocument() as { openapi: string; paths: Record<string, Record<string, Operation>> };
const METHODS = ["get", "post", "patch", "delete"] as const;

describe("the OpenAPI description", () => {
  it("is OpenAPI 3.0 and documents every route the app serves, and only those", async () => {
    expect(document.openapi).toBe("3.0.3");
    // Routes are registered without touching the services; no request is made.
    const app = await buildApp({ logger: pino({ level: "silent" }), services: {} as Services });
    try {
      for (const [path, item] of Object.entries(document.paths)) {
        for (const method of METHODS) {
          if (item[method] === undefined) continue;
          expect(app.hasRoute({ method: method.toUpperCase(), url: path.replaceAll(/\{(\w+)\}/g, ":$1") }), `${method} ${path}`).toBe(true);
        }
      }
      expect(Object.keys(document.paths).sort()).toEqual([
        "/api/carts", "/api/carts/{cartId}", "/api/carts/{cartId}/items", "/api/carts/{cartId}/items/{sku}",
        "/api/checkout", "/api/orders/{orderId}", "/api/orders/{orderId}/cancel", "/api/products", "/api/products/{sku}", "/healthz", "/readyz",
      ]);
      expect(app.hasRoute({ method: "GET", url: "/openapi.json" })).toBe(true);
    } finally {
      await app.close();
    }
  });

  it("describes the search parameters, the checkout header and body from the validating schemas", () => {
    const search = document.paths["/api/products"]?.get;
    expect(search?.parameters?.filter((parameter) => parameter.in === "query").map((parameter) => parameter.name)).toEqual(["q", "category", "brand", "attribute", "minPrice", "maxPrice", "inStock", "sort", "page", "pageSize"]);
    const checkout = document.paths["/api/checkout"]?.post;
    expect(checkout?.parameters?.find((parameter) => parameter.name === "Idempotency-Key")).toMatchObject({ in: "header", required: true });
    expect(checkout?.requestBody).toMatchObject({ required: true, content: { "application/json": { schema: { type: "object", required: ["cartId", "email", "shippingAddress", "paymentToken"], additionalProperties: false } } } });
    expect(Object.keys(checkout?.responses ?? {})).toEqual(["201", "400", "402", "404", "409", "415", "422", "503"]);
  });

  it("documents every error as the shared error body", () => {
    const body = (document.paths["/api/carts/{cartId}"]?.get?.responses["404"] as { content: Record<string, { schema: { properties: Record<string, unknown> } }> }).content["application/json"]?.schema;
    expect(Object.keys(body?.properties ?? {})).toEqual(["error"]);
  });
});
