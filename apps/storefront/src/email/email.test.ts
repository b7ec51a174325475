import { Writable } from "node:stream";
import { SendEmailCommand, SESv2Client } from "@aws-sdk/client-sesv2";
import { mockClient } from "aws-sdk-client-mock";
import pino from "pino";
import { describe, expect, it } from "vitest";
import type { OrderResponse } from "../orders/schemas.js";
import { LogEmailProvider } from "./log-provider.js";
import { type SesClientLike, SesEmailProvider, type SesSendEmailInput, sesV2Client } from "./ses.js";
import { formatMoney, orderEmail } from "./templates.js";

const order: OrderResponse = {
  id: "3f2b8c1e-0000-4000-8000-000000000001",
  status: "paid",
  cartId: "c",
  email: "ada@example.com",
  shippingAddress: { name: "Ada Lovelace", line1: "1 Analytical Way", city: "London", postalCode: "N1 1AA", country: "GB" },
  currency: "EUR",
  lines: [{ sku: "KNIFE-1", title: "Chef knife", quantity: 2, unitPriceCents: 4999, lineTotalCents: 9998 }],
  subtotalCents: 9998,
  totalCents: 9998,
  payment: { provider: "test", reference: "ch_test_abc" },
  events: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

describe("order emails", () => {
  it("format money with the currency's own minor digits", () => {
    expect(formatMoney(9998, "EUR")).toBe("99.98 EUR");
    expect(formatMoney(1500, "JPY")).toBe("1500 JPY");
    expect(formatMoney(5, "USD")).toBe("0.05 USD");
  });

  it("confirm an order with its lines and total, and never mention the payment reference", () => {
    const email = orderEmail("order_confirmation", order);
    expect(email.subject).toBe("Your order 3F2B8C1E is confirmed");
    expect(email.text).toContain("Hello Ada Lovelace,");
    expect(email.text).toContain("2 x Chef knife (KNIFE-1)  99.98 EUR");
    expect(email.text).toContain("Total: 99.98 EUR");
    expect(email.text).not.toContain("ch_test_abc");
  });

  it("tell of shipping and of cancellation", () => {
    expect(orderEmail("order_shipped", order).subject).toBe("Your order 3F2B8C1E has shipped");
    expect(orderEmail("order_cancelled", order).text).toContain("cancelled and your payment refunded");
  });
});

describe("SesEmailProvider", () => {
  it("sends one SES v2 SendEmail with the sender, the recipient and a plain-text body", async () => {
    const calls: SesSendEmailInput[] = [];
    const ses: SesClientLike = { sendEmail: (input) => { calls.push(input); return Promise.resolve({ MessageId: "0100-abc" }); } };
    const provider = new SesEmailProvider(ses, "shop@example.com", "transactional");
    expect(await provider.send({ to: "ada@example.com", subject: "Hi", text: "Body" })).toEqual({ messageId: "0100-abc" });
    expect(calls).toEqual([{
      FromEmailAddress: "shop@example.com",
      Destination: { ToAddresses: ["ada@example.com"] },
      Content: { Simple: { Subject: { Data: "Hi", Charset: "UTF-8" }, Body: { Text: { Data: "Body", Charset: "UTF-8" } } } },
      ConfigurationSetName: "transactional",
    }]);
  });

  it("fails (so the outbox retries) when SES returns no message id", async () => {
    const provider = new SesEmailProvider({ sendEmail: () => Promise.resolve({}) }, "shop@example.com");
    await expect(provider.send({ to: "a@example.com", subject: "s", text: "t" })).rejects.toThrow("no MessageId");
  });

  it("sends through the SDK's SESv2Client and SendEmailCommand in the region given", async () => {
    const ses = mockClient(SESv2Client).on(SendEmailCommand).resolves({ MessageId: "0100-def" });
    try {
      const provider = new SesEmailProvider(await sesV2Client("eu-west-1"), "shop@example.com");
      expect(await provider.send({ to: "ada@example.com", subject: "Hi", text: "Body" })).toEqual({ messageId: "0100-def" });
      const [call] = ses.commandCalls(SendEmailCommand);
      expect(call?.args[0].input).toMatchObject({ FromEmailAddress: "shop@example.com", Destination: { ToAddresses: ["ada@example.com"] } });
      expect(await (call?.thisValue as SESv2Client).config.region()).toBe("eu-west-1");
    } finally {
      ses.restore();
    }
  });
});

describe("LogEmailProvider", () => {
  it("logs that an email would go out, without its address or body", async () => {
    let written = "";
    const sink = new Writable({ write(chunk: Buffer, _encoding, callback) { written += chunk.toString(); callback(); } });
    const provider = new LogEmailProvider(pino({ level: "info" }, sink));
    const { messageId } = await provider.send({ to: "ada@example.com", subject: "Your order", text: "secret body" });
    expect(messageId).toMatch(/^log-[0-9a-f]{16}$/);
    expect(written).toContain(messageId);
    expect(written).not.toContain("ada@example.com");
    expect(written).not.toContain("secret body");
  });
});
