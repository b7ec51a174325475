import { createHash, createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BulkWriter } from "./bulk.js";
import { createSearchClient } from "./search.js";

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
// Records what arrives and answers like a bulk endpoint with no errors: enough to see what the
// client signed. The search behaviour itself is tested against a real OpenSearch.
const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk: Buffer) => { body += chunk.toString(); });
  request.on("end", () => {
    received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body });
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"errors":false}');
  });
});
let url = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session-token" };

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");
const hmac = (key: string | Buffer, value: string) => createHmac("sha256", key).update(value, "utf8").digest();

/** SigV4 (AWS's "Create a signed AWS API request"), computed here independently of the client. */
function expectedSignature(request: Received, signedHeaders: string[], region: string, service: string): string {
  const [pathPart, query = ""] = request.url.split("?");
  const canonicalQuery = query === "" ? "" : query.split("&")
    .map((pair) => pair.split("=").map((part) => rfc3986(decodeURIComponent(part))).join("="))
    .sort()
    .join("&");
  const header = (name: string) => String(request.headers[name] ?? "").trim().replace(/\s+/g, " ");
  const canonicalRequest = [
    request.method, pathPart, canonicalQuery,
    signedHeaders.map((name) => `${name}:${header(name)}\n`).join(""),
    signedHeaders.join(";"),
    header("x-amz-content-sha256"),
  ].join("\n");
  const amzDate = header("x-amz-date");
  const scope = `${amzDate.slice(0, 8)}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
  const key = [amzDate.slice(0, 8), region, service, "aws4_request"].reduce<string | Buffer>((k, part) => hmac(k, part), `AWS4${credentials.secretAccessKey}`);
  return hmac(key, stringToSign).toString("hex");
}

describe("SigV4 signing (Amazon OpenSearch Service)", () => {
  it("signs the engine's bulk requests for service es with the given credentials", async () => {
    received.length = 0;
    const client = await createSearchClient({ url, sigv4: { region: "eu-west-1", getCredentials: () => Promise.resolve(credentials) } });
    try {
      const outcome = await new BulkWriter(client, "products_x").write([{ id: "1", sku: "SKU-1", kind: "index", lines: '{"index":{"_id":"1"}}\n{"title":"a"}\n' }]);
      expect(outcome.indexed).toBe(1);
    } finally {
      await client.close();
    }
    const [request] = received;
    if (request === undefined) throw new Error("no request arrived");
    const authorization = String(request.headers.authorization);
    const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(authorization);
    expect(match, authorization).not.toBeNull();
    const [, accessKey, , region, service, signed = "", signature] = match ?? [];
    expect({ accessKey, region, service }).toEqual({ accessKey: "AKIDEXAMPLE", region: "eu-west-1", service: "es" });
    const signedHeaders = signed.split(";");
    expect(signedHeaders).toEqual(expect.arrayContaining(["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]));
    expect(request.headers["x-amz-security-token"]).toBe("session-token");
    expect(request.headers["x-amz-content-sha256"]).toBe(sha256(request.body));
    expect(decodeURIComponent(request.url)).toBe("/products_x/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason");
    expect(signature).toBe(expectedSignature(request, signedHeaders, "eu-west-1", "es"));
  });

  it("sends no signature to a cluster without SigV4", async () => {
    received.length = 0;
    const client = await createSearchClient({ url });
    try {
      await new BulkWriter(client, "products_x").write([{ id: "1", sku: "SKU-1", kind: "index", lines: '{"index":{"_id":"1"}}\n{}\n' }]);
    } finally {
      await client.close();
    }
    expect(received[0]?.headers.authorization).toBeUndefined();
  });
});
