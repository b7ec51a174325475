import { chmod, readFile, rename, stat, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { PLUGIN_PACKAGES, type PluginPackage, sdkVersionOf } from "./plugin-packages.js";

// The engine finds a provider plugin as `<PULUMI_HOME>/plugins/resource-<pkg>-v<version>/
// pulumi-resource-<pkg>` and, when it is there, neither downloads one nor needs a lock file or
// manifest. Each is a small shell script that runs the compiled plugin: compiled JavaScript
// because the engine starts plugins with the stack's config folder as working directory (a tsx
// loader would need an absolute URL) and every provider instance starts a process (tsx would add
// about a second to each).

export interface LocalCloudPluginsOptions {
  /** The PULUMI_HOME the engine runs with. */
  readonly pulumiHome: string;
  /** This repository's root: its node_modules give the versions, its dist/ the plugin. */
  readonly projectRoot: string;
}

export interface PluginScript {
  readonly package: PluginPackage;
  readonly version: string;
  readonly path: string;
}

export interface InstalledPluginScript extends PluginScript {
  /** False when the script was already there, byte for byte and executable. */
  readonly written: boolean;
}

export interface LocalCloudPluginProblem {
  readonly problem: string;
  readonly fix: string;
}

export interface LocalCloudPluginsStatus {
  readonly ready: boolean;
  readonly problems: readonly LocalCloudPluginProblem[];
  readonly plugins: readonly PluginScript[];
}

const EXECUTABLE = 0o755;

/** The compiled plugin entry the scripts run. */
export function pluginEntryPoint(projectRoot: string): string {
  return join(projectRoot, "dist", "local-cloud", "plugin", "main.js");
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

export function pluginScriptText(pkg: PluginPackage, projectRoot: string): string {
  return [
    "#!/bin/sh",
    `# The local cloud's ${pkg} provider plugin (shop-platform, local-cloud/plugin/install.ts).`,
    `exec node ${shellQuote(pluginEntryPoint(projectRoot))} ${pkg} "$@"`,
    "",
  ].join("\n");
}

function pluginScripts(options: LocalCloudPluginsOptions): PluginScript[] {
  return PLUGIN_PACKAGES.map((pkg) => {
    const version = sdkVersionOf(pkg, options.projectRoot);
    return { package: pkg, version, path: join(options.pulumiHome, "plugins", `resource-${pkg}-v${version}`, `pulumi-resource-${pkg}`) };
  });
}

async function currentScript(path: string): Promise<{ text: string; mode: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    return { text, mode: info.mode & 0o777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * Writes the plugin scripts into `pulumiHome` (idempotent: a script already in place is left
 * alone) and returns them. Writes go through a temporary file and a rename, so an engine starting
 * at the same moment sees the old script or the new one, never half of one.
 */
export async function installLocalCloudPlugins(options: LocalCloudPluginsOptions): Promise<InstalledPluginScript[]> {
  const installed: InstalledPluginScript[] = [];
  for (const script of pluginScripts(options)) {
    const text = pluginScriptText(script.package, options.projectRoot);
    const current = await currentScript(script.path);
    if (current?.text === text && current.mode === EXECUTABLE) {
      installed.push({ ...script, written: false });
      continue;
    }
    await mkdir(join(script.path, ".."), { recursive: true });
    const temporary = `${script.path}.${process.pid}.tmp`;
    await writeFile(temporary, text, { mode: EXECUTABLE });
    await chmod(temporary, EXECUTABLE);
    await rename(temporary, script.path);
    installed.push({ ...script, written: true });
  }
  return installed;
}

/** What stands between the engine and the local cloud's plugins, each with its fix. */
export async function localCloudPluginsStatus(options: LocalCloudPluginsOptions): Promise<LocalCloudPluginsStatus> {
  const problems: LocalCloudPluginProblem[] = [];
  let scripts: PluginScript[] = [];
  try {
    scripts = pluginScripts(options);
  } catch (error) {
    problems.push({ problem: error instanceof Error ? error.message : String(error), fix: `run npm ci in ${options.projectRoot}` });
  }
  const entry = pluginEntryPoint(options.projectRoot);
  if ((await stat(entry).catch(() => undefined)) === undefined) {
    problems.push({ problem: `the compiled plugin ${entry} is missing (dist is not built)`, fix: `run npm run build in ${options.projectRoot}` });
  }
  const reinstall = `run installLocalCloudPlugins({ pulumiHome: "${options.pulumiHome}", projectRoot: "${options.projectRoot}" })`;
  for (const script of scripts) {
    const current = await currentScript(script.path);
    if (current === undefined) {
      problems.push({ problem: `the ${script.package} plugin script ${script.path} is absent`, fix: reinstall });
    } else if (current.text !== pluginScriptText(script.package, options.projectRoot)) {
      problems.push({ problem: `the ${script.package} plugin script ${script.path} runs another checkout's plugin`, fix: reinstall });
    } else if (current.mode !== EXECUTABLE) {
      problems.push({ problem: `the ${script.package} plugin script ${script.path} is not executable (mode ${current.mode.toString(8)})`, fix: reinstall });
    }
  }
  return { ready: problems.length === 0, problems, plugins: scripts };
}
