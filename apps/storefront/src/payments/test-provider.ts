import { createHash } from "node:crypto";
import type { ChargeRequest, ChargeResult, PaymentProvider, RefundRequest, RefundResult } from "./provider.js";

/**
 * Tokens with a fixed outcome, named after Stripe's test tokens. Every other token is charged.
 */
export const TEST_DECLINES: Readonly<Record<string, { code: string; message: string }>> = {
  tok_chargeDeclined: { code: "card_declined", message: "Your card was declined." },
  tok_chargeDeclinedInsufficientFunds: { code: "insufficient_funds", message: "Your card has insufficient funds." },
  tok_chargeDeclinedExpiredCard: { code: "expired_card", message: "Your card has expired." },
};

function reference(prefix: string, key: string): string {
  return `${prefix}_test_${createHash("sha256").update(key).digest("hex").slice(0, 24)}`;
}

/**
 * A deterministic provider for dev stacks and tests: no network, no state. The same idempotency
 * key always yields the same charge reference, as a real provider's idempotency would.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = "test";

  charge(request: ChargeRequest): Promise<ChargeResult> {
    const decline = TEST_DECLINES[request.paymentToken];
    if (decline !== undefined) return Promise.resolve({ status: "declined", ...decline });
    return Promise.resolve({ status: "succeeded", reference: reference("ch", request.idempotencyKey) });
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return Promise.resolve({ reference: reference("re", request.idempotencyKey) });
  }
}
