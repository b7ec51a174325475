// `npm run bench:app`: load on the storefront as it ships (the build:app artifact run with plain
// Node), against the real PostgreSQL and OpenSearch: a catalog seeded by `shopctl catalog seed`
// and indexed by `shopctl reindex`, then autocannon drives search, filtered search and product
// pages. Requests per second and p50/p99 latency go to bench/results/storefront.json and .md.
// Not a test: nothing here asserts a timing; it fails only when a request fails.
//   BENCH_PRODUCTS (20000), BENCH_DURATION seconds per scenario (10), BENCH_CONNECTIONS (10)
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@opensearch-project/opensearch";
import autocannon, { type Result } from "autocannon";
import pg from "pg";
import { buildArtifact } from "../apps/storefront/scripts/build-app.js";
import { mulberry32, seedSku } from "../apps/storefront/src/catalog/seed.js";
import { shopctl } from "../apps/storefront/test/harness.js";
import { ensureServices } from "../test/services.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RESULTS = path.join(ROOT, "bench", "results");

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

const PRODUCTS = positiveInt(process.env.BENCH_PRODUCTS, 20_000);
const DURATION = positiveInt(process.env.BENCH_DURATION, 10);
const CONNECTIONS = positiveInt(process.env.BENCH_CONNECTIONS, 10);

const WORDS = ["knife", "pan", "lamp", "tent", "headphones", "keyboard", "jacket", "shirt", "wireless", "premium", "compact", "rugged lamp", "acme", "waterproof jacket"];
const BRANDS = ["Acme", "Northwind", "Contoso", "Globex", "Initech"];

interface Scenario {
  name: string;
  path: (next: () => number) => string;
}

const SCENARIOS: Scenario[] = [
  { name: "search: text query", path: (next) => `/api/products?q=${encodeURIComponent(WORDS[Math.floor(next() * WORDS.length)] ?? "knife")}` },
  {
    name: "search: filters, facets, sort",
    path: (next) => `/api/products?brand=${BRANDS[Math.floor(next() * BRANDS.length)] ?? "Acme"}&category=${encodeURIComponent("Home > Kitchen")}&minPrice=${Math.floor(next() * 10_000)}&inStock=true&sort=price_asc`,
  },
  { name: "product page (PostgreSQL)", path: (next) => `/api/products/${seedSku(1 + Math.floor(next() * PRODUCTS))}` },
];

interface Row {
  scenario: string;
  requests: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  errors: number;
  non2xx: number;
}

async function startServer(dir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["server.js"], { cwd: dir, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+),"msg":"listening"/.exec(output);
      if (match?.[1] === undefined) return;
      // From here on the request log is read and dropped, so the pipe never fills.
      child.stdout.off("data", read);
      child.stdout.resume();
      resolve(Number(match[1]));
    };
    child.stdout.on("data", read);
    child.on("exit", (code) => { reject(new Error(`server.js exited with ${String(code)}:\n${output.slice(-2000)}`)); });
  });
  return { child, port };
}

function row(name: string, result: Result): Row {
  return {
    scenario: name,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function table(rows: readonly Row[]): string {
  return [
    "| scenario | requests | req/s | p50 ms | p99 ms | max ms | errors | non-2xx |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.scenario} | ${r.requests} | ${r.requestsPerSecond} | ${r.latencyP50Ms} | ${r.latencyP99Ms} | ${r.latencyMaxMs} | ${r.errors} | ${r.non2xx} |`),
  ].join("\n");
}

async function main(): Promise<void> {
  const endpoints = await ensureServices();
  const tag = `${Date.now().toString(36)}_${process.pid}`;
  const schema = `bench_sf_${tag}`;
  const alias = `bench_products_${tag}`;
  const work = await mkdtemp(path.join(os.tmpdir(), "storefront-bench-"));
  const pool = new pg.Pool({ connectionString: endpoints.pgUrl, max: 4 });
  const openSearch = new Client({ node: endpoints.openSearchUrl });
  let server: ChildProcess | undefined;
  try {
    process.stderr.write("building the artifact...\n");
    const artifact = await buildArtifact(path.join(work, "storefront.tar.gz"));
    const unpacked = spawnSync("tar", ["-xzf", artifact.file, "-C", work], { encoding: "utf8" });
    if (unpacked.status !== 0) throw new Error(`tar: ${unpacked.stderr}`);

    process.stderr.write(`seeding ${PRODUCTS} products into ${schema} and indexing them into ${alias}...\n`);
    await shopctl(["catalog", "migrate", "--database", endpoints.pgUrl, "--schema", schema]);
    await shopctl(["catalog", "seed", "--database", endpoints.pgUrl, "--schema", schema, "--count", String(PRODUCTS)]);
    await shopctl(["reindex", "--source", endpoints.pgUrl, "--target", endpoints.openSearchUrl, "--schema", schema, "--alias", alias, "--replicas", "0"]);

    const started = await startServer(work, {
      // The request log stays on, as in production.
      NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0",
      DATABASE_URL: endpoints.pgUrl, DATABASE_TLS: "disable", DATABASE_SCHEMA: schema, DATABASE_POOL_MAX: "20",
      SEARCH_ENDPOINT: endpoints.openSearchUrl, SEARCH_INDEX_ALIAS: alias,
    });
    server = started.child;
    const url = `http://127.0.0.1:${started.port}`;

    const rows: Row[] = [];
    for (const scenario of SCENARIOS) {
      // The same request sequence every run.
      const next = mulberry32(7);
      await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: [{ setupRequest: (request) => ({ ...request, path: scenario.path(next) }) }] }); // warm-up, not counted
      process.stderr.write(`${scenario.name}: ${DURATION} s with ${CONNECTIONS} connections...\n`);
      const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION, requests: [{ setupRequest: (request) => ({ ...request, path: scenario.path(next) }) }] });
      rows.push(row(scenario.name, result));
    }

    // The load average tells how much else the machine was doing: these numbers are only comparable at a similar load.
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 };
    const report = { benchmark: "storefront", when: new Date().toISOString(), products: PRODUCTS, durationSeconds: DURATION, connections: CONNECTIONS, artifactSha256: artifact.sha256, machine, results: rows };
    await mkdir(RESULTS, { recursive: true });
    await writeFile(path.join(RESULTS, "storefront.json"), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = [
      "# Storefront load benchmark",
      "",
      `\`npm run bench:app\` on ${report.when}: the build:app artifact run with plain Node, ${PRODUCTS} products from \`shopctl catalog seed\` indexed by \`shopctl reindex\`, the real PostgreSQL and OpenSearch on the same machine (${machine.cpus} CPUs, ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, load average ${machine.loadAverage1m} at the end); autocannon with ${CONNECTIONS} connections for ${DURATION} s per scenario after a 2 s warm-up. Everything shares the machine's cores, so the numbers compare runs on one machine, not a fleet's capacity.`,
      "",
      table(rows),
      "",
    ].join("\n");
    await writeFile(path.join(RESULTS, "storefront.md"), markdown);
    process.stdout.write(`${table(rows)}\n\nwritten to bench/results/storefront.json and storefront.md\n`);
    const failed = rows.filter((r) => r.errors > 0 || r.non2xx > 0);
    if (failed.length > 0) throw new Error(`requests failed in: ${failed.map((r) => r.scenario).join(", ")}`);
  } finally {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.on("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
    await openSearch.indices.delete({ index: `${alias}_*` }).catch(() => undefined);
    await openSearch.close();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:app failed: ${(error as Error).message}\n`);
  process.exit(1);
});
