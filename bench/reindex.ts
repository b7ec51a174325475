// `npm run bench:reindex`: docs/s and peak RSS of `shopctl reindex`, of the OpenSearch client's
// helpers.bulk with its defaults fed by the same query, and of a raw `_bulk` loader of
// pre-serialized NDJSON (the engine's ceiling), at 100k and 1M products, in one run on this
// machine against the test services. Each subject runs in a process of its own, one after the
// other, into a fresh index with the same mapping and build settings. Writes
// bench/results/reindex.json and .md. The npm script builds first: the bench spawns dist/.
//
// Timings on a shared 2-core machine drift with whatever else runs, so the three subjects run
// interleaved, round after round, and the median round of each counts.
//
// BENCH_REINDEX_SIZES=100000,1000000   sizes, ascending
// BENCH_REINDEX_ROUNDS=3,2             rounds per size
// BENCH_REINDEX_KEEP=1                 keep the bench schema afterwards
// BENCH_REINDEX_RERENDER=1             only render the report again from bench/results/reindex.json
import { spawn } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import { chooseVariant } from "../apps/storefront/src/catalog/mapping.js";
import { migrateCatalog } from "../apps/storefront/src/catalog/migrate.js";
import { seedCatalog } from "../apps/storefront/src/catalog/seed.js";
import { BadRows, toBulkItems } from "../cli/reindex/bulk.js";
import { REINDEX_DEFAULTS } from "../cli/reindex/defaults.js";
import { nodeModules } from "../cli/reindex/indices.js";
import type { ReindexReport } from "../cli/reindex/report.js";
import { CatalogSource } from "../cli/reindex/source.js";
import { ensureServices } from "../test/services.js";
import { ServiceCpuSampler, type ServiceCpuSeconds } from "./service-cpu.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin", "shopctl.js");
const TSX = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const RESULTS = path.join(ROOT, "bench", "results");
const SCRATCH = path.join(ROOT, ".data", "bench");
const SERVICES = path.join(ROOT, ".data", "services");
const SCHEMA = "bench_reindex";
const ALIAS = "bench-reindex-products";
const SIZES = (process.env.BENCH_REINDEX_SIZES ?? "100000,1000000").split(",").map(Number).sort((a, b) => a - b);
const ROUNDS = (process.env.BENCH_REINDEX_ROUNDS ?? "3,2").split(",").map(Number);
const { batchSize, concurrency } = REINDEX_DEFAULTS;

type Subject = "shopctl reindex" | "helpers.bulk (defaults)" | "raw _bulk (pre-serialized NDJSON)";

interface Measurement {
  size: number;
  round: number;
  subject: Subject;
  docs: number;
  /** The load: first row read to last bulk response. */
  seconds: number;
  docsPerSecond: number;
  peakRssMb: number;
  /** CPU (user + system) of the subject's process, for the whole process. */
  cpuSeconds: number;
  /** CPU of the OpenSearch JVM and of PostgreSQL (postmaster and backends) while the subject ran. */
  services: ServiceCpuSeconds;
  /** shopctl only: the whole run (catch-up, replicas, verification, swap, retention). */
  totalSeconds?: number;
  loadAverage: number;
}

function log(text: string): void {
  process.stderr.write(`[bench:reindex] ${text}\n`);
}

/** Runs a child to completion; its stdout is one JSON document. */
async function child(args: string[]): Promise<string> {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  proc.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  proc.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const [code] = (await once(proc, "close")) as [number | null];
  if (code !== 0) throw new Error(`${args.slice(0, 3).join(" ")} exited ${code ?? "?"}:\n${stderr.slice(-2000)}`);
  return stdout;
}

/** The documents of the live rows as shopctl sends them, written once, outside any timing. */
async function writeNdjson(pgUrl: string, file: string): Promise<number> {
  const source = CatalogSource.open({ connectionString: pgUrl }, SCHEMA);
  const out = createWriteStream(file);
  let docs = 0;
  try {
    for (let page = await source.livePage(undefined, 5000); page.length > 0; page = await source.livePage(page[page.length - 1]?.id, 5000)) {
      const chunk = toBulkItems(page, "load", new BadRows()).map((item) => item.lines).join("");
      docs += page.length;
      if (!out.write(chunk)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "finish");
    await source.close();
  }
  return docs;
}

async function countDocs(search: Client, index: string): Promise<number> {
  await search.indices.refresh({ index });
  return (await search.count({ index })).body.count;
}

async function settle(): Promise<void> {
  // Let the previous subject's merges and garbage collection calm down before the next starts.
  await delay(5_000);
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const { pgUrl, openSearchUrl } = await ensureServices();
  const search = new Client({ node: openSearchUrl });
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await mkdir(SCRATCH, { recursive: true });
  await mkdir(RESULTS, { recursive: true });
  const variant = chooseVariant((await nodeModules(search)) ?? []);
  const info = (await search.info()).body as { version: { number: string; distribution?: string } };
  const measurements: Measurement[] = [];
  const sampler = new ServiceCpuSampler(SERVICES);
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await migrateCatalog({ client: admin, schema: SCHEMA });
    for (const size of SIZES) {
      log(`seeding ${size} products into ${SCHEMA}`);
      await seedCatalog({ client: admin, schema: SCHEMA, count: size });
      await admin.query(`VACUUM ANALYZE "${SCHEMA}".products`);
      const ndjson = path.join(SCRATCH, `products-${size}.ndjson`);
      const written = await writeNdjson(pgUrl, ndjson);
      log(`wrote ${written} documents to ${ndjson}`);
      const rounds = ROUNDS[SIZES.indexOf(size)] ?? 1;
      for (let round = 1; round <= rounds; round++) {
        await settle();
        log(`${size}, round ${round}/${rounds}: raw _bulk of pre-serialized NDJSON`);
        sampler.start();
        const raw = JSON.parse(await child([TSX, "bench/reindex-raw-bulk.ts", openSearchUrl, `bench-raw-${size}`, variant, ndjson, String(batchSize), String(concurrency)])) as { docs: number; seconds: number; peakRssBytes: number; cpuSeconds: number };
        const rawServices = sampler.stop();
        if ((await countDocs(search, `bench-raw-${size}`)) !== size) throw new Error(`the raw loader left a document count other than ${size}`);
        measurements.push({ size, round, subject: "raw _bulk (pre-serialized NDJSON)", docs: raw.docs, seconds: raw.seconds, docsPerSecond: raw.docs / raw.seconds, peakRssMb: raw.peakRssBytes / 2 ** 20, cpuSeconds: raw.cpuSeconds, services: rawServices, loadAverage: os.loadavg()[0] ?? 0 });
        await search.indices.delete({ index: `bench-raw-${size}` });

        await settle();
        log(`${size}, round ${round}/${rounds}: helpers.bulk with its defaults`);
        sampler.start();
        const helpers = JSON.parse(await child([TSX, "bench/reindex-helpers-bulk.ts", pgUrl, openSearchUrl, SCHEMA, `bench-helpers-${size}`, variant])) as { docs: number; failed: number; seconds: number; peakRssBytes: number; cpuSeconds: number };
        const helpersServices = sampler.stop();
        if (helpers.failed !== 0 || (await countDocs(search, `bench-helpers-${size}`)) !== size) throw new Error(`helpers.bulk failed ${helpers.failed} documents`);
        measurements.push({ size, round, subject: "helpers.bulk (defaults)", docs: helpers.docs, seconds: helpers.seconds, docsPerSecond: helpers.docs / helpers.seconds, peakRssMb: helpers.peakRssBytes / 2 ** 20, cpuSeconds: helpers.cpuSeconds, services: helpersServices, loadAverage: os.loadavg()[0] ?? 0 });
        await search.indices.delete({ index: `bench-helpers-${size}` });

        await settle();
        log(`${size}, round ${round}/${rounds}: shopctl reindex`);
        sampler.start();
        const report = JSON.parse(await child([BIN, "reindex", "--source", pgUrl, "--target", openSearchUrl, "--schema", SCHEMA, "--alias", ALIAS, "--mapping", variant, "--json"])) as ReindexReport;
        const shopctlServices = sampler.stop();
        if (report.verify?.ok !== true || report.verify.documents !== size) throw new Error(`shopctl reindex did not verify ${size} documents`);
        measurements.push({
          size, round, subject: "shopctl reindex", docs: report.load.indexed, seconds: report.load.seconds, docsPerSecond: report.load.docsPerSecond,
          peakRssMb: report.peakRssBytes / 2 ** 20, cpuSeconds: report.cpuSeconds, services: shopctlServices, totalSeconds: report.seconds, loadAverage: os.loadavg()[0] ?? 0,
        });
        await search.indices.delete({ index: `${ALIAS}_*` });
        log(`${size}, round ${round}: ${measurements.slice(-3).map((entry) => `${entry.subject} ${Math.round(entry.docsPerSecond)} docs/s`).join(", ")}`);
      }
      await rm(ndjson);
    }
  } finally {
    if (process.env.BENCH_REINDEX_KEEP !== "1") await admin.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
    await admin.end();
    await search.close();
  }
  await report(measurements, variant, info.version.number);
}

/**
 * A subject's median docs/s at a size (the mean of the middle two for an even number of rounds),
 * and its largest peak RSS of any round.
 */
function rate(measurements: readonly Measurement[], size: number, subject: Subject): { docsPerSecond: number; peakRssMb: number } {
  const rounds = measurements.filter((entry) => entry.size === size && entry.subject === subject).sort((a, b) => a.docsPerSecond - b.docsPerSecond);
  const lower = rounds[Math.floor((rounds.length - 1) / 2)];
  const upper = rounds[Math.floor(rounds.length / 2)];
  if (lower === undefined || upper === undefined) throw new Error(`no measurement of ${subject} at ${size}`);
  return { docsPerSecond: (lower.docsPerSecond + upper.docsPerSecond) / 2, peakRssMb: Math.max(...rounds.map((entry) => entry.peakRssMb)) };
}

async function report(measurements: Measurement[], variant: string, openSearchVersion: string, measuredAt = new Date().toISOString()): Promise<void> {
  const targets = SIZES.map((size) => {
    const engine = rate(measurements, size, "shopctl reindex");
    const raw = rate(measurements, size, "raw _bulk (pre-serialized NDJSON)");
    const helpersBulk = rate(measurements, size, "helpers.bulk (defaults)");
    return {
      size,
      raw: raw.docsPerSecond,
      helpersBulk: helpersBulk.docsPerSecond,
      shopctl: engine.docsPerSecond,
      vsRaw: engine.docsPerSecond / raw.docsPerSecond,
      vsHelpersBulk: engine.docsPerSecond / helpersBulk.docsPerSecond,
      peakRssMb: engine.peakRssMb,
    };
  });
  const rss = targets.map((target) => target.peakRssMb);
  const verdict = {
    atLeast90PercentOfRaw: targets.every((target) => target.vsRaw >= 0.9),
    atLeastHelpersBulk: targets.every((target) => target.vsHelpersBulk >= 1.0),
    peakRssAtMost300Mb: rss.every((value) => value <= 300),
    // "Flat": the largest size needs no more than 25% over the smallest.
    peakRssFlat: Math.max(...rss) <= 1.25 * Math.min(...rss),
  };
  const document = {
    benchmark: "shopctl reindex",
    date: measuredAt,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "?", memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, shared: "2 cores shared with other work; load average recorded per subject" },
    openSearch: { version: openSearchVersion, nodes: 1, heap: process.env.SHOP_OPENSEARCH_HEAP ?? "512m", mapping: variant },
    settings: { batchSize, concurrency, rounds: Object.fromEntries(SIZES.map((size, i) => [size, ROUNDS[i] ?? 1])), helpersBulk: "client defaults: flushBytes 5 MB, concurrency 5, retries 3" },
    measurements,
    targets,
    verdict,
  };
  await writeFile(path.join(RESULTS, "reindex.json"), `${JSON.stringify(document, null, 2)}\n`);
  const fmt = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const lines = [
    "# shopctl reindex benchmark",
    "",
    `${document.date}: ${document.machine.cpus} × ${document.machine.cpuModel}, ${document.machine.memoryGb} GB, Node.js ${document.machine.node}; ` +
      `OpenSearch ${openSearchVersion} single node (heap ${document.openSearch.heap}, ${variant} mapping) and PostgreSQL on the same machine. ` +
      `shopctl and the raw loader: batches of ${batchSize}, ${concurrency} in flight; helpers.bulk: its defaults.`,
    "",
    "Every round (subjects interleaved):",
    "",
    "| products | round | subject | docs/s | load s | peak RSS MB | CPU s | OpenSearch CPU s | PostgreSQL CPU s | total s | load avg |",
    "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...measurements.map((entry) => `| ${fmt(entry.size)} | ${entry.round} | ${entry.subject} | ${fmt(entry.docsPerSecond)} | ${fmt(entry.seconds, 1)} | ${fmt(entry.peakRssMb)} | ${fmt(entry.cpuSeconds, 1)} | ${fmt(entry.services.openSearch, 1)} | ${fmt(entry.services.postgres, 1)} | ${entry.totalSeconds === undefined ? "" : fmt(entry.totalSeconds, 1)} | ${fmt(entry.loadAverage, 2)} |`),
    "",
    "Medians against the targets (with an even number of rounds, the mean of the middle two):",
    "",
    "| products | raw docs/s | helpers.bulk docs/s | shopctl docs/s | shopctl / raw (target >= 0.9) | shopctl / helpers.bulk (target >= 1.0) | shopctl peak RSS MB (target <= 300, flat) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...targets.map((target) => `| ${fmt(target.size)} | ${fmt(target.raw)} | ${fmt(target.helpersBulk)} | ${fmt(target.shopctl)} | ${fmt(target.vsRaw, 2)} | ${fmt(target.vsHelpersBulk, 2)} | ${fmt(target.peakRssMb)} |`),
    "",
    `Targets: >= 0.9 x raw ${verdict.atLeast90PercentOfRaw ? "met" : "NOT met"}; >= 1.0 x helpers.bulk ${verdict.atLeastHelpersBulk ? "met" : "NOT met"}; ` +
      `peak RSS <= 300 MB ${verdict.peakRssAtMost300Mb ? "met" : "NOT met"}, flat ${verdict.peakRssFlat ? "yes" : "NO"}.`,
    "",
    "docs/s is the load phase (first row read to last bulk response) for every subject; shopctl's total adds the catch-up passes, " +
      "restoring replicas and refresh, waiting for green, verification, the alias swap and retention. CPU s is the subject's own " +
      "process; OpenSearch and PostgreSQL CPU s are those services' processes while the subject's process ran (sampled from /proc every 100 ms; " +
      "PostgreSQL's is a lower bound). On a machine the services share, the loader's and PostgreSQL's CPU is taken from OpenSearch's. " +
      "load avg is the machine's 1-minute load after the subject.",
    "",
  ];
  await writeFile(path.join(RESULTS, "reindex.md"), lines.join("\n"));
  process.stdout.write(lines.join("\n"));
}

if (process.env.BENCH_REINDEX_RERENDER === "1") {
  // Render the report again from the measurements saved last time, without measuring.
  const saved = JSON.parse(await readFile(path.join(RESULTS, "reindex.json"), "utf8")) as { date: string; measurements: Measurement[]; openSearch: { version: string; mapping: string } };
  await report(saved.measurements, saved.openSearch.mapping, saved.openSearch.version, saved.date);
} else {
  await main();
}
