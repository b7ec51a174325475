import type { ChargeRequest, ChargeResult, PaymentProvider, RefundRequest, RefundResult } from "./provider.js";
import { PaymentUnavailableError } from "./provider.js";

/**
 * The shape of a Stripe adapter (PaymentIntents API), written against an injected HTTP client
 * so that it holds no network code of its own. Not wired into the server and never run against
 * Stripe: wiring it means an HTTP client with the secret key from Secrets Manager
 * (`Authorization: Bearer sk_...`), the instance role allowed to read that secret, and egress
 * to api.stripe.com.
 *
 * - charge: POST /v1/payment_intents with confirm=true and the card token as payment method
 *   data; Stripe's `Idempotency-Key` header carries the order's key, so a retry returns the
 *   first attempt's PaymentIntent.
 * - refund: POST /v1/refunds for the PaymentIntent.
 * - 402 card errors are declines; 5xx, 429 and transport failures are PaymentUnavailableError.
 */

export interface StripeHttpRequest {
  method: "POST" | "GET";
  /** `/v1/payment_intents` */
  path: string;
  /** application/x-www-form-urlencoded fields, Stripe's bracket notation for nesting. */
  form: Record<string, string>;
  headers: Record<string, string>;
}

export interface StripeHttpResponse {
  status: number;
  body: unknown;
}

/** Sends one request to https://api.stripe.com with the secret key; throws only on transport failure. */
export interface StripeHttpClient {
  send(request: StripeHttpRequest): Promise<StripeHttpResponse>;
}

interface StripeObject {
  id?: unknown;
  status?: unknown;
  last_payment_error?: { code?: unknown; decline_code?: unknown; message?: unknown } | null;
  error?: { type?: unknown; code?: unknown; decline_code?: unknown; message?: unknown };
}

function asObject(body: unknown): StripeObject {
  return typeof body === "object" && body !== null ? body : {};
}

const text = (value: unknown, fallback: string) => (typeof value === "string" && value !== "" ? value : fallback);

export class StripePaymentProvider implements PaymentProvider {
  readonly name = "stripe";

  constructor(private readonly http: StripeHttpClient) {}

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const response = await this.send({
      method: "POST",
      path: "/v1/payment_intents",
      headers: { "Idempotency-Key": request.idempotencyKey },
      form: {
        amount: String(request.amountCents),
        currency: request.currency.toLowerCase(),
        confirm: "true",
        "payment_method_data[type]": "card",
        "payment_method_data[card][token]": request.paymentToken,
        // No redirect-based methods: checkout is one synchronous request.
        "automatic_payment_methods[enabled]": "true",
        "automatic_payment_methods[allow_redirects]": "never",
        description: request.description,
        "metadata[order_id]": request.orderId,
      },
    });
    const body = asObject(response.body);
    if (response.status === 402 || (response.status === 400 && body.error?.type === "card_error")) {
      return { status: "declined", code: text(body.error?.decline_code, text(body.error?.code, "card_declined")), message: text(body.error?.message, "The card was declined.") };
    }
    if (response.status !== 200) throw new PaymentUnavailableError(`Stripe answered ${response.status} to the charge: ${text(body.error?.message, "no message")}`);
    if (body.status === "succeeded") return { status: "succeeded", reference: text(body.id, "") };
    // requires_action (3-D Secure) and requires_payment_method: not payable in one request.
    const error = body.last_payment_error ?? undefined;
    return { status: "declined", code: text(error?.decline_code, text(error?.code, text(body.status, "payment_incomplete"))), message: text(error?.message, "The payment could not be completed.") };
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const response = await this.send({
      method: "POST",
      path: "/v1/refunds",
      headers: { "Idempotency-Key": request.idempotencyKey },
      form: { payment_intent: request.reference, amount: String(request.amountCents) },
    });
    const body = asObject(response.body);
    if (response.status !== 200) throw new PaymentUnavailableError(`Stripe answered ${response.status} to the refund: ${text(body.error?.message, "no message")}`);
    return { reference: text(body.id, "") };
  }

  private async send(request: StripeHttpRequest): Promise<StripeHttpResponse> {
    let response: StripeHttpResponse;
    try {
      response = await this.http.send(request);
    } catch (error) {
      throw new PaymentUnavailableError(`Stripe could not be reached: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 429 || response.status >= 500) throw new PaymentUnavailableError(`Stripe answered ${response.status}`);
    return response;
  }
}
