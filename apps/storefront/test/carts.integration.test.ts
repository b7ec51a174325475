import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartResponse } from "../src/carts/schemas.js";
import { errorResponse } from "../src/http/schemas.js";
import { createTestApp, createTestDatabase, insertProducts, product, type TestApp, type TestDatabase } from "./harness.js";

let db: TestDatabase;
let api: TestApp;

beforeAll(async () => {
  db = await createTestDatabase("carts");
  await insertProducts(db, [
    product("KNIFE-1", { title: "Chef knife", priceCents: 4_999, stock: 5 }),
    product("PAN-1", { title: "Frying pan", priceCents: 2_500, stock: 3 }),
    product("BOOK-USD", { title: "A book in dollars", priceCents: 1_500, currency: "USD", stock: 9 }),
    product("GONE-1", { title: "Withdrawn", stock: 4 }),
  ]);
  api = await createTestApp(db);
});

afterAll(async () => {
  await api.close();
  await db.drop();
});

async function newCart(): Promise<string> {
  const response = await api.app.inject({ method: "POST", url: "/api/carts" });
  expect(response.statusCode).toBe(201);
  const cart = cartResponse.parse(response.json());
  expect(response.headers.location).toBe(`/api/carts/${cart.id}`);
  return cart.id;
}

function expectError(response: { statusCode: number; json(): unknown }, status: number, code: string, field: string) {
  expect(response.statusCode).toBe(status);
  const body = errorResponse.parse(response.json());
  expect(body.error).toMatchObject({ code, field });
  expect(body.error.requestId).not.toBe("");
  return body.error;
}

describe("carts", () => {
  it("creates an empty cart", async () => {
    const id = await newCart();
    const response = await api.app.inject({ method: "GET", url: `/api/carts/${id}` });
    expect(response.statusCode).toBe(200);
    expect(cartResponse.parse(response.json())).toMatchObject({ id, status: "open", items: [], currency: null, itemCount: 0, subtotalCents: 0, totalCents: 0 });
  });

  it("adds, increments, changes and removes lines, with totals at the current prices", async () => {
    const id = await newCart();
    let response = await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", quantity: 2 } });
    expect(response.statusCode).toBe(200);
    response = await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "PAN-1" } });
    expect(cartResponse.parse(response.json())).toMatchObject({ itemCount: 3, subtotalCents: 2 * 4_999 + 2_500, currency: "EUR" });

    response = await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", quantity: 1 } });
    expect(cartResponse.parse(response.json()).items).toEqual([
      { sku: "KNIFE-1", title: "Chef knife", quantity: 3, unitPriceCents: 4_999, lineTotalCents: 14_997, currency: "EUR", available: true },
      { sku: "PAN-1", title: "Frying pan", quantity: 1, unitPriceCents: 2_500, lineTotalCents: 2_500, currency: "EUR", available: true },
    ]);

    response = await api.app.inject({ method: "PATCH", url: `/api/carts/${id}/items/PAN-1`, payload: { quantity: 3 } });
    expect(cartResponse.parse(response.json())).toMatchObject({ itemCount: 6, subtotalCents: 14_997 + 7_500, totalCents: 14_997 + 7_500 });

    response = await api.app.inject({ method: "DELETE", url: `/api/carts/${id}/items/KNIFE-1` });
    const cart = cartResponse.parse(response.json());
    expect(cart.items.map((item) => item.sku)).toEqual(["PAN-1"]);
    expect(cart.subtotalCents).toBe(7_500);

    // A price change reaches the cart: it shows the catalog's current price.
    await db.pool.query(`UPDATE ${db.tables.products} SET price_cents = 2000 WHERE sku = 'PAN-1'`);
    response = await api.app.inject({ method: "GET", url: `/api/carts/${id}` });
    expect(cartResponse.parse(response.json()).subtotalCents).toBe(6_000);
    await db.pool.query(`UPDATE ${db.tables.products} SET price_cents = 2500 WHERE sku = 'PAN-1'`);
  });

  it("lists a withdrawn product as unavailable and leaves it out of the totals", async () => {
    const id = await newCart();
    await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "GONE-1", quantity: 1 } });
    await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "PAN-1", quantity: 1 } });
    await db.pool.query(`UPDATE ${db.tables.products} SET deleted_at = now() WHERE sku = 'GONE-1'`);
    const cart = cartResponse.parse((await api.app.inject({ method: "GET", url: `/api/carts/${id}` })).json());
    expect(cart.items.find((item) => item.sku === "GONE-1")?.available).toBe(false);
    expect(cart).toMatchObject({ itemCount: 1, subtotalCents: 2_500 });
    // And it cannot be added again.
    const response = await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "GONE-1" } });
    expectError(response, 422, "unknown_product", "sku");
  });

  describe("bad inputs", () => {
    let id: string;
    beforeAll(async () => {
      id = await newCart();
      await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", quantity: 1 } });
    });

    it("a malformed cart id is a 400 naming cartId", async () => {
      expectError(await api.app.inject({ method: "GET", url: "/api/carts/not-a-uuid" }), 400, "invalid_request", "cartId");
    });

    it("an unknown cart is a 404 naming cartId", async () => {
      expectError(await api.app.inject({ method: "GET", url: "/api/carts/00000000-0000-4000-8000-000000000000" }), 404, "cart_not_found", "cartId");
      expectError(await api.app.inject({ method: "POST", url: "/api/carts/00000000-0000-4000-8000-000000000000/items", payload: { sku: "KNIFE-1" } }), 404, "cart_not_found", "cartId");
    });

    it("an unknown SKU is a 422 naming sku", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "NOPE-404" } }), 422, "unknown_product", "sku");
    });

    it("a missing or bad sku is a 400 naming sku", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { quantity: 1 } }), 400, "invalid_request", "sku");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: 42 } }), 400, "invalid_request", "sku");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: " padded " } }), 400, "invalid_request", "sku");
    });

    it("a quantity out of 1..99 or not an integer is a 400 naming quantity", async () => {
      for (const quantity of [0, -1, 100, 1.5, "2", null]) {
        const error = expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", quantity } }), 400, "invalid_request", "quantity");
        expect(error.message).toContain("1 to 99");
      }
      expectError(await api.app.inject({ method: "PATCH", url: `/api/carts/${id}/items/KNIFE-1`, payload: { quantity: 0 } }), 400, "invalid_request", "quantity");
    });

    it("a line above 99 units is a 422 naming quantity", async () => {
      const other = await newCart();
      await db.pool.query(`UPDATE ${db.tables.products} SET stock = 500 WHERE sku = 'BOOK-USD'`);
      await api.app.inject({ method: "POST", url: `/api/carts/${other}/items`, payload: { sku: "BOOK-USD", quantity: 60 } });
      const error = expectError(await api.app.inject({ method: "POST", url: `/api/carts/${other}/items`, payload: { sku: "BOOK-USD", quantity: 60 } }), 422, "quantity_limit", "quantity");
      expect(error.details).toEqual({ inCart: 60, max: 99 });
    });

    it("more units than in stock is a 409 naming quantity, with what is left", async () => {
      const error = expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "PAN-1", quantity: 4 } }), 409, "insufficient_stock", "quantity");
      expect(error.details).toEqual({ sku: "PAN-1", available: 3 });
      expectError(await api.app.inject({ method: "PATCH", url: `/api/carts/${id}/items/KNIFE-1`, payload: { quantity: 6 } }), 409, "insufficient_stock", "quantity");
    });

    it("a second currency is a 422 naming sku", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "BOOK-USD" } }), 422, "currency_mismatch", "sku");
    });

    it("an unknown field is a 400 naming it", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", qty: 2 } }), 400, "invalid_request", "qty");
      expectError(await api.app.inject({ method: "POST", url: "/api/carts", payload: { owner: "me" } }), 400, "invalid_request", "owner");
    });

    it("a body that is not a JSON object is a 400 naming body", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: "[1,2]", headers: { "content-type": "application/json" } }), 400, "invalid_request", "body");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: "{\"sku\":", headers: { "content-type": "application/json" } }), 400, "invalid_json", "body");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: "", headers: { "content-type": "application/json" } }), 400, "invalid_json", "body");
    });

    it("a body that is not JSON is a 415 naming Content-Type", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: "sku=KNIFE-1", headers: { "content-type": "text/plain" } }), 415, "unsupported_media_type", "Content-Type");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: "sku=KNIFE-1", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "unsupported_media_type", "Content-Type");
    });

    it("a body over the limit is a 413 naming body", async () => {
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${id}/items`, payload: { sku: "KNIFE-1", pad: "x".repeat(70_000) } }), 413, "body_too_large", "body");
    });

    it("changing or removing a line the cart does not hold is a 404 naming sku", async () => {
      expectError(await api.app.inject({ method: "PATCH", url: `/api/carts/${id}/items/PAN-1`, payload: { quantity: 1 } }), 404, "item_not_found", "sku");
      expectError(await api.app.inject({ method: "DELETE", url: `/api/carts/${id}/items/PAN-1` }), 404, "item_not_found", "sku");
    });

    it("an unknown route is a 404 JSON error naming the url", async () => {
      expectError(await api.app.inject({ method: "PUT", url: `/api/carts/${id}` }), 404, "route_not_found", "url");
    });
  });
});

describe("health", () => {
  it("/healthz answers while the process runs", async () => {
    const response = await api.app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: "ok" });
  });

  it("/readyz fails while draining, and every response then closes its connection", async () => {
    api.lifecycle.draining = true;
    try {
      const ready = await api.app.inject({ method: "GET", url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: "draining", checks: {} });
      expect(ready.headers.connection).toBe("close");
      expect((await api.app.inject({ method: "POST", url: "/api/carts" })).headers.connection).toBe("close");
    } finally {
      api.lifecycle.draining = false;
    }
  });
});
