import type { DatabaseSettings } from "../db/pool.js";
import { ConfigError, type EnvSettings } from "./env.js";
import { type ParameterReader, type RuntimeParameter, runtimeParameterName } from "./parameters.js";
import type { CredentialsReader } from "./secrets.js";

export interface SearchSettings {
  endpoint: string;
  indexAlias: string;
  auth: "sigv4" | "none";
  region: string | undefined;
  timeoutMs: number;
}

export interface RuntimeSettings {
  database: DatabaseSettings;
  search: SearchSettings;
  /** Where each value came from, for the startup log (never a secret). */
  sources: Record<string, "env" | "ssm" | "default" | "secret">;
}

export interface RuntimeSources {
  parameters: ParameterReader | undefined;
  credentials: CredentialsReader | undefined;
}

const ENV_NAMES: Record<RuntimeParameter, string> = {
  databaseEndpoint: "DATABASE_ENDPOINT",
  databaseSecretArn: "DATABASE_SECRET_ARN",
  searchEndpoint: "SEARCH_ENDPOINT",
  indexAlias: "SEARCH_INDEX_ALIAS",
};

function hostPort(value: string, name: string): { host: string; port: number } {
  const match = /^([A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match?.[1] === undefined || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new ConfigError([`${name}: found ${JSON.stringify(value)}; expected host:port`]);
  }
  return { host: match[1], port };
}

function fromUrl(url: string, env: EnvSettings): DatabaseSettings {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port === "" ? 5432 : Number(parsed.port),
    database: parsed.pathname.replace(/^\//, "") || env.database.name,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    tls: env.database.tls,
    caFile: env.database.caFile,
    poolMax: env.database.poolMax,
    statementTimeoutMs: env.database.statementTimeoutMs,
  };
}

/**
 * The settings the app needs at run time: the environment first (the instance's unit file gets
 * them from the runtime SSM parameters at every start), then the SSM parameters under
 * RUNTIME_PARAMETER_PREFIX, then defaults; the database credentials from Secrets Manager.
 */
export async function resolveRuntimeSettings(env: EnvSettings, sources: RuntimeSources): Promise<RuntimeSettings> {
  const provenance: RuntimeSettings["sources"] = {};
  const fromEnv: Partial<Record<RuntimeParameter, string>> = {
    databaseEndpoint: env.database.endpoint,
    databaseSecretArn: env.database.secretArn,
    searchEndpoint: env.search.endpoint,
    indexAlias: env.search.indexAlias,
  };
  const needed = (Object.keys(ENV_NAMES) as RuntimeParameter[]).filter((key) => fromEnv[key] === undefined && !(env.database.url !== undefined && key.startsWith("database")));
  const fromSsm = new Map<RuntimeParameter, string>();
  if (needed.length > 0 && env.runtimeParameterPrefix !== undefined) {
    if (sources.parameters === undefined) throw new Error("RUNTIME_PARAMETER_PREFIX is set but no SSM client was given");
    const prefix = env.runtimeParameterPrefix;
    const values = await sources.parameters.read(needed.map((key) => runtimeParameterName(prefix, key)));
    for (const key of needed) {
      const value = values.get(runtimeParameterName(prefix, key));
      if (value !== undefined) fromSsm.set(key, value);
    }
  }
  const problems: string[] = [];
  const value = (key: RuntimeParameter, required: boolean): string | undefined => {
    const found = fromEnv[key] ?? fromSsm.get(key);
    if (found !== undefined) {
      provenance[key] = fromEnv[key] !== undefined ? "env" : "ssm";
      return found;
    }
    if (required) {
      const where = env.runtimeParameterPrefix === undefined ? "" : ` or the SSM parameter ${runtimeParameterName(env.runtimeParameterPrefix, key)}`;
      problems.push(`${ENV_NAMES[key]}: found nothing in the environment${where}`);
    }
    return undefined;
  };

  const usesUrl = env.database.url !== undefined;
  const endpoint = usesUrl ? undefined : value("databaseEndpoint", true);
  const secretArn = usesUrl ? undefined : value("databaseSecretArn", true);
  const searchEndpoint = value("searchEndpoint", true);
  let indexAlias = value("indexAlias", false);
  if (indexAlias === undefined) {
    indexAlias = "products";
    provenance.indexAlias = "default";
  }
  if (searchEndpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(searchEndpoint)) {
    problems.push(`SEARCH_ENDPOINT: found ${JSON.stringify(searchEndpoint)}; expected an http(s):// URL`);
  }
  if (!/^[a-z0-9][a-z0-9_-]{0,199}$/.test(indexAlias)) problems.push(`SEARCH_INDEX_ALIAS: found ${JSON.stringify(indexAlias)}; expected an index alias`);
  if (problems.length > 0 || searchEndpoint === undefined) throw new ConfigError(problems);

  let database: DatabaseSettings;
  if (env.database.url !== undefined) {
    database = fromUrl(env.database.url, env);
  } else {
    if (endpoint === undefined || secretArn === undefined) throw new ConfigError(problems);
    const { host, port } = hostPort(endpoint, ENV_NAMES.databaseEndpoint);
    if (sources.credentials === undefined) throw new Error("DATABASE_SECRET_ARN is set but no Secrets Manager client was given");
    const credentials = await sources.credentials.read(secretArn);
    provenance.databaseCredentials = "secret";
    database = {
      host,
      port,
      database: env.database.name,
      user: credentials.username,
      password: credentials.password,
      tls: env.database.tls,
      caFile: env.database.caFile,
      poolMax: env.database.poolMax,
      statementTimeoutMs: env.database.statementTimeoutMs,
    };
  }
  const endpointUrl = searchEndpoint.replace(/\/+$/, "");
  return {
    database,
    search: {
      endpoint: endpointUrl,
      indexAlias,
      auth: env.search.auth ?? (endpointUrl.startsWith("https://") ? "sigv4" : "none"),
      region: env.awsRegion,
      timeoutMs: env.search.timeoutMs,
    },
    sources: provenance,
  };
}
