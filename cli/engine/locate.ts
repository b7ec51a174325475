import { execFile } from "node:child_process";
import { constants, existsSync } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** How the Pulumi CLI that shopctl will run was found. */
export type EngineSource = "SHOPCTL_PULUMI" | "PATH" | "project";

export interface LocatedEngine {
  /** The `pulumi` executable. */
  path: string;
  source: EngineSource;
}

/** The script that builds the engine and its Node.js language host on machines that have no Pulumi CLI. */
export function engineScript(projectRoot: string): string {
  return path.join(projectRoot, "scripts", "pulumi-engine.sh");
}

export const ENGINE_INSTALL_HINT = "bash scripts/pulumi-engine.sh install   # builds the pinned engine from the Go module proxy (a few minutes the first time)";

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable of that name on PATH, as a shell would find it. */
export async function whichExecutable(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const names = process.platform === "win32" ? [`${name}.exe`, `${name}.cmd`] : [name];
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter((entry) => entry !== "")) {
    for (const candidate of names.map((entry) => path.join(dir, entry))) {
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The engine this project built (scripts/pulumi-engine.sh), when it is installed. */
export async function projectEngine(projectRoot: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const script = engineScript(projectRoot);
  if (!existsSync(script)) return undefined;
  try {
    const { stdout } = await execFileAsync("bash", [script, "path"], { env, timeout: 15_000 });
    const candidate = path.join(stdout.trim(), "pulumi");
    return (await isExecutable(candidate)) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Pulumi CLI to run, in this order: `$SHOPCTL_PULUMI` (a `pulumi` executable, or the folder
 * holding one), the first `pulumi` on PATH (what the Automation API runs by default), the engine
 * this project builds. `undefined` when there is none; `$SHOPCTL_PULUMI` naming nothing usable is
 * an error of its own, since the user asked for that one.
 */
export async function locateEngine(env: NodeJS.ProcessEnv, projectRoot: string): Promise<LocatedEngine | { error: string } | undefined> {
  const configured = env.SHOPCTL_PULUMI?.trim();
  if (configured) {
    const candidate = existsSync(path.join(configured, "pulumi")) ? path.join(configured, "pulumi") : configured;
    return (await isExecutable(candidate)) ? { path: path.resolve(candidate), source: "SHOPCTL_PULUMI" } : { error: `SHOPCTL_PULUMI=${configured} is not a pulumi executable (nor a folder holding one)` };
  }
  const onPath = await whichExecutable("pulumi", env);
  if (onPath !== undefined) return { path: onPath, source: "PATH" };
  const built = await projectEngine(projectRoot, env);
  return built === undefined ? undefined : { path: built, source: "project" };
}
