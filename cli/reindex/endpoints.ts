import { readFileSync } from "node:fs";
import type { PoolConfig } from "pg";
import type { RegionOutputs, StackOutputs } from "../../stacks/outputs.js";
import { UsageError } from "../exit-codes.js";
import { amazonOpenSearchRegion, type SearchTarget } from "./search.js";

/** The catalog database: connection settings plus a form safe to print (never a password). */
export interface SourceEndpoint {
  config: PoolConfig;
  display: string;
}

export interface TargetEndpoint extends SearchTarget {
  display: string;
}

export interface ResolvedEndpoints {
  source: SourceEndpoint;
  target: TargetEndpoint;
  /** The alias the stack's app searches (its SSM parameter); flags mode leaves it to --alias. */
  alias?: string;
}

/** The database the Database component creates by default; outputs from before `databaseName` was exported mean this one. */
export const STACK_DATABASE_NAME = "shop";

function parseUrl(value: string, flag: string, protocols: readonly string[], example: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} "${redact(value)}" is not a URL; expected e.g. ${example}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new UsageError(`${flag} "${redact(value)}" has protocol ${url.protocol}; expected ${protocols.join(" or ")} (e.g. ${example})`);
  }
  if (url.hostname === "") throw new UsageError(`${flag} "${redact(value)}" names no host; expected e.g. ${example}`);
  return url;
}

/** A URL as typed, without its password, for messages. */
export function redact(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, "//$1:***@");
}

export function sourceFromUrl(value: string, flag = "--source"): SourceEndpoint {
  const url = parseUrl(value, flag, ["postgres:", "postgresql:"], "postgres://shop@127.0.0.1:5432/shop");
  return { config: { connectionString: value }, display: `${url.protocol}//${url.host}${url.pathname}` };
}

/** A target URL; Amazon OpenSearch Service endpoints (`*.es.amazonaws.com`) are signed with SigV4. */
export function targetFromUrl(value: string, flag = "--target"): TargetEndpoint {
  const url = parseUrl(value, flag, ["http:", "https:"], "http://127.0.0.1:9200");
  if (url.username !== "" || url.password !== "") {
    throw new UsageError(`${flag} must not carry credentials; Amazon OpenSearch Service is reached with SigV4 and the AWS credential chain`);
  }
  const region = amazonOpenSearchRegion(url.hostname);
  return { url: url.origin, display: url.origin, ...(region === undefined ? {} : { sigv4: { region } }) };
}

/** Flags mode: both URLs are required together. */
export function endpointsFromFlags(flags: { source?: string; target?: string }): ResolvedEndpoints {
  if (flags.source === undefined || flags.target === undefined) {
    throw new UsageError(`pass --stack NAME, or both --source PG_URL and --target OS_URL (missing ${flags.source === undefined ? "--source" : "--target"})`);
  }
  return { source: sourceFromUrl(flags.source), target: targetFromUrl(flags.target) };
}

/** The AWS calls stack mode needs: behind an interface so that tests substitute the SDK's endpoint. */
export interface StackAws {
  readParameters(region: string, names: readonly string[]): Promise<Record<string, string>>;
  readDatabaseCredentials(secretArn: string): Promise<{ username: string; password: string }>;
  searchDomainEndpoint(region: string, domainName: string): Promise<string>;
}

export function defaultStackAws(env: NodeJS.ProcessEnv): StackAws {
  return {
    readParameters: async (region, names) => {
      const { parameterValues } = await import("../aws/ssm-runtime.js");
      const { awsErrorMessage } = await import("../aws/client-config.js");
      try {
        const values = await parameterValues(region, names, env);
        return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
      } catch (error) {
        throw new Error(`could not read the stack's runtime parameters in ${region}: ${awsErrorMessage(error)}`, { cause: error });
      }
    },
    readDatabaseCredentials: async (arn) => (await import("../aws/secrets-manager.js")).readDatabaseCredentials(arn, env),
    searchDomainEndpoint: async (region, name) => (await import("../aws/opensearch-domain.js")).searchDomainEndpoint(region, name, env),
  };
}

export type StackRegion = "primary" | "dr";

export function regionOutputs(outputs: StackOutputs, which: StackRegion): RegionOutputs {
  if (which === "primary") return outputs.primary;
  if (outputs.dr === undefined) throw new UsageError(`stack ${outputs.stack} has no DR region (drStrategy ${outputs.drStrategy}); --region dr needs one`);
  return outputs.dr;
}

function hostAndPort(endpoint: string, parameter: string): { host: string; port: number } {
  const match = /^([^:\s]+):(\d{1,5})$/.exec(endpoint.trim());
  if (match?.[1] === undefined || match[2] === undefined) throw new Error(`SSM parameter ${parameter} holds "${endpoint}"; expected host:port`);
  return { host: match[1], port: Number(match[2]) };
}

/**
 * RDS forces TLS (rds.force_ssl) with certificates from Amazon's RDS CA, which Node.js does not
 * trust by default: the CA bundle comes from --db-ca-file or PGSSLROOTCERT. With neither, only
 * NODE_EXTRA_CA_CERTS can make the handshake verifiable; verification is never turned off.
 */
export function databaseTls(caFile: string | undefined, env: NodeJS.ProcessEnv): PoolConfig["ssl"] {
  const file = caFile ?? env.PGSSLROOTCERT;
  if (file !== undefined && file !== "") {
    try {
      return { ca: readFileSync(file, "utf8"), rejectUnauthorized: true };
    } catch (error) {
      throw new UsageError(`cannot read the database CA bundle ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (env.NODE_EXTRA_CA_CERTS !== undefined && env.NODE_EXTRA_CA_CERTS !== "") return { rejectUnauthorized: true };
  throw new UsageError("the stack's database requires TLS with Amazon's RDS certificates: pass --db-ca-file PATH (the bundle from https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) or set PGSSLROOTCERT");
}

/**
 * Stack mode, database side: the region's runtime parameters (which failover rewrites) name the
 * writer database and its secret; the secret holds the credentials. Returns the alias too.
 */
export async function sourceFromStack(outputs: StackOutputs, which: StackRegion, aws: StackAws, tls: PoolConfig["ssl"]): Promise<{ source: SourceEndpoint; alias: string }> {
  const region = regionOutputs(outputs, which);
  const names = region.runtimeParameters;
  const parameters = await aws.readParameters(region.region, [names.databaseEndpoint, names.databaseSecretArn, names.indexAlias]);
  const value = (name: string) => {
    const found = parameters[name];
    if (found === undefined || found === "") throw new Error(`SSM parameter ${name} in ${region.region} is missing or empty`);
    return found;
  };
  const { host, port } = hostAndPort(value(names.databaseEndpoint), names.databaseEndpoint);
  const credentials = await aws.readDatabaseCredentials(value(names.databaseSecretArn));
  const database = outputs.databaseName ?? STACK_DATABASE_NAME;
  return {
    source: {
      config: { host, port, database, user: credentials.username, password: credentials.password, ssl: tls },
      display: `postgres://${host}:${port}/${database}`,
    },
    alias: value(names.indexAlias),
  };
}

/** Stack mode, search side: DescribeDomain gives the endpoint; a stack's domain is always signed with SigV4. */
export async function targetFromStack(outputs: StackOutputs, which: StackRegion, aws: StackAws): Promise<TargetEndpoint> {
  const region = regionOutputs(outputs, which);
  const url = await aws.searchDomainEndpoint(region.region, region.searchDomainName);
  const target = targetFromUrl(url, `the endpoint of OpenSearch domain ${region.searchDomainName}`);
  return { ...target, sigv4: { region: region.region } };
}

export async function endpointsFromStack(outputs: StackOutputs, which: StackRegion, aws: StackAws, tls: PoolConfig["ssl"]): Promise<ResolvedEndpoints> {
  const [{ source, alias }, target] = await Promise.all([sourceFromStack(outputs, which, aws, tls), targetFromStack(outputs, which, aws)]);
  return { source, target, alias };
}
