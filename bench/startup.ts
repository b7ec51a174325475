// `npm run bench`: how long shopctl takes to start, against bare Node.js, and the wall time of the
// offline preview of the prod stack, all measured in the same run on the same machine. Prints a
// table and writes bench/results/cli-startup.json and .md. Run `npm run build` first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin", "shopctl.js");
const RESULTS = path.join(ROOT, "bench", "results");

interface Case {
  name: string;
  args: string[];
  runs: number;
}

interface Stats {
  name: string;
  command: string;
  runs: number;
  minMs: number;
  medianMs: number;
  meanMs: number;
  maxMs: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

const RUNS = positiveInt(process.env.BENCH_RUNS, 20);
const PREVIEW_RUNS = positiveInt(process.env.BENCH_PREVIEW_RUNS, 5);

const CASES: Case[] = [
  { name: "node -e 0 (baseline)", args: ["-e", "0"], runs: RUNS },
  { name: "shopctl --help", args: [BIN, "--help"], runs: RUNS },
  { name: "shopctl --version", args: [BIN, "--version"], runs: RUNS },
  { name: "shopctl preview --offline --stack prod", args: [BIN, "preview", "--offline", "--stack", "prod"], runs: PREVIEW_RUNS },
];

function timeOnce(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${String(result.status)}: ${result.stderr.toString().slice(0, 500)}`);
  return elapsed;
}

function measure(benchCase: Case): Stats {
  timeOnce(benchCase.args); // warm the file system cache; not counted
  const samples = Array.from({ length: benchCase.runs }, () => timeOnce(benchCase.args)).sort((a, b) => a - b);
  const middle = Math.floor(samples.length / 2);
  const median = samples.length % 2 === 1 ? samples[middle] ?? 0 : ((samples[middle - 1] ?? 0) + (samples[middle] ?? 0)) / 2;
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    name: benchCase.name,
    command: `node ${benchCase.args.map((arg) => (arg === BIN ? path.relative(ROOT, BIN) : arg)).join(" ")}`,
    runs: samples.length,
    minMs: round(samples[0] ?? 0),
    medianMs: round(median),
    meanMs: round(samples.reduce((sum, value) => sum + value, 0) / samples.length),
    maxMs: round(samples.at(-1) ?? 0),
  };
}

function table(stats: readonly Stats[], baseline: Stats): string {
  const header = "| case | runs | min ms | median ms | mean ms | max ms | median over baseline |";
  const rows = stats.map((row) => `| ${row.name} | ${row.runs} | ${row.minMs} | ${row.medianMs} | ${row.meanMs} | ${row.maxMs} | ${row === baseline ? "-" : `+${Math.round((row.medianMs - baseline.medianMs) * 10) / 10} ms`} |`);
  return [header, "| --- | --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  const stats = CASES.map((benchCase) => {
    process.stderr.write(`measuring ${benchCase.name} (${benchCase.runs} runs)...\n`);
    return measure(benchCase);
  });
  const baseline = stats[0];
  if (baseline === undefined) throw new Error("no baseline");
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? "unknown"}`,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
  const measuredAt = new Date().toISOString();
  const markdown = [
    "# shopctl startup benchmark",
    "",
    `Measured ${measuredAt} with \`npm run bench\` on ${machine.platform}, ${machine.cpus}, Node.js ${machine.node} (load average ${machine.loadAverage.join(" / ")}).`,
    "Each case ran once to warm the file system cache, then the runs counted below; wall time of the whole process, spawned from Node.js.",
    "",
    table(stats, baseline),
    "",
  ].join("\n");
  await mkdir(RESULTS, { recursive: true });
  await writeFile(path.join(RESULTS, "cli-startup.json"), `${JSON.stringify({ measuredAt, machine, cases: stats }, null, 2)}\n`);
  await writeFile(path.join(RESULTS, "cli-startup.md"), markdown);
  process.stdout.write(`${table(stats, baseline)}\n\nwritten to ${path.relative(process.cwd(), RESULTS)}/cli-startup.{json,md}\n`);
}

await main();
