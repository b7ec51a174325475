import type { OrderResponse } from "../orders/schemas.js";

export const EMAIL_KINDS = ["order_confirmation", "order_shipped", "order_cancelled"] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];

/** `12.34 EUR` from 1234 cents, with the currency's own number of minor digits (JPY has none). */
export function formatMoney(cents: number, currency: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${(cents / 10 ** digits).toFixed(digits)} ${currency}`;
}

function orderLines(order: OrderResponse): string[] {
  return [
    ...order.lines.map((line) => `  ${line.quantity} x ${line.title} (${line.sku})  ${formatMoney(line.lineTotalCents, order.currency)}`),
    `  Total: ${formatMoney(order.totalCents, order.currency)}`,
  ];
}

function shortId(order: OrderResponse): string {
  return order.id.slice(0, 8).toUpperCase();
}

/** Plain-text customer emails; the text never includes payment details. */
export function orderEmail(kind: EmailKind, order: OrderResponse): { subject: string; text: string } {
  const name = order.shippingAddress.name ?? "";
  const greeting = name === "" ? "Hello," : `Hello ${name},`;
  switch (kind) {
    case "order_confirmation":
      return {
        subject: `Your order ${shortId(order)} is confirmed`,
        text: [greeting, "", "Thank you for your order. We received your payment and will let you know when it ships.", "", ...orderLines(order), "", `Order: ${order.id}`].join("\n"),
      };
    case "order_shipped":
      return {
        subject: `Your order ${shortId(order)} has shipped`,
        text: [greeting, "", "Your order is on its way.", "", ...orderLines(order), "", `Order: ${order.id}`].join("\n"),
      };
    case "order_cancelled":
      return {
        subject: `Your order ${shortId(order)} was cancelled`,
        text: [greeting, "", "Your order was cancelled and your payment refunded.", "", ...orderLines(order), "", `Order: ${order.id}`].join("\n"),
      };
  }
}
