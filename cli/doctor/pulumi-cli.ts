import { execFile } from "node:child_process";
import { realpath } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { coerce, gte } from "semver";
import { projectRoot } from "../../stacks/project-root.js";
import { ENGINE_INSTALL_HINT, isExecutable, locateEngine, whichExecutable, type EngineSource } from "../engine/locate.js";

/** The Automation API's own minimum CLI version (automation/minimumVersion.js in @pulumi/pulumi). */
export const MIN_PULUMI_VERSION = "3.2.0";

export const PULUMI_INSTALL_HINT =
  "install the Pulumi CLI: `curl -fsSL https://get.pulumi.com | sh` and open a new shell (macOS: `brew install pulumi/tap/pulumi`; Windows: `winget install pulumi`); see https://www.pulumi.com/docs/iac/download-install/";

export type PulumiCli =
  | { found: true; path: string; version: string; tooOld: boolean; source: EngineSource; languageHost: string | undefined }
  | { found: false; reason: string; hint: string };

const execFileAsync = promisify(execFile);

async function runVersion(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await execFileAsync(file, ["version"], { env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 15_000 });
  return stdout.trim();
}

/**
 * `version` >= `minimum`, ignoring pre-release and build suffixes: a dev build of the Pulumi CLI
 * (`3.2.0-alpha.1`) has what its release has. Throws on text that holds no version.
 */
export function versionAtLeast(version: string, minimum: string): boolean {
  const [have, need] = [coerce(version), coerce(minimum)];
  if (have === null || need === null) throw new Error(`cannot compare "${version}" with "${minimum}": expected versions such as 3.2.0`);
  return gte(have, need);
}

/** The Node.js language host the engine will start: the one beside its real file, else on PATH. */
async function languageHostOf(pulumiPath: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const beside = path.join(path.dirname(await realpath(pulumiPath).catch(() => pulumiPath)), "pulumi-language-nodejs");
  if (await isExecutable(beside)) return beside;
  return whichExecutable("pulumi-language-nodejs", env);
}

/**
 * Whether the Pulumi CLI that shopctl will run is there (`$SHOPCTL_PULUMI`, PATH, or the engine
 * this project builds: see cli/engine/locate.ts), its version and its Node.js language host. An
 * install under ~/.pulumi/bin that is not on PATH gets its own hint.
 */
export async function detectPulumi(env: NodeJS.ProcessEnv, root: string = projectRoot()): Promise<PulumiCli> {
  const located = await locateEngine(env, root);
  if (located !== undefined && "error" in located) return { found: false, reason: located.error, hint: "point SHOPCTL_PULUMI at a pulumi executable, or unset it to use the one on PATH" };
  if (located === undefined) {
    const home = path.join(env.HOME ?? homedir(), ".pulumi", "bin", "pulumi");
    if (await isExecutable(home)) {
      return { found: false, reason: `not on PATH (installed at ${home})`, hint: `add it to PATH: export PATH="$HOME/.pulumi/bin:$PATH"` };
    }
    return { found: false, reason: "not found on PATH, and this project's engine is not built", hint: `${PULUMI_INSTALL_HINT}; on a machine without access to get.pulumi.com: ${ENGINE_INSTALL_HINT}` };
  }
  const found = located.path;
  let output: string;
  try {
    output = await runVersion(found, env);
  } catch (error) {
    return { found: false, reason: `${found} version failed: ${error instanceof Error ? error.message : String(error)}`, hint: `reinstall it; ${PULUMI_INSTALL_HINT}` };
  }
  const version = /v?(\d+\.\d+\.\d+[^\s]*)/.exec(output)?.[1];
  if (version === undefined) return { found: false, reason: `${found} version printed "${output.slice(0, 80)}", not a version`, hint: PULUMI_INSTALL_HINT };
  return { found: true, path: found, version, tooOld: !versionAtLeast(version, MIN_PULUMI_VERSION), source: located.source, languageHost: await languageHostOf(found, env) };
}
