import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DescribeDomainCommand, OpenSearchClient, ResourceNotFoundException } from "@aws-sdk/client-opensearch";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stackOutputs } from "../../test/stack-outputs.js";
import { databaseTls, defaultStackAws, endpointsFromFlags, endpointsFromStack, redact, sourceFromUrl, targetFromUrl } from "./endpoints.js";
import { amazonOpenSearchRegion } from "./search.js";

const ssm = mockClient(SSMClient);
const secrets = mockClient(SecretsManagerClient);
const opensearch = mockClient(OpenSearchClient);
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-abc-123";
const outputs = stackOutputs("prod");
const env = { AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret", AWS_REGION: "eu-west-1" };

function parameters(prefix: string, values: { endpoint?: string; secret?: string; alias?: string }) {
  const all = [
    { Name: `/${prefix}/database/endpoint`, Value: values.endpoint },
    { Name: `/${prefix}/database/secret-arn`, Value: values.secret },
    { Name: `/${prefix}/search/index-alias`, Value: values.alias },
  ];
  return {
    Parameters: all.filter((parameter) => parameter.Value !== undefined),
    InvalidParameters: all.filter((parameter) => parameter.Value === undefined).map((parameter) => parameter.Name),
  };
}

beforeEach(() => {
  ssm.on(GetParametersCommand).resolves(parameters("shop-prod", { endpoint: "shop-prod-db.abc.eu-west-1.rds.amazonaws.com:5432", secret: SECRET_ARN, alias: "products" }));
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ username: "shop_admin", password: "s3cr3t" }) });
  opensearch.on(DescribeDomainCommand, { DomainName: "shop-prod-search" }).resolves({
    DomainStatus: { DomainId: "1", DomainName: "shop-prod-search", ARN: "arn", ClusterConfig: {}, Endpoints: { vpc: "vpc-shop-prod-search-abc.eu-west-1.es.amazonaws.com" } },
  });
});
afterEach(() => {
  for (const mock of [ssm, secrets, opensearch]) mock.reset();
});

describe("stack mode", () => {
  const tls = { rejectUnauthorized: true, ca: "CA" };

  it("finds the writer database, its credentials and the domain's VPC endpoint, signed with SigV4", async () => {
    const resolved = await endpointsFromStack(outputs, "primary", defaultStackAws(env), tls);
    expect(resolved.source.config).toEqual({ host: "shop-prod-db.abc.eu-west-1.rds.amazonaws.com", port: 5432, database: "shop", user: "shop_admin", password: "s3cr3t", ssl: tls });
    expect(resolved.source.display).toBe("postgres://shop-prod-db.abc.eu-west-1.rds.amazonaws.com:5432/shop");
    expect(resolved.source.display).not.toContain("s3cr3t");
    expect(resolved.target).toEqual({ url: "https://vpc-shop-prod-search-abc.eu-west-1.es.amazonaws.com", display: "https://vpc-shop-prod-search-abc.eu-west-1.es.amazonaws.com", sigv4: { region: "eu-west-1" } });
    expect(resolved.alias).toBe("products");
    expect(ssm.commandCalls(GetParametersCommand)[0]?.args[0].input.Names).toEqual(["/shop-prod/database/endpoint", "/shop-prod/database/secret-arn", "/shop-prod/search/index-alias"]);
  });

  it("connects to the database the outputs name", async () => {
    const resolved = await endpointsFromStack({ ...outputs, databaseName: "catalog_db" }, "primary", defaultStackAws(env), tls);
    expect(resolved.source.config).toMatchObject({ database: "catalog_db" });
    expect(resolved.source.display).toBe("postgres://shop-prod-db.abc.eu-west-1.rds.amazonaws.com:5432/catalog_db");
  });

  it("uses a public domain's endpoint when it has no VPC endpoint", async () => {
    opensearch.on(DescribeDomainCommand).resolves({ DomainStatus: { DomainId: "1", DomainName: "x", ARN: "arn", ClusterConfig: {}, Endpoint: "search-shop-prod-search-abc.eu-west-1.es.amazonaws.com" } });
    const resolved = await endpointsFromStack(outputs, "primary", defaultStackAws(env), tls);
    expect(resolved.target.url).toBe("https://search-shop-prod-search-abc.eu-west-1.es.amazonaws.com");
  });

  it("reads the DR region's parameters and domain for --region dr", async () => {
    ssm.on(GetParametersCommand).resolves(parameters("shop-prod-dr", { endpoint: "dr-db.eu-central-1.rds.amazonaws.com:5432", secret: SECRET_ARN, alias: "products" }));
    opensearch.on(DescribeDomainCommand, { DomainName: "shop-prod-dr-search" }).resolves({ DomainStatus: { DomainId: "2", DomainName: "shop-prod-dr-search", ARN: "arn", ClusterConfig: {}, Endpoints: { vpc: "vpc-dr.eu-central-1.es.amazonaws.com" } } });
    const resolved = await endpointsFromStack(outputs, "dr", defaultStackAws(env), tls);
    expect(resolved.source.config.host).toBe("dr-db.eu-central-1.rds.amazonaws.com");
    expect(resolved.target).toMatchObject({ url: "https://vpc-dr.eu-central-1.es.amazonaws.com", sigv4: { region: "eu-central-1" } });
    expect(ssm.commandCalls(GetParametersCommand)[0]?.args[0].input.Names?.[0]).toBe("/shop-prod-dr/database/endpoint");
  });

  it("refuses --region dr on a stack without DR", async () => {
    const { dr: _dr, ...withoutDr } = stackOutputs("dev", { drStrategy: "none" });
    await expect(endpointsFromStack(withoutDr, "dr", defaultStackAws(env), tls)).rejects.toThrow("stack dev has no DR region (drStrategy none); --region dr needs one");
  });

  it("names a missing runtime parameter", async () => {
    ssm.on(GetParametersCommand).resolves(parameters("shop-prod", { endpoint: "db:5432", alias: "products" }));
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow("SSM parameter /shop-prod/database/secret-arn in eu-west-1 is missing or empty");
  });

  it("names the region when the runtime parameters cannot be read", async () => {
    ssm.on(GetParametersCommand).rejects(Object.assign(new Error("User is not authorized to perform ssm:GetParameters"), { name: "AccessDeniedException" }));
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow("could not read the stack's runtime parameters in eu-west-1: AccessDeniedException: User is not authorized");
  });

  it("refuses a database endpoint that is not host:port", async () => {
    ssm.on(GetParametersCommand).resolves(parameters("shop-prod", { endpoint: "db.example.com", secret: SECRET_ARN, alias: "products" }));
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow('SSM parameter /shop-prod/database/endpoint holds "db.example.com"; expected host:port');
  });

  it("refuses a secret without a password, without printing the secret", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ username: "shop_admin", pass: "s3cr3t" }) });
    const failure = endpointsFromStack(outputs, "primary", defaultStackAws(env), tls);
    await expect(failure).rejects.toThrow(`the database secret ${SECRET_ARN} lacks a username or a password`);
    await expect(failure).rejects.not.toThrow("s3cr3t");
  });

  it("refuses a secret that is not JSON", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "hunter2" });
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow(`the database secret ${SECRET_ARN} is not a JSON object with username and password`);
  });

  it("names a domain that does not exist", async () => {
    opensearch.on(DescribeDomainCommand).rejects(new ResourceNotFoundException({ message: "Domain not found", $metadata: {} }));
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow("OpenSearch domain shop-prod-search does not exist in eu-west-1");
  });

  it("names a domain still being created", async () => {
    opensearch.on(DescribeDomainCommand).resolves({ DomainStatus: { DomainId: "1", DomainName: "x", ARN: "arn", ClusterConfig: {}, Processing: true } });
    await expect(endpointsFromStack(outputs, "primary", defaultStackAws(env), tls)).rejects.toThrow("OpenSearch domain shop-prod-search in eu-west-1 has no endpoint yet (it is still being created or changed)");
  });
});

describe("database TLS", () => {
  it("reads the CA bundle from --db-ca-file, else PGSSLROOTCERT", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shopctl-ca-"));
    const file = path.join(dir, "bundle.pem");
    writeFileSync(file, "-----BEGIN CERTIFICATE-----\n");
    expect(databaseTls(file, {})).toEqual({ ca: "-----BEGIN CERTIFICATE-----\n", rejectUnauthorized: true });
    expect(databaseTls(undefined, { PGSSLROOTCERT: file })).toEqual({ ca: "-----BEGIN CERTIFICATE-----\n", rejectUnauthorized: true });
  });
  it("never turns verification off", () => {
    expect(databaseTls(undefined, { NODE_EXTRA_CA_CERTS: "/etc/ssl/rds.pem" })).toEqual({ rejectUnauthorized: true });
  });
  it("asks for the CA bundle when none is given", () => {
    expect(() => databaseTls(undefined, {})).toThrow("pass --db-ca-file PATH");
  });
  it("names an unreadable CA file", () => {
    expect(() => databaseTls("/nonexistent/ca.pem", {})).toThrow("cannot read the database CA bundle /nonexistent/ca.pem");
  });
});

describe("flags mode", () => {
  it("takes both URLs; a local target is not signed", () => {
    const resolved = endpointsFromFlags({ source: "postgres://shop:pw@127.0.0.1:55432/shop", target: "http://127.0.0.1:59200/" });
    expect(resolved.source).toEqual({ config: { connectionString: "postgres://shop:pw@127.0.0.1:55432/shop" }, display: "postgres://127.0.0.1:55432/shop" });
    expect(resolved.target).toEqual({ url: "http://127.0.0.1:59200", display: "http://127.0.0.1:59200" });
  });

  it("signs an Amazon OpenSearch Service endpoint", () => {
    expect(targetFromUrl("https://vpc-shop-abc123.eu-central-1.es.amazonaws.com").sigv4).toEqual({ region: "eu-central-1" });
    expect(amazonOpenSearchRegion("search-x.us-gov-west-1.es.amazonaws.com")).toBe("us-gov-west-1");
    expect(amazonOpenSearchRegion("localhost")).toBeUndefined();
  });

  it.each([
    [{ target: "http://x" }, "missing --source"],
    [{ source: "postgres://x/db" }, "missing --target"],
  ])("needs both URLs: %j", (flags, message) => {
    expect(() => endpointsFromFlags(flags)).toThrow(message);
  });

  it.each([
    ["not a url", '--source "not a url" is not a URL; expected e.g. postgres://'],
    ["mysql://h/db", '--source "mysql://h/db" has protocol mysql:; expected postgres: or postgresql:'],
    ["postgres://user:hunter2@/db", '--source "postgres://user:***@/db" is not a URL'],
    ["postgres:///db", '--source "postgres:///db" names no host'],
  ])("refuses the source %j", (value, message) => {
    expect(() => sourceFromUrl(value)).toThrow(message);
  });

  it.each([
    ["ftp://h", '--target "ftp://h" has protocol ftp:; expected http: or https:'],
    ["https://admin:pw@h:9200", "--target must not carry credentials"],
  ])("refuses the target %j", (value, message) => {
    expect(() => targetFromUrl(value)).toThrow(message);
  });

  it("redacts passwords", () => {
    expect(redact("postgres://shop:hunter2@h:5432/db")).toBe("postgres://shop:***@h:5432/db");
    expect(redact("postgres://shop:hunter2@")).not.toContain("hunter2");
  });
});
