import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeDomainCommand, OpenSearchClient } from "@aws-sdk/client-opensearch";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { memoryIo } from "../../test/memory-io.js";
import { stackOutputs } from "../../test/stack-outputs.js";
import { StubEngine, stubDeps } from "../../test/stub-engine.js";
import { RefusedError, UsageError } from "../exit-codes.js";
import { defaultStackAws } from "./endpoints.js";
import { resolveConnection, type ConnectionNeeds, type ConnectionOptions } from "./connection.js";

const ssm = mockClient(SSMClient);
const secrets = mockClient(SecretsManagerClient);
const opensearch = mockClient(OpenSearchClient);
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-abc";

let scratch = "";
let caFile = "";
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "shopctl-connection-"));
  caFile = path.join(scratch, "rds-bundle.pem");
  await writeFile(caFile, "-----BEGIN CERTIFICATE-----\nRDS\n-----END CERTIFICATE-----\n");
});
afterAll(async () => { await rm(scratch, { recursive: true, force: true }); });

beforeEach(() => {
  ssm.on(GetParametersCommand).resolves({
    Parameters: [
      { Name: "/shop-prod/database/endpoint", Value: "shop-prod-db.eu-west-1.rds.amazonaws.com:5432" },
      { Name: "/shop-prod/database/secret-arn", Value: SECRET_ARN },
      { Name: "/shop-prod/search/index-alias", Value: "products" },
    ],
  });
  secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"shop_admin","password":"pw"}' });
  opensearch.on(DescribeDomainCommand).resolves({ DomainStatus: { DomainId: "1", DomainName: "shop-prod-search", ARN: "arn", ClusterConfig: {}, Endpoints: { vpc: "vpc-shop-prod.eu-west-1.es.amazonaws.com" } } });
});
afterEach(() => { for (const mock of [ssm, secrets, opensearch]) mock.reset(); });

const io = (env: NodeJS.ProcessEnv = {}) => memoryIo({ SHOPCTL_HOME: path.join(scratch, "home"), AWS_ACCESS_KEY_ID: "AKID", AWS_SECRET_ACCESS_KEY: "x", ...env });
const options = (overrides: Partial<ConnectionOptions> = {}): ConnectionOptions => ({ json: false, region: "primary", schema: "catalog", ...overrides });
const reindexNeeds: ConnectionNeeds = { source: "required", target: "required", sourceFlag: "--source", targetFlag: "--target" };
const deps = (tier: "dev" | "prod" = "prod") => {
  const live = stubDeps({ engine: new StubEngine({ outputs: { values: stackOutputs(tier === "prod" ? "prod" : "dev", { tier }), secretKeys: [] } }) });
  return { live, stackAws: defaultStackAws };
};

describe("resolveConnection, stack mode", () => {
  it("reads the stack's outputs after the read-only preflight, then the database and the domain", async () => {
    const injected = deps();
    const connection = await resolveConnection(options({ stack: "prod", dbCaFile: caFile }), {}, reindexNeeds, io(), injected);
    expect(connection.stack).toEqual({ name: "prod", tier: "prod" });
    expect(connection.alias).toBe("products");
    expect(connection.source?.config).toMatchObject({ host: "shop-prod-db.eu-west-1.rds.amazonaws.com", port: 5432, database: "shop", user: "shop_admin", ssl: { rejectUnauthorized: true } });
    expect(connection.target).toMatchObject({ url: "https://vpc-shop-prod.eu-west-1.es.amazonaws.com", sigv4: { region: "eu-west-1" } });
    expect(injected.live.checkInputs[0]?.only).toEqual(["node", "pulumi", "backend", "secrets"]);
    expect(injected.live.engine.calls).toEqual(["outputs"]);
  });

  it("refuses a tier before touching the stack or AWS (seed on prod)", async () => {
    const injected = deps();
    const refusal = resolveConnection(options({ stack: "prod" }), {}, { source: "required", target: "none", sourceFlag: "--database", refuseTiers: ["prod"], refusal: "seed is refused on prod" }, io(), injected);
    await expect(refusal).rejects.toBeInstanceOf(RefusedError);
    await expect(refusal).rejects.toThrow("seed is refused on prod");
    expect(injected.live.enginesCreated()).toBe(0);
    expect(ssm.calls()).toHaveLength(0);
  });

  it("asks for the RDS CA bundle rather than connecting unverified", async () => {
    await expect(resolveConnection(options({ stack: "prod" }), {}, reindexNeeds, io(), deps())).rejects.toThrow("pass --db-ca-file PATH");
  });

  it("leaves out an optional database (status) when no CA bundle is given", async () => {
    const connection = await resolveConnection(options({ stack: "prod" }), {}, { ...reindexNeeds, source: "optional" }, io(), deps());
    expect(connection.source).toBeUndefined();
    expect(connection.target?.url).toBe("https://vpc-shop-prod.eu-west-1.es.amazonaws.com");
    const withCa = await resolveConnection(options({ stack: "prod", dbCaFile: caFile }), {}, { ...reindexNeeds, source: "optional" }, io(), deps());
    expect(withCa.source?.config.host).toBe("shop-prod-db.eu-west-1.rds.amazonaws.com");
  });

  it("needs no database or CA bundle when only the cluster is wanted", async () => {
    const connection = await resolveConnection(options({ stack: "prod" }), {}, { ...reindexNeeds, source: "none" }, io(), deps());
    expect(connection.source).toBeUndefined();
    expect(connection.target?.url).toBe("https://vpc-shop-prod.eu-west-1.es.amazonaws.com");
    expect(secrets.calls()).toHaveLength(0);
  });
});

describe("resolveConnection, usage errors", () => {
  it("refuses --stack together with URLs", async () => {
    const failure = resolveConnection(options({ stack: "prod" }), { source: "postgres://h/db", target: "http://h:9200" }, reindexNeeds, io(), deps());
    await expect(failure).rejects.toBeInstanceOf(UsageError);
    await expect(failure).rejects.toThrow("pass either --stack (or SHOPCTL_STACK) or --source and --target, not both");
  });

  it("names both ways when neither is given and there is no terminal", async () => {
    await expect(resolveConnection(options(), {}, reindexNeeds, io(), deps())).rejects.toThrow("pass --stack NAME, or --source and --target; there is no terminal to ask on");
  });

  it("needs the target with the source", async () => {
    await expect(resolveConnection(options(), { source: "postgres://h/db" }, reindexNeeds, io(), deps())).rejects.toThrow("--target is required with --source");
  });

  it("allows the database alone where it is optional (status)", async () => {
    const connection = await resolveConnection(options(), { target: "http://127.0.0.1:9200" }, { ...reindexNeeds, source: "optional" }, io(), deps());
    expect(connection).toEqual({ target: { url: "http://127.0.0.1:9200", display: "http://127.0.0.1:9200" } });
  });
});
