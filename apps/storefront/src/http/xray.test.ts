import dgram from "node:dgram";
import { afterEach, describe, expect, it } from "vitest";
import { type RequestFacts, segmentDocument, XRayEmitter } from "./xray.js";

const trace = { root: "1-5759e988-bd862e3fe1be46a994272793", parent: "53995c3f42cd8ad8", sampled: true, segmentId: "0123456789abcdef" };
const facts: RequestFacts = { method: "GET", url: "/api/products?q=knife", clientIp: "203.0.113.9", userAgent: "curl/8", status: 200, startTime: 1_700_000_000.1, endTime: 1_700_000_000.2, requestId: "req-1" };

describe("X-Ray segments", () => {
  it("describe the request as the X-Ray API documents a segment", () => {
    expect(segmentDocument("storefront", trace, facts)).toEqual({
      name: "storefront",
      id: "0123456789abcdef",
      trace_id: trace.root,
      parent_id: "53995c3f42cd8ad8",
      start_time: 1_700_000_000.1,
      end_time: 1_700_000_000.2,
      origin: "AWS::EC2::Instance",
      http: { request: { method: "GET", url: "/api/products?q=knife", client_ip: "203.0.113.9", user_agent: "curl/8" }, response: { status: 200 } },
      annotations: { request_id: "req-1" },
    });
  });

  it("flag client errors, throttling and faults", () => {
    expect(segmentDocument("s", trace, { ...facts, status: 404 })).toMatchObject({ error: true });
    expect(segmentDocument("s", trace, { ...facts, status: 429 })).toMatchObject({ error: true, throttle: true });
    expect(segmentDocument("s", trace, { ...facts, status: 503 })).toMatchObject({ fault: true });
  });

  describe("the emitter", () => {
    let daemon: dgram.Socket | undefined;
    let emitter: XRayEmitter | undefined;
    afterEach(() => {
      emitter?.close();
      daemon?.close();
      emitter = undefined;
      daemon = undefined;
    });

    it("sends sampled segments to the daemon over UDP with the protocol header, and skips unsampled ones", async () => {
      daemon = dgram.createSocket("udp4");
      const received = new Promise<string>((resolve) => daemon?.once("message", (message) => { resolve(message.toString()); }));
      await new Promise<void>((resolve) => daemon?.bind(0, "127.0.0.1", resolve));
      const port = daemon.address().port;
      emitter = new XRayEmitter(`127.0.0.1:${port}`);
      emitter.emit({ ...trace, sampled: false, segmentId: "ffffffffffffffff" }, facts);
      emitter.emit(trace, facts);
      const [header, body] = (await received).split("\n");
      expect(JSON.parse(header ?? "")).toEqual({ format: "json", version: 1 });
      expect(JSON.parse(body ?? "")).toMatchObject({ id: "0123456789abcdef", trace_id: trace.root });
    });

    it("refuses an address that is not host:port", () => {
      expect(() => new XRayEmitter("localhost")).toThrow("X-Ray daemon address localhost is not host:port");
    });
  });
});
