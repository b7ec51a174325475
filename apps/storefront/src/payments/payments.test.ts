import { describe, expect, it } from "vitest";
import { PaymentUnavailableError } from "./provider.js";
import { type StripeHttpClient, type StripeHttpRequest, type StripeHttpResponse, StripePaymentProvider } from "./stripe.js";
import { TEST_DECLINES, TestPaymentProvider } from "./test-provider.js";

const charge = { amountCents: 1999, currency: "EUR", paymentToken: "tok_visa", idempotencyKey: "charge-order-1", orderId: "order-1", description: "Order order-1" };

describe("TestPaymentProvider", () => {
  const provider = new TestPaymentProvider();

  it("charges any other token, with the same reference for the same idempotency key", async () => {
    const first = await provider.charge(charge);
    expect(first).toEqual({ status: "succeeded", reference: expect.stringMatching(/^ch_test_[0-9a-f]{24}$/) as string });
    expect(await provider.charge({ ...charge, paymentToken: "tok_mastercard" })).toEqual(first);
    expect(await provider.charge({ ...charge, idempotencyKey: "charge-order-2" })).not.toEqual(first);
  });

  it("declines Stripe's decline test tokens", async () => {
    for (const [token, decline] of Object.entries(TEST_DECLINES)) {
      expect(await provider.charge({ ...charge, paymentToken: token })).toEqual({ status: "declined", ...decline });
    }
  });
});

/** Records the requests the adapter makes and answers with queued responses. */
class RecordingHttp implements StripeHttpClient {
  readonly requests: StripeHttpRequest[] = [];
  constructor(private readonly responses: (StripeHttpResponse | Error)[]) {}
  send(request: StripeHttpRequest): Promise<StripeHttpResponse> {
    this.requests.push(request);
    const next = this.responses.shift();
    if (next === undefined) throw new Error("no response queued");
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
}

describe("StripePaymentProvider (shape only; never run against Stripe)", () => {
  it("confirms a PaymentIntent with the card token, keyed by the order's idempotency key", async () => {
    const http = new RecordingHttp([{ status: 200, body: { id: "pi_123", status: "succeeded" } }]);
    expect(await new StripePaymentProvider(http).charge(charge)).toEqual({ status: "succeeded", reference: "pi_123" });
    expect(http.requests).toEqual([{
      method: "POST",
      path: "/v1/payment_intents",
      headers: { "Idempotency-Key": "charge-order-1" },
      form: {
        amount: "1999",
        currency: "eur",
        confirm: "true",
        "payment_method_data[type]": "card",
        "payment_method_data[card][token]": "tok_visa",
        "automatic_payment_methods[enabled]": "true",
        "automatic_payment_methods[allow_redirects]": "never",
        description: "Order order-1",
        "metadata[order_id]": "order-1",
      },
    }]);
  });

  it("reads a 402 card error and an incomplete intent as declines", async () => {
    const http = new RecordingHttp([
      { status: 402, body: { error: { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." } } },
      { status: 200, body: { id: "pi_2", status: "requires_action" } },
    ]);
    const stripe = new StripePaymentProvider(http);
    expect(await stripe.charge(charge)).toEqual({ status: "declined", code: "insufficient_funds", message: "Your card has insufficient funds." });
    expect(await stripe.charge(charge)).toEqual({ status: "declined", code: "requires_action", message: "The payment could not be completed." });
  });

  it("treats 5xx, 429 and transport failures as unavailable, so the charge is retried with the same key", async () => {
    const stripe = new StripePaymentProvider(new RecordingHttp([{ status: 500, body: {} }, { status: 429, body: {} }, new Error("socket hang up")]));
    for (let attempt = 0; attempt < 3; attempt++) await expect(stripe.charge(charge)).rejects.toBeInstanceOf(PaymentUnavailableError);
  });

  it("refunds the PaymentIntent with its own key", async () => {
    const http = new RecordingHttp([{ status: 200, body: { id: "re_1" } }]);
    expect(await new StripePaymentProvider(http).refund({ reference: "pi_123", amountCents: 1999, idempotencyKey: "refund-order-1" })).toEqual({ reference: "re_1" });
    expect(http.requests[0]).toEqual({ method: "POST", path: "/v1/refunds", headers: { "Idempotency-Key": "refund-order-1" }, form: { payment_intent: "pi_123", amount: "1999" } });
  });
});
