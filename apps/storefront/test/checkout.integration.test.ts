import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cartResponse } from "../src/carts/schemas.js";
import { OutboxDispatcher } from "../src/email/outbox.js";
import type { EmailMessage, EmailProvider } from "../src/email/provider.js";
import { errorResponse } from "../src/http/schemas.js";
import { orderResponse } from "../src/orders/schemas.js";
import { type ChargeRequest, type ChargeResult, type PaymentProvider, PaymentUnavailableError, type RefundRequest, type RefundResult } from "../src/payments/provider.js";
import { TestPaymentProvider } from "../src/payments/test-provider.js";
import { ADDRESS, createTestApp, createTestDatabase, insertProducts, product, silentLogger, stockOf, type TestApp, type TestDatabase } from "./harness.js";

/** The test provider, but the first `outages` charges fail as if the provider were down. */
class FlakyProvider implements PaymentProvider {
  readonly name = "test";
  readonly charges: ChargeRequest[] = [];
  readonly refunds: RefundRequest[] = [];
  private readonly inner = new TestPaymentProvider();
  constructor(public outages = 0) {}
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.charges.push(request);
    if (this.outages > 0) {
      this.outages--;
      throw new PaymentUnavailableError("connection reset");
    }
    return this.inner.charge(request);
  }
  async refund(request: RefundRequest): Promise<RefundResult> {
    this.refunds.push(request);
    return this.inner.refund(request);
  }
}

let db: TestDatabase;
let api: TestApp;
const payments = new FlakyProvider();

beforeAll(async () => {
  db = await createTestDatabase("checkout", 30);
  await insertProducts(db, [
    product("KNIFE-1", { title: "Chef knife", priceCents: 4_999, stock: 100 }),
    product("PAN-1", { title: "Frying pan", priceCents: 2_500, stock: 100 }),
    product("LAST-1", { title: "The last one", priceCents: 9_900, stock: 1 }),
    product("FEW-1", { title: "Only a few", priceCents: 100, stock: 2 }),
    product("GONE-1", { title: "Soon withdrawn", stock: 5 }),
  ]);
  api = await createTestApp(db, { payments });
});

afterAll(async () => {
  await api.close();
  await db.drop();
});

async function cartWith(lines: Record<string, number>): Promise<string> {
  const created = cartResponse.parse((await api.app.inject({ method: "POST", url: "/api/carts" })).json());
  for (const [sku, quantity] of Object.entries(lines)) {
    const response = await api.app.inject({ method: "POST", url: `/api/carts/${created.id}/items`, payload: { sku, quantity } });
    expect(response.statusCode, response.body).toBe(200);
  }
  return created.id;
}

function body(cartId: string, overrides: Record<string, unknown> = {}) {
  return { cartId, email: "ada@example.com", shippingAddress: ADDRESS, paymentToken: "tok_visa", ...overrides };
}

async function checkout(key: string | undefined, payload: unknown) {
  return api.app.inject({ method: "POST", url: "/api/checkout", payload: payload as Record<string, unknown>, headers: key === undefined ? {} : { "idempotency-key": key } });
}

function expectError(response: { statusCode: number; json(): unknown }, status: number, code: string, field: string) {
  expect(response.statusCode).toBe(status);
  const parsed = errorResponse.parse(response.json());
  expect(parsed.error).toMatchObject({ code, field });
  return parsed.error;
}

async function outbox(orderId: string) {
  const { rows } = await db.pool.query<{ kind: string; recipient: string; subject: string; status: string }>(
    `SELECT kind, recipient, subject, status FROM ${db.tables.emailOutbox} WHERE order_id = $1 ORDER BY id`, [orderId]);
  return rows;
}

describe("checkout", () => {
  it("reserves stock, creates a paid order, closes the cart and queues the confirmation email", async () => {
    const cartId = await cartWith({ "KNIFE-1": 2, "PAN-1": 1 });
    const before = { knife: await stockOf(db, "KNIFE-1"), pan: await stockOf(db, "PAN-1") };
    const response = await checkout(randomUUID(), body(cartId));
    expect(response.statusCode, response.body).toBe(201);
    const order = orderResponse.parse(response.json());
    expect(response.headers.location).toBe(`/api/orders/${order.id}`);
    expect(order).toMatchObject({
      status: "paid",
      cartId,
      email: "ada@example.com",
      currency: "EUR",
      subtotalCents: 2 * 4_999 + 2_500,
      totalCents: 2 * 4_999 + 2_500,
      payment: { provider: "test" },
      lines: [
        { sku: "KNIFE-1", title: "Chef knife", quantity: 2, unitPriceCents: 4_999, lineTotalCents: 9_998 },
        { sku: "PAN-1", title: "Frying pan", quantity: 1, unitPriceCents: 2_500, lineTotalCents: 2_500 },
      ],
    });
    expect(order.events.map((event) => [event.from, event.to])).toEqual([[null, "placed"], ["placed", "paid"]]);
    expect(await stockOf(db, "KNIFE-1")).toBe(before.knife - 2);
    expect(await stockOf(db, "PAN-1")).toBe(before.pan - 1);
    expect(cartResponse.parse((await api.app.inject({ method: "GET", url: `/api/carts/${cartId}` })).json()).status).toBe("checked_out");
    expect(await outbox(order.id)).toEqual([{ kind: "order_confirmation", recipient: "ada@example.com", subject: `Your order ${order.id.slice(0, 8).toUpperCase()} is confirmed`, status: "pending" }]);

    const fetched = await api.app.inject({ method: "GET", url: `/api/orders/${order.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(order);
  });

  it("a retry with the same Idempotency-Key returns the same order and takes no more stock", async () => {
    const cartId = await cartWith({ "PAN-1": 1 });
    const key = randomUUID();
    const first = await checkout(key, body(cartId));
    expect(first.statusCode).toBe(201);
    const stock = await stockOf(db, "PAN-1");
    const charges = payments.charges.length;
    const again = await checkout(key, body(cartId));
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.headers.location).toBe(first.headers.location);
    expect(again.json()).toEqual(first.json());
    expect(await stockOf(db, "PAN-1")).toBe(stock);
    expect(payments.charges.length).toBe(charges);
  });

  it("the same key with another body is a 422 naming Idempotency-Key", async () => {
    const cartId = await cartWith({ "PAN-1": 1 });
    const key = randomUUID();
    expect((await checkout(key, body(cartId))).statusCode).toBe(201);
    expectError(await checkout(key, body(cartId, { email: "other@example.com" })), 422, "idempotency_key_reused", "Idempotency-Key");
  });

  it("50 parallel checkouts for the last unit make exactly one order; stock never goes negative", async () => {
    const carts = await Promise.all(Array.from({ length: 50 }, () => cartWith({ "LAST-1": 1 })));
    const responses = await Promise.all(carts.map((cartId) => checkout(randomUUID(), body(cartId))));
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(49);
    for (const response of responses.filter((r) => r.statusCode === 409)) {
      expect(errorResponse.parse(response.json()).error).toMatchObject({ code: "insufficient_stock", field: "cartId", details: { items: [{ sku: "LAST-1", requested: 1, available: 0 }] } });
    }
    expect(await stockOf(db, "LAST-1")).toBe(0);
    const { rows } = await db.pool.query<{ orders: string }>(`SELECT count(*) AS orders FROM ${db.tables.orderLines} WHERE sku = 'LAST-1'`);
    expect(Number(rows[0]?.orders)).toBe(1);
    // The 49 losing carts are still open: nothing about them changed.
    const { rows: open } = await db.pool.query<{ open: string }>(`SELECT count(*) AS open FROM ${db.tables.carts} WHERE id = ANY($1::uuid[]) AND status = 'open'`, [carts]);
    expect(Number(open[0]?.open)).toBe(49);
  });

  it("parallel requests with one key make one order; every answer is that order or a retry-later 409", async () => {
    const cartId = await cartWith({ "KNIFE-1": 1 });
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 10 }, () => checkout(key, body(cartId))));
    const created = responses.filter((response) => response.statusCode === 201).map((response) => orderResponse.parse(response.json()).id);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created).size).toBe(1);
    for (const response of responses.filter((r) => r.statusCode !== 201)) {
      expectError(response, 409, "idempotency_key_in_use", "Idempotency-Key");
      expect(response.headers["retry-after"]).toBe("1");
    }
    const { rows } = await db.pool.query<{ orders: string }>(`SELECT count(*) AS orders FROM ${db.tables.orders} WHERE cart_id = $1`, [cartId]);
    expect(Number(rows[0]?.orders)).toBe(1);
    const retry = await checkout(key, body(cartId));
    expect(orderResponse.parse(retry.json()).id).toBe(created[0]);
  });

  it("a payment outage is a 503; the retry with the same key resumes and charges once with the same provider key", async () => {
    const cartId = await cartWith({ "KNIFE-1": 1 });
    const key = randomUUID();
    const stock = await stockOf(db, "KNIFE-1");
    payments.outages = 1;
    const failed = await checkout(key, body(cartId));
    expect(failed.statusCode).toBe(503);
    expect(errorResponse.parse(failed.json()).error.code).toBe("payment_unavailable");
    expect(failed.headers["retry-after"]).toBe("1");
    // The order exists (placed) and holds its stock while the client retries.
    expect(await stockOf(db, "KNIFE-1")).toBe(stock - 1);
    const retried = await checkout(key, body(cartId));
    expect(retried.statusCode).toBe(201);
    const order = orderResponse.parse(retried.json());
    expect(order.status).toBe("paid");
    expect(await stockOf(db, "KNIFE-1")).toBe(stock - 1);
    const keys = payments.charges.filter((charge) => charge.orderId === order.id).map((charge) => charge.idempotencyKey);
    expect(keys).toEqual([`charge-${order.id}`, `charge-${order.id}`]);
  });

  it("a declined card is a 402 naming paymentToken; the order is cancelled, the stock released and the cart reopened", async () => {
    const cartId = await cartWith({ "FEW-1": 2 });
    const key = randomUUID();
    const declined = await checkout(key, body(cartId, { paymentToken: "tok_chargeDeclinedInsufficientFunds" }));
    const error = expectError(declined, 402, "payment_declined", "paymentToken");
    const details = error.details as { orderId: string; declineCode: string };
    expect(details.declineCode).toBe("insufficient_funds");
    expect(await stockOf(db, "FEW-1")).toBe(2);
    const order = orderResponse.parse((await api.app.inject({ method: "GET", url: `/api/orders/${details.orderId}` })).json());
    expect(order.status).toBe("cancelled");
    expect(order.events.map((event) => [event.from, event.to, event.reason])).toEqual([[null, "placed", "checkout"], ["placed", "cancelled", "payment declined"]]);
    expect(await outbox(order.id)).toEqual([]);
    // The same key replays the decline; a new key with another card succeeds on the reopened cart.
    const replay = await checkout(key, body(cartId, { paymentToken: "tok_chargeDeclinedInsufficientFunds" }));
    expect(replay.statusCode).toBe(402);
    expect(replay.json()).toEqual(declined.json());
    const paid = await checkout(randomUUID(), body(cartId, { paymentToken: "tok_mastercard" }));
    expect(paid.statusCode).toBe(201);
    expect(await stockOf(db, "FEW-1")).toBe(0);
  });

  describe("bad inputs", () => {
    let cartId: string;
    beforeAll(async () => {
      cartId = await cartWith({ "PAN-1": 1 });
    });

    it("no Idempotency-Key header is a 400 naming it", async () => {
      const error = expectError(await checkout(undefined, body(cartId)), 400, "invalid_request", "Idempotency-Key");
      expect(error.message).toContain("required");
    });

    it("a malformed Idempotency-Key is a 400 naming it", async () => {
      expectError(await checkout("has spaces in it", body(cartId)), 400, "invalid_request", "Idempotency-Key");
      expectError(await checkout("x".repeat(256), body(cartId)), 400, "invalid_request", "Idempotency-Key");
    });

    it("each missing or malformed field is a 400 naming it", async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ cartId: undefined }, "cartId"],
        [{ cartId: "123" }, "cartId"],
        [{ email: "not-an-email" }, "email"],
        [{ email: undefined }, "email"],
        [{ paymentToken: "" }, "paymentToken"],
        [{ paymentToken: "tok visa" }, "paymentToken"],
        [{ shippingAddress: undefined }, "shippingAddress"],
        [{ shippingAddress: "Main street 1" }, "shippingAddress"],
        [{ shippingAddress: { ...ADDRESS, country: "Germany" } }, "shippingAddress.country"],
        [{ shippingAddress: { ...ADDRESS, postalCode: "" } }, "shippingAddress.postalCode"],
        [{ shippingAddress: { ...ADDRESS, phone: "+44" } }, "shippingAddress.phone"],
        [{ coupon: "FREE" }, "coupon"],
      ];
      for (const [change, field] of cases) {
        expectError(await checkout(randomUUID(), body(cartId, change)), 400, "invalid_request", field);
      }
    });

    it("reports every bad field at once", async () => {
      const error = expectError(await checkout(randomUUID(), { cartId: "x", email: "y", shippingAddress: ADDRESS, paymentToken: "tok_visa" }), 400, "invalid_request", "cartId");
      expect(error.problems?.map((problem) => problem.field)).toEqual(["cartId", "email"]);
    });

    it("an unknown cart is a 404 naming cartId", async () => {
      expectError(await checkout(randomUUID(), body(randomUUID())), 404, "cart_not_found", "cartId");
    });

    it("an empty cart is a 422 naming cartId", async () => {
      const empty = cartResponse.parse((await api.app.inject({ method: "POST", url: "/api/carts" })).json()).id;
      expectError(await checkout(randomUUID(), body(empty)), 422, "cart_empty", "cartId");
    });

    it("a checked-out cart is a 409 naming cartId", async () => {
      const used = await cartWith({ "PAN-1": 1 });
      expect((await checkout(randomUUID(), body(used))).statusCode).toBe(201);
      expectError(await checkout(randomUUID(), body(used)), 409, "cart_checked_out", "cartId");
      expectError(await api.app.inject({ method: "POST", url: `/api/carts/${used}/items`, payload: { sku: "PAN-1" } }), 409, "cart_checked_out", "cartId");
    });

    it("a withdrawn product is a 422 naming cartId and the SKU", async () => {
      const withWithdrawn = await cartWith({ "GONE-1": 1 });
      await db.pool.query(`UPDATE ${db.tables.products} SET deleted_at = now() WHERE sku = 'GONE-1'`);
      const error = expectError(await checkout(randomUUID(), body(withWithdrawn)), 422, "product_unavailable", "cartId");
      expect(error.details).toEqual({ skus: ["GONE-1"] });
    });

    it("a refused checkout forgets its key: the same key works once the problem is fixed", async () => {
      const cart = await cartWith({ "KNIFE-1": 3 });
      const key = randomUUID();
      const stock = await stockOf(db, "KNIFE-1");
      await db.pool.query(`UPDATE ${db.tables.products} SET stock = 2 WHERE sku = 'KNIFE-1'`);
      expectError(await checkout(key, body(cart)), 409, "insufficient_stock", "cartId");
      await db.pool.query(`UPDATE ${db.tables.products} SET stock = $1 WHERE sku = 'KNIFE-1'`, [stock]);
      expect((await checkout(key, body(cart))).statusCode).toBe(201);
    });
  });
});

describe("orders", () => {
  async function paidOrder(lines: Record<string, number>) {
    const response = await checkout(randomUUID(), body(await cartWith(lines)));
    expect(response.statusCode).toBe(201);
    return orderResponse.parse(response.json());
  }

  it("a bad order id is a 400, an unknown one a 404, both naming orderId", async () => {
    expectError(await api.app.inject({ method: "GET", url: "/api/orders/12" }), 400, "invalid_request", "orderId");
    expectError(await api.app.inject({ method: "GET", url: `/api/orders/${randomUUID()}` }), 404, "order_not_found", "orderId");
    expectError(await api.app.inject({ method: "POST", url: `/api/orders/${randomUUID()}/cancel` }), 404, "order_not_found", "orderId");
  });

  it("cancelling a paid order refunds it, releases its stock and queues the cancellation email", async () => {
    const order = await paidOrder({ "PAN-1": 2 });
    const stock = await stockOf(db, "PAN-1");
    const response = await api.app.inject({ method: "POST", url: `/api/orders/${order.id}/cancel` });
    expect(response.statusCode).toBe(200);
    const cancelled = orderResponse.parse(response.json());
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.events.map((event) => event.to)).toEqual(["placed", "paid", "cancelled"]);
    expect(await stockOf(db, "PAN-1")).toBe(stock + 2);
    expect(payments.refunds.filter((refund) => refund.reference === order.payment?.reference)).toEqual([
      { reference: order.payment?.reference, amountCents: order.totalCents, idempotencyKey: `refund-${order.id}` },
    ]);
    expect((await outbox(order.id)).map((email) => email.kind)).toEqual(["order_confirmation", "order_cancelled"]);
    const again = expectError(await api.app.inject({ method: "POST", url: `/api/orders/${order.id}/cancel` }), 409, "order_not_cancellable", "orderId");
    expect(again.details).toEqual({ status: "cancelled" });
  });

  it("fulfilment moves a paid order to fulfilled and shipped, with the shipping email; a shipped order stays shipped", async () => {
    const order = await paidOrder({ "KNIFE-1": 1 });
    await expect(api.services.workflow.advance(order.id, "shipped", "skipping fulfilment")).rejects.toMatchObject({ statusCode: 409, code: "invalid_transition" });
    await api.services.workflow.advance(order.id, "fulfilled", "picked and packed");
    const shipped = await api.services.workflow.advance(order.id, "shipped", "handed to the carrier", { carrier: "DHL" });
    expect(shipped.events.map((event) => [event.from, event.to])).toEqual([[null, "placed"], ["placed", "paid"], ["paid", "fulfilled"], ["fulfilled", "shipped"]]);
    expect((await outbox(order.id)).map((email) => email.kind)).toEqual(["order_confirmation", "order_shipped"]);
    expectError(await api.app.inject({ method: "POST", url: `/api/orders/${order.id}/cancel` }), 409, "order_not_cancellable", "orderId");
    const { rows } = await db.pool.query<{ detail: unknown }>(`SELECT detail FROM ${db.tables.orderEvents} WHERE order_id = $1 AND to_status = 'shipped'`, [order.id]);
    expect(rows[0]?.detail).toEqual({ carrier: "DHL" });
  });
});

describe("the email outbox", () => {
  class RecordingProvider implements EmailProvider {
    readonly name = "recording";
    readonly sent: EmailMessage[] = [];
    constructor(private failures: number) {}
    send(message: EmailMessage): Promise<{ messageId: string }> {
      if (this.failures > 0) {
        this.failures--;
        return Promise.reject(new Error("throttled"));
      }
      this.sent.push(message);
      return Promise.resolve({ messageId: `m-${this.sent.length}` });
    }
  }

  it("sends each due email once and records the provider's message id", async () => {
    const provider = new RecordingProvider(0);
    const dispatcher = new OutboxDispatcher(db.pool, db.tables, provider, silentLogger, { batchSize: 500 });
    const { rows: pending } = await db.pool.query<{ count: string }>(`SELECT count(*) FROM ${db.tables.emailOutbox} WHERE status = 'pending'`);
    const result = await dispatcher.dispatchDue();
    expect(result).toEqual({ sent: Number(pending[0]?.count), retried: 0, failed: 0 });
    expect(provider.sent.every((message) => message.to === "ada@example.com" && message.text.includes("Order: "))).toBe(true);
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retried: 0, failed: 0 });
    const { rows } = await db.pool.query<{ unsent: string }>(`SELECT count(*) AS unsent FROM ${db.tables.emailOutbox} WHERE status <> 'sent' OR provider_message_id IS NULL`);
    expect(Number(rows[0]?.unsent)).toBe(0);
  });

  it("retries a failed send and gives up after maxAttempts", async () => {
    const order = orderResponse.parse((await checkout(randomUUID(), body(await cartWith({ "PAN-1": 1 })))).json());
    const provider = new RecordingProvider(5);
    const dispatcher = new OutboxDispatcher(db.pool, db.tables, provider, silentLogger, { maxAttempts: 2, backoffSeconds: () => 0 });
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retried: 0, failed: 1 });
    const { rows } = await db.pool.query<{ status: string; attempts: number; last_error: string }>(
      `SELECT status, attempts, last_error FROM ${db.tables.emailOutbox} WHERE order_id = $1`, [order.id]);
    expect(rows).toEqual([{ status: "failed", attempts: 2, last_error: "throttled" }]);
  });
});
