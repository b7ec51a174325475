import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { ConfigError } from "./errors.js";
import { isPlainObject } from "./merge.js";
import { resolveStackConfig } from "./resolve.js";
import type { StackConfig } from "./schema.js";
import { projectRoot } from "../project-root.js";

/** `stacks/`, where Pulumi.yaml's `stackConfigDir` points and the sample stacks live. */
export const STACKS_DIR = path.join(projectRoot(), "stacks");

export interface LoadedStack {
  stack: string;
  file: string;
  /** The namespaced keys of the file's `config:` section, as written. */
  values: Record<string, unknown>;
  config: StackConfig;
}

export function stackFile(stack: string, dir = STACKS_DIR): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Stack names that have a `Pulumi.<name>.yaml` in the directory, sorted. */
export async function listStacks(dir = STACKS_DIR): Promise<string[]> {
  const entries = await readdir(dir);
  return entries
    .map((entry) => /^Pulumi\.([^.]+)\.yaml$/.exec(entry)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Read, validate and resolve `stacks/Pulumi.<stack>.yaml`. Throws ConfigError on any problem. */
export async function loadStack(stack: string, dir = STACKS_DIR): Promise<LoadedStack> {
  const file = stackFile(stack, dir);
  const values = await readStackValues(file);
  return { stack, file, values, config: resolveStackConfig(values, path.relative(process.cwd(), file) || file) };
}

export async function readStackValues(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "the file does not exist" : String(error);
    throw new ConfigError(file, [{ path: "(file)", found: file, expected: `a readable stack file; ${reason}` }]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError ? ` at line ${error.linePos?.[0].line ?? "?"}` : "";
    throw new ConfigError(file, [{ path: "(file)", found: `invalid YAML${where}`, expected: "a YAML document with a config: section" }]);
  }
  if (document === null || document === undefined) return {};
  if (!isPlainObject(document)) {
    throw new ConfigError(file, [{ path: "(file)", found: document, expected: "a YAML mapping with a config: section" }]);
  }
  const config = document.config ?? {};
  if (!isPlainObject(config)) {
    throw new ConfigError(file, [{ path: "config", found: config, expected: "a mapping of namespaced keys such as shop:tier" }]);
  }
  return config;
}
