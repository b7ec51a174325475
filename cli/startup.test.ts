// `shopctl --help` and `--version` must start fast: no Pulumi, AWS SDK or inquirer. A loader hook
// records every module the process resolves (ESM), and the CommonJS cache at exit catches what
// CommonJS code loaded; each case has a positive control so the recording itself is checked.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, SHOPCTL_BIN } from "../test/shopctl.js";

const HOOKS = `
import { appendFileSync } from "node:fs";
let file;
export async function initialize(data) { file = data.file; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(file, result.url + "\\n");
  return result;
}`;

const registrar = (file: string) => `
import { register, createRequire } from "node:module";
import { appendFileSync } from "node:fs";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)}, { data: { file: ${JSON.stringify(file)} } });
const require = createRequire(${JSON.stringify(`file://${ROOT}/`)});
process.on("exit", () => appendFileSync(${JSON.stringify(file)}, Object.keys(require.cache).map((key) => "file://" + key).join("\\n") + "\\n"));`;

let dir = "";
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), "shopctl-loads-")); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Every module URL a `shopctl <args>` process loaded. */
async function modulesLoadedBy(args: readonly string[], name: string): Promise<string[]> {
  const file = path.join(dir, `${name}.txt`);
  const child = spawn(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(registrar(file))}`, SHOPCTL_BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, CI: "true", AWS_EC2_METADATA_DISABLED: "true" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(stderr).not.toMatch(/Error \[ERR_/);
  expect(code === 0 || code === 1 || code === 3).toBe(true);
  return (await readFile(file, "utf8")).split("\n").filter((line) => line !== "");
}

const HEAVY = {
  "@pulumi/aws": /\/node_modules\/@pulumi\/aws\//,
  "@pulumi/pulumi": /\/node_modules\/@pulumi\/pulumi\//,
  "the AWS SDK": /\/node_modules\/@aws-sdk\//,
  inquirer: /\/node_modules\/@inquirer\//,
};

const loaded = (modules: readonly string[], pattern: RegExp) => modules.some((url) => pattern.test(url));

describe("what shopctl loads at startup", () => {
  it.each([["--help"], ["--version"], ["preview", "--help"], ["up", "--help"]])("`shopctl %s` loads neither Pulumi, the AWS SDK nor inquirer", async (...args) => {
    const modules = await modulesLoadedBy(args, args.join("_"));
    expect(loaded(modules, /\/node_modules\/commander\//)).toBe(true);
    for (const [name, pattern] of Object.entries(HEAVY)) expect(loaded(modules, pattern), `${name} was loaded`).toBe(false);
  });

  it("the recording sees them when a command does need them (positive controls)", async () => {
    const preview = await modulesLoadedBy(["preview", "--offline", "--stack", "dev"], "preview");
    expect(loaded(preview, HEAVY["@pulumi/pulumi"])).toBe(true);
    expect(loaded(preview, HEAVY["@pulumi/aws"])).toBe(true);
    const doctor = await modulesLoadedBy(["doctor"], "doctor");
    expect(loaded(doctor, HEAVY["the AWS SDK"])).toBe(true);
  });
});
