// The service as the web tier runs it: configuration from the environment, SSM and Secrets
// Manager (moto), migrations at start, a real listening socket, JSON logs, graceful shutdown.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { DeleteParametersCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir } from "../src/catalog/migrate.js";
import { indexDefinition } from "../src/catalog/mapping.js";
import { loadEnv } from "../src/config/env.js";
import { SsmParameterReader } from "../src/config/parameters.js";
import { resolveRuntimeSettings } from "../src/config/runtime.js";
import { SecretsManagerCredentialsReader } from "../src/config/secrets.js";
import { createLogger } from "../src/logger.js";
import type { ChargeRequest, ChargeResult, PaymentProvider, RefundResult } from "../src/payments/provider.js";
import { TestPaymentProvider } from "../src/payments/test-provider.js";
import { Storefront } from "../src/storefront.js";
import { ADDRESS, endpoints, silentLogger, uniqueName } from "./harness.js";

const openSearch = new Client({ node: endpoints.openSearchUrl });
const admin = new pg.Pool({ connectionString: endpoints.pgUrl, max: 2 });
const schema = uniqueName("sf_server");
const alias = uniqueName("sf_server_products");
const aws = { endpoint: endpoints.motoUrl, region: "eu-west-1", credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };

beforeAll(async () => {
  // An empty but real index behind the alias, with the catalog's mapping: readiness needs the alias.
  const definition = indexDefinition("core");
  await openSearch.indices.create({
    index: `${alias}_1`,
    body: { settings: { index: { ...definition.settings.index as object, number_of_replicas: 0 } }, mappings: definition.mappings, aliases: { [alias]: {} } } as never,
  });
});

afterAll(async () => {
  await openSearch.indices.delete({ index: `${alias}_1` }).catch(() => undefined);
  await openSearch.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: "0",
    DATABASE_URL: endpoints.pgUrl,
    DATABASE_TLS: "disable",
    DATABASE_SCHEMA: schema,
    SEARCH_ENDPOINT: endpoints.openSearchUrl,
    SEARCH_INDEX_ALIAS: alias,
    SHUTDOWN_TIMEOUT_MS: "10000",
    ...extra,
  };
}

/** Pays only when released, so a request can be held in flight while the server stops. */
class GatedProvider implements PaymentProvider {
  readonly name = "test";
  private readonly inner = new TestPaymentProvider();
  private release: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => { this.release = resolve; });
  private charged: () => void = () => undefined;
  /** Resolves when a charge is waiting at the gate. */
  readonly waiting = new Promise<void>((resolve) => { this.charged = resolve; });
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    this.charged();
    await this.gate;
    return this.inner.charge(request);
  }
  refund(): Promise<RefundResult> {
    return Promise.resolve({ reference: "re_none" });
  }
  open(): void {
    this.release();
  }
}

class LogLines extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    for (const line of chunk.toString().split("\n")) if (line.trim() !== "") this.lines.push(JSON.parse(line) as Record<string, unknown>);
    callback();
  }
}

describe("the storefront process", () => {
  it("migrates, listens, answers with request and trace ids, logs JSON, and drains an in-flight checkout on stop", async () => {
    const logs = new LogLines();
    const payments = new GatedProvider();
    const storefront = await Storefront.create({ env: loadEnv(baseEnv()), logger: createLogger("info", logs), migrationsDir: migrationsDir(), payments });
    const address = await storefront.listen();
    const base = `http://127.0.0.1:${address.port}`;

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);

    const traceRoot = "1-5759e988-bd862e3fe1be46a994272793";
    const spec = await fetch(`${base}/openapi.json`, { headers: { "x-amzn-trace-id": `Root=${traceRoot};Parent=53995c3f42cd8ad8;Sampled=1`, "x-request-id": "req-abc-123" } });
    expect(spec.headers.get("x-request-id")).toBe("req-abc-123");
    expect(spec.headers.get("x-amzn-trace-id")).toBe(`Root=${traceRoot};Sampled=1`);
    expect(((await spec.json()) as { openapi: string }).openapi).toBe("3.0.3");
    const generated = await fetch(`${base}/healthz`);
    expect(generated.headers.get("x-amzn-trace-id")).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=[01]$/);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    // A product and a cart, then a checkout held at the payment provider.
    await admin.query(`INSERT INTO "${schema}".products (sku, title, price_cents, currency, stock) VALUES ('DRAIN-1', 'Drain test', 1234, 'EUR', 3)`);
    const cart = (await (await fetch(`${base}/api/carts`, { method: "POST" })).json()) as { id: string };
    await fetch(`${base}/api/carts/${cart.id}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ sku: "DRAIN-1", quantity: 1 }) });
    const inFlight = fetch(`${base}/api/checkout`, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": randomUUID(), "x-amzn-trace-id": `Root=${traceRoot};Sampled=0` },
      body: JSON.stringify({ cartId: cart.id, email: "ada@example.com", shippingAddress: ADDRESS, paymentToken: "tok_visa" }),
    });
    await payments.waiting;

    const stopped = storefront.stop();
    expect(storefront.lifecycle.draining).toBe(true);
    // The listener closes while the checkout is still running...
    while (storefront.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    // ...and the checkout still completes.
    payments.open();
    const response = await inFlight;
    expect(response.status).toBe(201);
    expect(((await response.json()) as { status: string }).status).toBe("paid");
    await stopped;

    const requestLines = logs.lines.filter((line) => line.requestId === "req-abc-123");
    expect(requestLines.length).toBeGreaterThan(0);
    for (const line of requestLines) expect(line).toMatchObject({ service: "storefront", traceId: traceRoot });
    expect(logs.lines.some((line) => line.msg === "checkout" && typeof line.orderId === "string" && line.traceId === traceRoot)).toBe(true);
    expect(logs.lines.some((line) => line.msg === "stopped")).toBe(true);
    expect(JSON.stringify(logs.lines)).not.toContain("ada@example.com");
    // Health checks are not logged request by request.
    expect(logs.lines.some((line) => (line.req as { url?: string } | undefined)?.url === "/readyz")).toBe(false);
  });

  it("reads its endpoints from the runtime SSM parameters and the credentials from Secrets Manager", async () => {
    const ssm = new SSMClient(aws);
    const secrets = new SecretsManagerClient(aws);
    const prefix = `/shop-test/${uniqueName("run")}/runtime`;
    const database = new URL(endpoints.pgUrl);
    const secret = await secrets.send(new CreateSecretCommand({ Name: uniqueName("db-secret"), SecretString: JSON.stringify({ username: database.username, password: "unused-by-trust-auth" }) }));
    const parameters = {
      "database-endpoint": `${database.hostname}:${database.port}`,
      "database-secret-arn": secret.ARN ?? "",
      "search-endpoint": endpoints.openSearchUrl,
      "index-alias": alias,
    };
    try {
      for (const [name, value] of Object.entries(parameters)) await ssm.send(new PutParameterCommand({ Name: `${prefix}/${name}`, Value: value, Type: "String" }));
      const env = loadEnv({ NODE_ENV: "test", HOST: "127.0.0.1", PORT: "0", AWS_REGION: "eu-west-1", RUNTIME_PARAMETER_PREFIX: prefix, DATABASE_TLS: "disable", DATABASE_SCHEMA: schema });
      const sources = { parameters: new SsmParameterReader(ssm), credentials: new SecretsManagerCredentialsReader(secrets) };
      const settings = await resolveRuntimeSettings(env, sources);
      expect(settings.database).toMatchObject({ host: database.hostname, port: Number(database.port), database: "shop", user: database.username, password: "unused-by-trust-auth", tls: "disable" });
      expect(settings.search).toEqual({ endpoint: endpoints.openSearchUrl, indexAlias: alias, auth: "none", region: "eu-west-1", timeoutMs: 5_000 });
      expect(settings.sources).toEqual({ databaseEndpoint: "ssm", databaseSecretArn: "ssm", searchEndpoint: "ssm", indexAlias: "ssm", databaseCredentials: "secret" });

      // The environment wins over SSM, and the whole service starts from these sources.
      const storefront = await Storefront.create({ env: { ...env, search: { ...env.search, indexAlias: alias } }, logger: silentLogger, migrationsDir: migrationsDir(), sources });
      try {
        const ready = await storefront.app.inject({ method: "GET", url: "/readyz" });
        expect(ready.json()).toEqual({ status: "ready", checks: { database: "ok", search: "ok" } });
        expect(storefront.settings.sources.indexAlias).toBe("env");
      } finally {
        await storefront.stop();
      }
    } finally {
      await ssm.send(new DeleteParametersCommand({ Names: Object.keys(parameters).map((name) => `${prefix}/${name}`) })).catch(() => undefined);
      await secrets.send(new DeleteSecretCommand({ SecretId: secret.ARN, ForceDeleteWithoutRecovery: true })).catch(() => undefined);
      ssm.destroy();
      secrets.destroy();
    }
  });

  it("names the missing parameter when SSM lacks one", async () => {
    const ssm = new SSMClient(aws);
    try {
      const prefix = `/shop-test/${uniqueName("empty")}/runtime`;
      const env = loadEnv({ RUNTIME_PARAMETER_PREFIX: prefix, AWS_REGION: "eu-west-1" });
      await expect(resolveRuntimeSettings(env, { parameters: new SsmParameterReader(ssm), credentials: undefined })).rejects.toThrow(`DATABASE_ENDPOINT: found nothing in the environment or the SSM parameter ${prefix}/database-endpoint`);
    } finally {
      ssm.destroy();
    }
  });

  it("never falls back to plain TCP: DATABASE_TLS=require against a server without TLS fails to start", async () => {
    await expect(Storefront.create({ env: loadEnv(baseEnv({ DATABASE_TLS: "require" })), logger: silentLogger, migrationsDir: migrationsDir() }))
      .rejects.toThrow(/does not support SSL/);
  });

  it("refuses verify-full without a CA bundle, naming DATABASE_CA_FILE", async () => {
    const env = loadEnv(baseEnv({ DATABASE_TLS: "verify-full" }));
    await expect(Storefront.create({ env, logger: silentLogger, migrationsDir: migrationsDir() })).rejects.toThrow(/DATABASE_CA_FILE/);
  });
});
