import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

/** The Automation API's own minimum CLI version (automation/minimumVersion.js in @pulumi/pulumi). */
export const MIN_PULUMI_VERSION = "3.2.0";

export const PULUMI_INSTALL_HINT =
  "install the Pulumi CLI: `curl -fsSL https://get.pulumi.com | sh` and open a new shell (macOS: `brew install pulumi/tap/pulumi`; Windows: `winget install pulumi`); see https://www.pulumi.com/docs/iac/download-install/";

export type PulumiCli =
  | { found: true; path: string; version: string; tooOld: boolean }
  | { found: false; reason: string; hint: string };

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `pulumi` on PATH, as a shell would find it. */
export async function whichPulumi(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter((entry) => entry !== "")) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

const execFileAsync = promisify(execFile);

async function runVersion(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const { stdout } = await execFileAsync(file, ["version"], { env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 15_000 });
  return stdout.trim();
}

/** `1.2.3` style comparison; pre-release and build suffixes are ignored. */
export function versionAtLeast(version: string, minimum: string): boolean {
  const parse = (value: string) => (/(\d+)\.(\d+)\.(\d+)/.exec(value) ?? []).slice(1, 4).map(Number);
  const [a, b] = [parse(version), parse(minimum)];
  for (let index = 0; index < 3; index++) {
    const left = a[index] ?? 0;
    const right = b[index] ?? 0;
    if (left !== right) return left > right;
  }
  return true;
}

/**
 * Whether the Pulumi CLI that the Automation API will run is there, and its version. The
 * Automation API looks for `pulumi` on PATH, so that is where this looks; an install under
 * ~/.pulumi/bin that is not on PATH gets its own hint.
 */
export async function detectPulumi(env: NodeJS.ProcessEnv): Promise<PulumiCli> {
  const found = await whichPulumi(env);
  if (found === undefined) {
    const home = path.join(env.HOME ?? homedir(), ".pulumi", "bin", "pulumi");
    if (await isExecutable(home)) {
      return { found: false, reason: `not on PATH (installed at ${home})`, hint: `add it to PATH: export PATH="$HOME/.pulumi/bin:$PATH"` };
    }
    return { found: false, reason: "not found on PATH", hint: PULUMI_INSTALL_HINT };
  }
  let output: string;
  try {
    output = await runVersion(found, env);
  } catch (error) {
    return { found: false, reason: `${found} version failed: ${error instanceof Error ? error.message : String(error)}`, hint: `reinstall it; ${PULUMI_INSTALL_HINT}` };
  }
  const version = /v?(\d+\.\d+\.\d+[^\s]*)/.exec(output)?.[1];
  if (version === undefined) return { found: false, reason: `${found} version printed "${output.slice(0, 80)}", not a version`, hint: PULUMI_INSTALL_HINT };
  return { found: true, path: found, version, tooOld: !versionAtLeast(version, MIN_PULUMI_VERSION) };
}
