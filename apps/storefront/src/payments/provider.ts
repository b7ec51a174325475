/** What checkout asks a payment provider to do. Amounts are in minor units (cents). */
export interface ChargeRequest {
  amountCents: number;
  /** ISO 4217, upper case. */
  currency: string;
  /** The card token the client got from the provider's own client-side library. */
  paymentToken: string;
  /**
   * Unique per order: a retried charge with the same key must not charge twice, and must return
   * the first attempt's outcome.
   */
  idempotencyKey: string;
  orderId: string;
  description: string;
}

export type ChargeResult =
  | { status: "succeeded"; reference: string }
  /** The provider refused the payment: a final answer for this token, not an outage. */
  | { status: "declined"; code: string; message: string };

export interface RefundRequest {
  reference: string;
  amountCents: number;
  idempotencyKey: string;
}

export interface RefundResult {
  reference: string;
}

/**
 * A payment provider. A provider that cannot be reached throws (PaymentUnavailableError); a
 * decline is a result. Implementations: TestPaymentProvider (deterministic, no network) and the
 * documented StripePaymentProvider shape.
 */
export interface PaymentProvider {
  readonly name: string;
  charge(request: ChargeRequest): Promise<ChargeResult>;
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** The provider did not give an answer (network, 5xx, timeout): the charge may be retried with the same key. */
export class PaymentUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PaymentUnavailableError";
  }
}
