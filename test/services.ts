// Where the real test services (PostgreSQL, OpenSearch, moto on loopback) answer, and a way to make sure they do.
// The services themselves are installed, started and stopped by scripts/services.sh.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export interface ServiceEndpoints {
  /** PostgreSQL, e.g. postgres://shop@127.0.0.1:55432/shop */
  readonly pgUrl: string;
  /** OpenSearch REST endpoint, e.g. http://127.0.0.1:59200 */
  readonly openSearchUrl: string;
  /** moto server (all AWS services on one endpoint), e.g. http://127.0.0.1:55000 */
  readonly motoUrl: string;
}

type ServiceName = "postgres" | "opensearch" | "moto";

const HOST = "127.0.0.1";
const DEFAULT_PORTS = { postgres: 55432, opensearch: 59200, moto: 55000 } as const;
const PORT_VARS = { postgres: "SHOP_PG_PORT", opensearch: "SHOP_OPENSEARCH_PORT", moto: "SHOP_MOTO_PORT" } as const;
const URL_VARS = { postgres: "SHOP_TEST_PG_URL", opensearch: "SHOP_TEST_OPENSEARCH_URL", moto: "SHOP_TEST_MOTO_URL" } as const;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const servicesScript = path.join(repoRoot, "scripts", "services.sh");

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

function port(env: NodeJS.ProcessEnv, service: ServiceName): number {
  const raw = envValue(env, PORT_VARS[service]);
  if (raw === undefined) return DEFAULT_PORTS[service];
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new Error(`${PORT_VARS[service]}=${raw} is not a TCP port`);
  }
  return value;
}

/**
 * The connection URLs of the three test services. SHOP_TEST_PG_URL, SHOP_TEST_OPENSEARCH_URL and
 * SHOP_TEST_MOTO_URL win; otherwise loopback on SHOP_PG_PORT / SHOP_OPENSEARCH_PORT /
 * SHOP_MOTO_PORT, defaulting to 55432, 59200 and 55000 (the same rules as `scripts/services.sh env`).
 */
export function serviceEndpoints(env: NodeJS.ProcessEnv = process.env): ServiceEndpoints {
  return {
    pgUrl: envValue(env, URL_VARS.postgres) ?? `postgres://shop@${HOST}:${port(env, "postgres")}/shop`,
    openSearchUrl: envValue(env, URL_VARS.opensearch) ?? `http://${HOST}:${port(env, "opensearch")}`,
    motoUrl: envValue(env, URL_VARS.moto) ?? `http://${HOST}:${port(env, "moto")}`,
  };
}

function urlOf(endpoints: ServiceEndpoints, service: ServiceName): string {
  switch (service) {
    case "postgres":
      return endpoints.pgUrl;
    case "opensearch":
      return endpoints.openSearchUrl;
    case "moto":
      return endpoints.motoUrl;
  }
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

async function httpOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  // A failed connection emits 'error' as well as rejecting connect(); the rejection is what counts.
  client.on("error", () => undefined);
  try {
    await client.connect();
    const result = await client.query<{ ok: number }>("select 1 as ok");
    return result.rows[0]?.ok === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function answers(service: ServiceName, endpoints: ServiceEndpoints): Promise<boolean> {
  switch (service) {
    case "postgres":
      return postgresAnswers(endpoints.pgUrl);
    case "opensearch":
      return httpOk(`${withoutTrailingSlash(endpoints.openSearchUrl)}/_cluster/health?wait_for_status=yellow&timeout=2s`);
    case "moto":
      return httpOk(`${withoutTrailingSlash(endpoints.motoUrl)}/moto-api/`);
  }
}

const SERVICES: readonly ServiceName[] = ["postgres", "opensearch", "moto"];

/** The services among the three that do not answer right now. */
export async function servicesDown(endpoints: ServiceEndpoints = serviceEndpoints()): Promise<ServiceName[]> {
  const states = await Promise.all(SERVICES.map(async (service) => ((await answers(service, endpoints)) ? undefined : service)));
  return states.filter((service): service is ServiceName => service !== undefined);
}

function isLoopback(hostname: string): boolean {
  // scripts/services.sh binds 127.0.0.1 only, so IPv6 loopback would not reach it.
  return hostname === HOST || hostname === "localhost";
}

/**
 * The environment for scripts/services.sh: the ports it should use are the ports of the URLs the
 * tests will connect to. Throws when a URL points to a server the script cannot start.
 */
function scriptEnv(endpoints: ServiceEndpoints, down: readonly ServiceName[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const service of SERVICES) {
    const raw = urlOf(endpoints, service);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new Error(`${URL_VARS[service]}=${raw} is not a URL`);
    }
    if (!isLoopback(url.hostname)) {
      if (down.includes(service)) {
        throw new Error(
          `${service} at ${raw} (from ${URL_VARS[service]}) does not answer, and scripts/services.sh only starts servers on ${HOST}`,
        );
      }
      continue;
    }
    if (url.port !== "") env[PORT_VARS[service]] = url.port;
  }
  return env;
}

/**
 * Makes sure PostgreSQL, OpenSearch and moto answer. When any of them does not, runs
 * `bash scripts/services.sh start` (which installs what is missing and starts only what is down;
 * its progress goes to this process's stderr) and checks again. Throws a clear error otherwise.
 */
/** Build the pinned Pulumi engine and our language host unless they are (scripts/pulumi-engine.sh). */
export function ensureEngine(): void {
  const result = spawnSync("bash", [path.join(repoRoot, "scripts", "pulumi-engine.sh"), "install"], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 30 * 60_000,
  });
  if (result.error !== undefined) throw new Error(`could not run bash scripts/pulumi-engine.sh install: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`bash scripts/pulumi-engine.sh install exited with status ${result.status ?? result.signal ?? "?"}; its output above shows the end of the build log`);
}

export async function ensureServices(): Promise<ServiceEndpoints> {
  const endpoints = serviceEndpoints();
  const down = await servicesDown(endpoints);
  if (down.length === 0) return endpoints;

  const env = scriptEnv(endpoints, down);
  process.stderr.write(`[services] not answering: ${down.join(", ")}; running bash scripts/services.sh start\n`);
  const result = spawnSync("bash", [servicesScript, "start"], {
    cwd: repoRoot,
    env,
    stdio: ["ignore", "inherit", "inherit"],
    timeout: 15 * 60_000,
  });
  if (result.error !== undefined) {
    throw new Error(`could not run bash ${servicesScript} start: ${result.error.message}`);
  }
  if (result.status !== 0) {
    const how = result.signal !== null ? `was killed by ${result.signal}` : `exited with status ${result.status ?? "?"}`;
    throw new Error(
      `bash scripts/services.sh start ${how} while starting ${down.join(", ")}; its output above names the failing service and shows the end of its log`,
    );
  }

  const stillDown = await servicesDown(endpoints);
  if (stillDown.length > 0) {
    const where = stillDown.map((service) => `${service} at ${urlOf(endpoints, service)}`).join(", ");
    throw new Error(`scripts/services.sh start succeeded but these still do not answer: ${where}`);
  }
  return endpoints;
}
