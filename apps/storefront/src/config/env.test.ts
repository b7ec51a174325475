import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "./env.js";

const minimal = { DATABASE_ENDPOINT: "db.example.internal:5432", DATABASE_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", SEARCH_ENDPOINT: "https://search.example.internal" };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("loadEnv accepted the environment");
}

describe("loadEnv", () => {
  it("defaults to the production choices", () => {
    const env = loadEnv(minimal);
    expect(env).toMatchObject({
      nodeEnv: "production",
      host: "0.0.0.0",
      port: 8080,
      logLevel: "info",
      database: { name: "shop", schema: "catalog", tls: "verify-full", poolMax: 10, statementTimeoutMs: 10_000 },
      search: { endpoint: "https://search.example.internal", indexAlias: undefined, auth: undefined },
      migrateOnStart: true,
      shutdown: { timeoutMs: 25_000, drainDelayMs: 0 },
      paymentProvider: "test",
      email: { provider: "none" },
      xray: { daemonAddress: undefined, sampleRate: 0.05 },
      trustProxy: true,
    });
  });

  it("reads what the web tier's unit file sets", () => {
    const env = loadEnv({ ...minimal, PORT: "8081", NODE_ENV: "production", AWS_REGION: "eu-west-1", SEARCH_INDEX_ALIAS: "products", AWS_XRAY_DAEMON_ADDRESS: "127.0.0.1:2000" });
    expect(env).toMatchObject({ port: 8081, awsRegion: "eu-west-1", search: { indexAlias: "products" }, xray: { daemonAddress: "127.0.0.1:2000" } });
  });

  it("uses the shipped CA bundle unless DATABASE_CA_FILE names another", () => {
    expect(loadEnv(minimal, { caFile: "/opt/app/certs/rds.pem" }).database.caFile).toBe("/opt/app/certs/rds.pem");
    expect(loadEnv({ ...minimal, DATABASE_CA_FILE: "/etc/rds.pem" }, { caFile: "/opt/app/certs/rds.pem" }).database.caFile).toBe("/etc/rds.pem");
  });

  it("treats blank variables as unset", () => {
    expect(loadEnv({ ...minimal, PORT: "  ", LOG_LEVEL: "" }).port).toBe(8080);
  });

  it("accepts SSM in place of the endpoints", () => {
    expect(loadEnv({ RUNTIME_PARAMETER_PREFIX: "/shop-platform/prod/runtime/" }).runtimeParameterPrefix).toBe("/shop-platform/prod/runtime");
  });

  it("reports every bad variable at once, with the value found and what is expected", () => {
    expect(problemsOf({ PORT: "eighty", DATABASE_TLS: "maybe", SEARCH_ENDPOINT: "ftp://x", XRAY_SAMPLE_RATE: "2", MIGRATE_ON_START: "sometimes" })).toEqual([
      'PORT: found "eighty"; expected an integer from 0 to 65535',
      'DATABASE_TLS: found "maybe"; expected one of verify-full | require | disable',
      'SEARCH_ENDPOINT: found "ftp://x"; expected an http(s):// URL of the OpenSearch endpoint',
      'MIGRATE_ON_START: found "sometimes"; expected true or false',
      'XRAY_SAMPLE_RATE: found "2"; expected a fraction from 0 to 1',
      "DATABASE_ENDPOINT: found nothing; expected host:port, or RUNTIME_PARAMETER_PREFIX to read it from SSM, or DATABASE_URL",
    ]);
  });

  it("names the missing endpoints", () => {
    expect(problemsOf({})).toEqual([
      "DATABASE_ENDPOINT: found nothing; expected host:port, or RUNTIME_PARAMETER_PREFIX to read it from SSM, or DATABASE_URL",
      "SEARCH_ENDPOINT: found nothing; expected the OpenSearch endpoint, or RUNTIME_PARAMETER_PREFIX to read it from SSM",
    ]);
  });

  it("refuses malformed endpoints, ARNs, aliases and schemas", () => {
    expect(problemsOf({ ...minimal, DATABASE_ENDPOINT: "db.example.internal" })[0]).toMatch(/^DATABASE_ENDPOINT: found "db.example.internal"; expected host:port/);
    expect(problemsOf({ ...minimal, DATABASE_SECRET_ARN: "my-secret" })[0]).toMatch(/^DATABASE_SECRET_ARN: .*a Secrets Manager secret ARN/);
    expect(problemsOf({ ...minimal, SEARCH_INDEX_ALIAS: "Products" })[0]).toMatch(/^SEARCH_INDEX_ALIAS: found "Products"/);
    expect(problemsOf({ ...minimal, DATABASE_SCHEMA: "cat-alog" })[0]).toMatch(/^DATABASE_SCHEMA: found "cat-alog"/);
    expect(problemsOf({ ...minimal, RUNTIME_PARAMETER_PREFIX: "shop/runtime" })[0]).toMatch(/^RUNTIME_PARAMETER_PREFIX: .*an SSM path/);
  });

  it("needs EMAIL_FROM for SES", () => {
    expect(problemsOf({ ...minimal, EMAIL_PROVIDER: "ses" })).toEqual(["EMAIL_FROM: found nothing; expected the sender address when EMAIL_PROVIDER=ses"]);
    expect(loadEnv({ ...minimal, EMAIL_PROVIDER: "ses", EMAIL_FROM: "shop@example.com" }).email).toMatchObject({ provider: "ses", from: "shop@example.com" });
  });

  it("never prints DATABASE_URL, which may hold a password", () => {
    const problems = problemsOf({ DATABASE_URL: "mysql://user:hunter2@db/shop", SEARCH_ENDPOINT: "http://localhost:9200" });
    expect(problems).toEqual(["DATABASE_URL: found (hidden); expected a postgres:// URL"]);
  });
});
