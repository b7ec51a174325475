import { describe, expect, it } from "vitest";
import { ConfigError, loadEnv } from "./env.js";
import type { ParameterReader } from "./parameters.js";
import { runtimeParameterName } from "./parameters.js";
import { resolveRuntimeSettings } from "./runtime.js";
import type { CredentialsReader, DatabaseCredentials } from "./secrets.js";

// Readers over fixed maps: the real SSM and Secrets Manager adapters are exercised against moto
// in test/server.integration.test.ts.
class MapParameters implements ParameterReader {
  readonly asked: string[][] = [];
  constructor(private readonly values: Record<string, string>) {}
  read(names: readonly string[]): Promise<Map<string, string>> {
    this.asked.push([...names]);
    return Promise.resolve(new Map(names.filter((name) => name in this.values).map((name) => [name, this.values[name] ?? ""])));
  }
}

class FixedCredentials implements CredentialsReader {
  readonly asked: string[] = [];
  read(secretArn: string): Promise<DatabaseCredentials> {
    this.asked.push(secretArn);
    return Promise.resolve({ username: "shop_admin", password: "s3cret" });
  }
}

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";
const PREFIX = "/shop-platform/prod/runtime";

describe("resolveRuntimeSettings", () => {
  it("uses the environment and reads the credentials from the secret", async () => {
    const credentials = new FixedCredentials();
    const env = loadEnv({ DATABASE_ENDPOINT: "db.internal:5433", DATABASE_SECRET_ARN: ARN, SEARCH_ENDPOINT: "https://vpc-search.eu-west-1.es.amazonaws.com", AWS_REGION: "eu-west-1" });
    const settings = await resolveRuntimeSettings(env, { parameters: undefined, credentials });
    expect(credentials.asked).toEqual([ARN]);
    expect(settings.database).toMatchObject({ host: "db.internal", port: 5433, database: "shop", user: "shop_admin", password: "s3cret", tls: "verify-full" });
    expect(settings.search).toEqual({ endpoint: "https://vpc-search.eu-west-1.es.amazonaws.com", indexAlias: "products", auth: "sigv4", region: "eu-west-1", timeoutMs: 5_000 });
    expect(settings.sources).toEqual({ databaseEndpoint: "env", databaseSecretArn: "env", searchEndpoint: "env", indexAlias: "default", databaseCredentials: "secret" });
  });

  it("reads only the parameters the environment lacks, by their exact names", async () => {
    const parameters = new MapParameters({
      [runtimeParameterName(PREFIX, "databaseEndpoint")]: "db.internal:5432",
      [runtimeParameterName(PREFIX, "databaseSecretArn")]: ARN,
      [runtimeParameterName(PREFIX, "searchEndpoint")]: "https://search.internal",
      [runtimeParameterName(PREFIX, "indexAlias")]: "products_v2",
    });
    const env = loadEnv({ RUNTIME_PARAMETER_PREFIX: PREFIX, SEARCH_INDEX_ALIAS: "products" });
    const settings = await resolveRuntimeSettings(env, { parameters, credentials: new FixedCredentials() });
    expect(parameters.asked).toEqual([[`${PREFIX}/database-endpoint`, `${PREFIX}/database-secret-arn`, `${PREFIX}/search-endpoint`]]);
    expect(settings.search.indexAlias).toBe("products");
    expect(settings.sources.databaseEndpoint).toBe("ssm");
  });

  it("names each parameter it could not find", async () => {
    const env = loadEnv({ RUNTIME_PARAMETER_PREFIX: PREFIX });
    const error = await resolveRuntimeSettings(env, { parameters: new MapParameters({}), credentials: new FixedCredentials() }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `DATABASE_ENDPOINT: found nothing in the environment or the SSM parameter ${PREFIX}/database-endpoint`,
      `DATABASE_SECRET_ARN: found nothing in the environment or the SSM parameter ${PREFIX}/database-secret-arn`,
      `SEARCH_ENDPOINT: found nothing in the environment or the SSM parameter ${PREFIX}/search-endpoint`,
    ]);
  });

  it("refuses a malformed value from SSM, naming it", async () => {
    const parameters = new MapParameters({ [runtimeParameterName(PREFIX, "databaseEndpoint")]: "no-port", [runtimeParameterName(PREFIX, "databaseSecretArn")]: ARN });
    const env = loadEnv({ RUNTIME_PARAMETER_PREFIX: PREFIX, SEARCH_ENDPOINT: "http://localhost:9200" });
    await expect(resolveRuntimeSettings(env, { parameters, credentials: new FixedCredentials() })).rejects.toThrow('DATABASE_ENDPOINT: found "no-port"; expected host:port');
  });

  it("takes everything from DATABASE_URL and signs nothing for an http search endpoint", async () => {
    const env = loadEnv({ DATABASE_URL: "postgres://shop:pw%40x@127.0.0.1:55432/shopdb", SEARCH_ENDPOINT: "http://127.0.0.1:59200", DATABASE_TLS: "disable" });
    const settings = await resolveRuntimeSettings(env, { parameters: undefined, credentials: undefined });
    expect(settings.database).toMatchObject({ host: "127.0.0.1", port: 55432, database: "shopdb", user: "shop", password: "pw@x", tls: "disable" });
    expect(settings.search.auth).toBe("none");
  });
});
