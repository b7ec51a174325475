import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

describe("createLogger", () => {
  it("writes JSON lines with the service, an ISO time and a level label, and redacts personal data", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _encoding, callback) { lines.push(chunk.toString()); callback(); } });
    const logger = createLogger("info", sink);
    logger.info({ input: { email: "ada@example.com", password: "hunter2", paymentToken: "tok_visa", shippingAddress: { city: "London" } }, orderId: "o-1" }, "checkout");
    const line = JSON.parse(lines[0] ?? "{}") as Record<string, unknown>;
    expect(line).toMatchObject({ level: "info", service: "storefront", msg: "checkout", orderId: "o-1", input: { email: "[redacted]", password: "[redacted]", paymentToken: "[redacted]", shippingAddress: "[redacted]" } });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});
