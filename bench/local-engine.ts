// `npm run bench:local`: the real Pulumi engine against the local cloud, beside the offline
// preview, measured in the same run: wall time, peak RSS of the whole process tree, and where the
// CPU goes (shopctl with its preflight, the engine, the language host, the program, the policy
// pack, the provider plugins). Writes bench/results/local-engine.json and .md.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ProcessTreeSampler, type TreeUsage } from "./process-tree.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist", "cli", "bin", "shopctl.js");
const PLUGIN = path.join(ROOT, "dist", "local-cloud", "plugin", "main.js");
const RESULTS = path.join(ROOT, "bench", "results");
const STACK = process.env.BENCH_LOCAL_STACK ?? "prod";

function positiveInt(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
const RUNS = positiveInt(process.env.BENCH_LOCAL_RUNS, 3);

/** Which part of the run a process is, from its command line. */
function classify(command: string): string {
  // The pack's node process runs an entry file from the host's cache folder: test it first.
  if (command.includes("run-policy-pack") || command.includes("policy-pack-entry")) return "policy pack";
  if (path.basename(command.split(" ")[0] ?? "") === "pulumi-language-nodejs") return "language host";
  if (command.includes("local-cloud/plugin/main.js")) return command.includes(" awsx") ? "plugin awsx" : "plugin aws";
  if (command.includes("@pulumi/pulumi/cmd/run")) return "program";
  if (/(^|\/)pulumi( |$)/.test(command.split(" ")[0] ?? "")) return "engine";
  if (command.includes("shopctl.js")) return "shopctl (incl. preflight)";
  return "other";
}

interface Sample extends TreeUsage {
  wallMs: number;
}

async function timed(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, CI: "true", ...env }, stdio: ["ignore", "ignore", "pipe"] });
  const sampler = new ProcessTreeSampler(child.pid ?? 0, classify);
  sampler.start();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const usage = sampler.stop();
  if (code !== 0) throw new Error(`shopctl ${args.join(" ")} exited ${String(code)}:\n${stderr.slice(-2000)}`);
  return { wallMs: Math.round(performance.now() - started), ...usage };
}

/** How long one provider plugin takes from spawn to serving (its port on stdout). */
async function pluginStartMs(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [PLUGIN, "aws"], { stdio: ["ignore", "pipe", "ignore"] });
  await new Promise<void>((resolve) => child.stdout.once("data", () => { resolve(); }));
  const elapsed = performance.now() - started;
  child.kill();
  return Math.round(elapsed);
}

interface Row {
  name: string;
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMb: number;
  cpuSeconds: Record<string, number>;
  processes: Record<string, number>;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] ?? 0 : Math.round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2);
}

/** The run with the median wall time stands for the case: its memory and CPU split are shown. */
function row(name: string, samples: readonly Sample[]): Row {
  const walls = samples.map((sample) => sample.wallMs);
  const middle = [...samples].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(samples.length / 2)] ?? samples[0];
  if (middle === undefined) throw new Error(`no samples for ${name}`);
  return { name, runs: samples.length, medianMs: median(walls), minMs: Math.min(...walls), maxMs: Math.max(...walls), peakRssMb: middle.peakRssMb, cpuSeconds: middle.cpuSeconds, processes: middle.processes };
}

async function repeat(name: string, runs: number, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Row> {
  const samples: Sample[] = [];
  for (let index = 0; index < runs; index++) {
    process.stderr.write(`${name}: run ${index + 1} of ${runs}...\n`);
    samples.push(await timed(args, env));
  }
  return row(name, samples);
}

function table(rows: readonly Row[], baseline: Row): string {
  const classes = [...new Set(rows.flatMap((entry) => Object.keys(entry.cpuSeconds)))].sort();
  const header = `| case | runs | median s | min s | max s | x offline | peak RSS MB | ${classes.map((name) => `CPU s: ${name}`).join(" | ")} |`;
  const lines = rows.map((entry) => {
    const cpu = classes.map((name) => `${entry.cpuSeconds[name] ?? 0}${(entry.processes[name] ?? 0) > 1 ? ` (${entry.processes[name]} procs)` : ""}`);
    return `| ${entry.name} | ${entry.runs} | ${(entry.medianMs / 1000).toFixed(1)} | ${(entry.minMs / 1000).toFixed(1)} | ${(entry.maxMs / 1000).toFixed(1)} | ${(entry.medianMs / baseline.medianMs).toFixed(1)} | ${entry.peakRssMb} | ${cpu.join(" | ")} |`;
  });
  return [header, `|${" --- |".repeat(7 + classes.length)}`, ...lines].join("\n");
}

async function main(): Promise<void> {
  if (!existsSync(BIN) || !existsSync(PLUGIN)) throw new Error("dist is missing: run `npm run build` first");
  const engine = spawnSync("bash", [path.join(ROOT, "scripts", "pulumi-engine.sh"), "path"], { encoding: "utf8" });
  if (engine.status !== 0) throw new Error(`the engine is not installed: bash scripts/pulumi-engine.sh install\n${engine.stderr}`);
  const home = await mkdtemp(path.join(os.tmpdir(), "shopctl-bench-local-"));
  const env = { SHOPCTL_HOME: home };
  try {
    const rows: Row[] = [];
    rows.push(await repeat(`preview --offline --stack ${STACK}`, RUNS, ["preview", "--offline", "--stack", STACK], {}));
    rows.push(await repeat(`up --local --stack ${STACK} (cold: empty state)`, 1, ["up", "--local", "--stack", STACK, "--yes"], env));
    rows.push(await repeat(`up --local --stack ${STACK} (no-op)`, RUNS, ["up", "--local", "--stack", STACK, "--yes"], env));
    rows.push(await repeat(`preview --local --stack ${STACK} (after up)`, RUNS, ["preview", "--local", "--stack", STACK], env));
    // `--local` writes one checkpoint at the end (PULUMI_SKIP_CHECKPOINTS); what a checkpoint per step costs:
    rows.push(await repeat(`up --local --stack ${STACK} (no-op, a checkpoint per step)`, RUNS, ["up", "--local", "--stack", STACK, "--yes"], { ...env, PULUMI_SKIP_CHECKPOINTS: "false" }));
    const pluginStarts: number[] = [];
    for (let index = 0; index < 5; index++) pluginStarts.push(await pluginStartMs());
    const baseline = rows[0];
    if (baseline === undefined) throw new Error("no baseline");
    const measuredAt = new Date().toISOString();
    const machine = { node: process.version, cpus: `${os.cpus().length} x ${os.cpus()[0]?.model.trim() ?? "unknown"}`, loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100) };
    const text = [
      `# shopctl --local benchmark (stack ${STACK})`,
      "",
      `Measured ${measuredAt} with \`npm run bench:local\` on ${machine.cpus}, Node.js ${machine.node} (load average ${machine.loadAverage.join(" / ")}).`,
      "Wall time of the whole shopctl process; `up` and `preview` include shopctl's preflight (the offline run of the program and the policy pack), then the engine.",
      "Peak RSS: the largest sum over the process tree at one instant. CPU seconds per kind of process, from /proc every 50 ms (lower bounds).",
      "",
      table(rows, baseline),
      "",
      `One provider plugin from spawn to serving: median ${median(pluginStarts)} ms (${pluginStarts.join(", ")} ms).`,
      "",
    ].join("\n");
    await mkdir(RESULTS, { recursive: true });
    await writeFile(path.join(RESULTS, "local-engine.json"), `${JSON.stringify({ measuredAt, machine, stack: STACK, cases: rows, pluginStartMs: pluginStarts }, null, 2)}\n`);
    await writeFile(path.join(RESULTS, "local-engine.md"), text);
    process.stdout.write(`${text}\nwritten to ${path.relative(process.cwd(), RESULTS)}/local-engine.{json,md}\n`);
  } finally {
    // Leave nothing deployed behind: the prod stack's deletion protection is a config matter here.
    await rm(home, { recursive: true, force: true });
  }
}

await main();
