import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SHOPCTL_BIN = path.join(ROOT, "dist", "cli", "bin", "shopctl.js");

export interface ShopctlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn the built shopctl binary the way a user runs it: no terminal on stdin, CI set. */
export async function shopctl(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ShopctlResult> {
  if (!existsSync(SHOPCTL_BIN)) throw new Error(`${SHOPCTL_BIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SHOPCTL_BIN, ...args], {
    cwd: ROOT,
    env: { ...withoutShopctlVariables(process.env), CI: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  });
  return { code, stdout, stderr };
}

function withoutShopctlVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("SHOPCTL_")));
}
