import { z } from "zod";
import { DATABASE_TLS_MODES, type DatabaseTlsMode } from "../db/tls.js";

// Every message completes the sentence "expected ...": the error prints it beside the value found.

const blankIsUnset = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankIsUnset, schema.optional());

const integer = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, { error: `an integer from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.int().min(min, { error: `an integer from ${min} to ${max}` }).max(max, { error: `an integer from ${min} to ${max}` }));

const flag = z.enum(["true", "false", "1", "0"], { error: "true or false" }).transform((value) => value === "true" || value === "1");

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `one of ${values.join(" | ")}` });

const text = (what: string) => z.string().trim().min(1, { error: what });

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;
const SSM_PREFIX = /^\/[A-Za-z0-9_.\-/]+$/;
const ALIAS = /^[a-z0-9][a-z0-9_-]{0,199}$/;
const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** The environment the app reads; names match components/web-tier/user-data.ts RUNTIME_ENVIRONMENT. */
const envSchema = z.object({
  NODE_ENV: optional(oneOf(["production", "development", "test"])),
  HOST: optional(text("a listen address such as 0.0.0.0")),
  PORT: optional(integer(0, 65_535)),
  LOG_LEVEL: optional(oneOf(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  AWS_REGION: optional(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "an AWS region such as eu-west-1" })),
  RUNTIME_PARAMETER_PREFIX: optional(z.string().regex(SSM_PREFIX, { error: "an SSM path such as /shop-platform/prod/runtime" })),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, { error: "a postgres:// URL" })),
  DATABASE_ENDPOINT: optional(z.string().regex(HOST_PORT, { error: "host:port of the database, such as shop-prod-db.abc.eu-west-1.rds.amazonaws.com:5432" })),
  DATABASE_SECRET_ARN: optional(z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/, { error: "a Secrets Manager secret ARN" })),
  DATABASE_NAME: optional(text("a database name")),
  DATABASE_SCHEMA: optional(z.string().regex(SCHEMA, { error: "a lower-case schema name (letters, digits, _)" })),
  DATABASE_TLS: optional(oneOf(DATABASE_TLS_MODES)),
  DATABASE_CA_FILE: optional(text("a path to a PEM file")),
  DATABASE_POOL_MAX: optional(integer(1, 200)),
  DATABASE_STATEMENT_TIMEOUT_MS: optional(integer(100, 600_000)),
  SEARCH_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: "an http(s):// URL of the OpenSearch endpoint" })),
  SEARCH_INDEX_ALIAS: optional(z.string().regex(ALIAS, { error: "an index alias: lower-case letters, digits, _ and -" })),
  SEARCH_AUTH: optional(oneOf(["sigv4", "none"])),
  SEARCH_TIMEOUT_MS: optional(integer(100, 60_000)),
  MIGRATE_ON_START: optional(flag),
  SHUTDOWN_TIMEOUT_MS: optional(integer(0, 600_000)),
  SHUTDOWN_DRAIN_DELAY_MS: optional(integer(0, 300_000)),
  PAYMENT_PROVIDER: optional(oneOf(["test"])),
  EMAIL_PROVIDER: optional(oneOf(["none", "log", "ses"])),
  EMAIL_FROM: optional(z.email({ error: "an email address" })),
  OUTBOX_POLL_MS: optional(integer(100, 3_600_000)),
  AWS_XRAY_DAEMON_ADDRESS: optional(z.string().regex(HOST_PORT, { error: "host:port of the X-Ray daemon, such as 127.0.0.1:2000" })),
  XRAY_SAMPLE_RATE: optional(z.string().regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: "a fraction from 0 to 1" }).transform(Number)),
  TRUST_PROXY: optional(flag),
  TLS_CERT_FILE: optional(text("a path to a PEM certificate")),
  TLS_KEY_FILE: optional(text("a path to a PEM private key")),
});

export type NodeEnv = "production" | "development" | "test";

export interface EnvSettings {
  nodeEnv: NodeEnv;
  host: string;
  port: number;
  logLevel: string;
  awsRegion: string | undefined;
  runtimeParameterPrefix: string | undefined;
  database: {
    url: string | undefined;
    endpoint: string | undefined;
    secretArn: string | undefined;
    name: string;
    schema: string;
    tls: DatabaseTlsMode;
    caFile: string | undefined;
    poolMax: number;
    statementTimeoutMs: number;
  };
  search: {
    endpoint: string | undefined;
    indexAlias: string | undefined;
    /** Undefined: SigV4 for https endpoints, none for http. */
    auth: "sigv4" | "none" | undefined;
    timeoutMs: number;
  };
  migrateOnStart: boolean;
  shutdown: { timeoutMs: number; drainDelayMs: number };
  paymentProvider: "test";
  email: { provider: "none" | "log" | "ses"; from: string | undefined; pollMs: number };
  xray: { daemonAddress: string | undefined; sampleRate: number };
  trustProxy: boolean;
  /** Serve HTTPS with this certificate and key (both PEM files); undefined: plain HTTP. */
  tls: { certFile: string; keyFile: string } | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`the storefront's configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

function shown(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** Values that never reach an error message. */
const SECRET_VARIABLES = new Set(["DATABASE_URL"]);

export interface EnvDefaults {
  /** The RDS CA bundle shipped beside the entry script, when there is one. */
  caFile?: string;
}

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name]?.trim() ?? "") !== "";
}

/** Rules across variables, checked on the raw environment so that they join the per-variable problems. */
function crossProblems(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env.EMAIL_PROVIDER?.trim() === "ses" && !isSet(env, "EMAIL_FROM")) problems.push("EMAIL_FROM: found nothing; expected the sender address when EMAIL_PROVIDER=ses");
  const fromSsm = isSet(env, "RUNTIME_PARAMETER_PREFIX");
  if (!isSet(env, "DATABASE_URL") && !isSet(env, "DATABASE_ENDPOINT") && !fromSsm) {
    problems.push("DATABASE_ENDPOINT: found nothing; expected host:port, or RUNTIME_PARAMETER_PREFIX to read it from SSM, or DATABASE_URL");
  }
  if (!isSet(env, "SEARCH_ENDPOINT") && !fromSsm) {
    problems.push("SEARCH_ENDPOINT: found nothing; expected the OpenSearch endpoint, or RUNTIME_PARAMETER_PREFIX to read it from SSM");
  }
  const [cert, key] = [isSet(env, "TLS_CERT_FILE"), isSet(env, "TLS_KEY_FILE")];
  if (cert !== key) {
    const [missing, present] = cert ? ["TLS_KEY_FILE", "TLS_CERT_FILE"] : ["TLS_CERT_FILE", "TLS_KEY_FILE"];
    problems.push(`${missing}: found nothing; expected it together with ${present} (HTTPS needs both the certificate and the key; set neither for plain HTTP)`);
  }
  return problems;
}

/** Reads and checks the environment; every bad variable is reported at once. */
export function loadEnv(env: NodeJS.ProcessEnv, defaults: EnvDefaults = {}): EnvSettings {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "?");
    const value = SECRET_VARIABLES.has(name) ? "(hidden)" : shown(env[name]);
    return `${name}: found ${value}; expected ${issue.message}`;
  });
  problems.push(...crossProblems(env));
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV ?? "production",
    host: e.HOST ?? "0.0.0.0",
    port: e.PORT ?? 8080,
    logLevel: e.LOG_LEVEL ?? "info",
    awsRegion: e.AWS_REGION,
    runtimeParameterPrefix: e.RUNTIME_PARAMETER_PREFIX?.replace(/\/+$/, ""),
    database: {
      url: e.DATABASE_URL,
      endpoint: e.DATABASE_ENDPOINT,
      secretArn: e.DATABASE_SECRET_ARN,
      name: e.DATABASE_NAME ?? "shop",
      schema: e.DATABASE_SCHEMA ?? "catalog",
      tls: e.DATABASE_TLS ?? "verify-full",
      caFile: e.DATABASE_CA_FILE ?? defaults.caFile,
      poolMax: e.DATABASE_POOL_MAX ?? 10,
      statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? 10_000,
    },
    search: {
      endpoint: e.SEARCH_ENDPOINT?.replace(/\/+$/, ""),
      indexAlias: e.SEARCH_INDEX_ALIAS,
      auth: e.SEARCH_AUTH,
      timeoutMs: e.SEARCH_TIMEOUT_MS ?? 5_000,
    },
    migrateOnStart: e.MIGRATE_ON_START ?? true,
    shutdown: { timeoutMs: e.SHUTDOWN_TIMEOUT_MS ?? 25_000, drainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS ?? 0 },
    paymentProvider: e.PAYMENT_PROVIDER ?? "test",
    email: { provider: e.EMAIL_PROVIDER ?? "none", from: e.EMAIL_FROM, pollMs: e.OUTBOX_POLL_MS ?? 5_000 },
    xray: { daemonAddress: e.AWS_XRAY_DAEMON_ADDRESS, sampleRate: e.XRAY_SAMPLE_RATE ?? 0.05 },
    trustProxy: e.TRUST_PROXY ?? true,
    tls: e.TLS_CERT_FILE !== undefined && e.TLS_KEY_FILE !== undefined ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : undefined,
  };
}
