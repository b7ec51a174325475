import { readFileSync } from "node:fs";
import path from "node:path";
import { buildProgram } from "../../cli/main.js";
import { processIo } from "../../cli/io.js";
import { stackConfigSchema, TIERS } from "../../stacks/config/schema.js";
import { TIER_DEFAULTS } from "../../stacks/config/tier-defaults.js";
import { extractCli, renderCli } from "./cli.js";
import { extractComponents, renderComponents } from "./components.js";
import { extractConfig, renderConfig } from "./config.js";
import { sortProblems, type Problem } from "./problems.js";

/** A generated file: its path relative to the repository root and its whole content. */
export interface GeneratedFile {
  file: string;
  content: string;
}

export interface Reference {
  files: GeneratedFile[];
  /** Completeness problems in the sources (missing descriptions, @default, @example). */
  problems: Problem[];
}

export const REFERENCE_DIR = "docs/reference";
const SCHEMA_FILE = "stacks/config/schema.ts";

/** Build all three reference files in memory from the code under `repoRoot`. */
export function buildReference(repoRoot: string): Reference {
  const components = extractComponents({ repoRoot, componentsDir: path.join(repoRoot, "components") });

  const configSource = {
    schema: stackConfigSchema,
    tierDefaults: TIER_DEFAULTS,
    tiers: TIERS,
    schemaFile: SCHEMA_FILE,
    schemaText: readFileSync(path.join(repoRoot, SCHEMA_FILE), "utf8"),
    namespace: "shop",
  };
  const config = extractConfig(configSource);

  // The program is only built, never parsed: no action runs and nothing is printed.
  const program = buildProgram(processIo(), () => undefined);
  const commands = extractCli(program);

  return {
    files: [
      { file: `${REFERENCE_DIR}/components.md`, content: renderComponents(components.components, components.types) },
      { file: `${REFERENCE_DIR}/config.md`, content: renderConfig(config.keys, configSource, `${SCHEMA_FILE} and stacks/config/tier-defaults.ts`) },
      { file: `${REFERENCE_DIR}/cli.md`, content: renderCli(commands, "cli/main.ts (the commander program)") },
    ],
    problems: sortProblems([...components.problems, ...config.problems]),
  };
}

/**
 * Each generated file whose copy on disk is missing or differs, at the first line that differs,
 * so a reader sees at once which part of the reference drifted.
 */
export function staleFiles(files: readonly GeneratedFile[], repoRoot: string, read: (file: string) => string | undefined = readIfPresent): Problem[] {
  const problems: Problem[] = [];
  for (const { file, content } of files) {
    const current = read(path.join(repoRoot, file));
    if (current === undefined) {
      problems.push({ file, line: 1, message: "missing; run npm run docs:reference and commit it" });
    } else if (current !== content) {
      problems.push({ file, line: firstDifferentLine(current, content), message: "stale (differs from the code from this line on); run npm run docs:reference and commit it" });
    }
  }
  return problems;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

export function firstDifferentLine(a: string, b: string): number {
  const left = a.split("\n");
  const right = b.split("\n");
  let line = 0;
  while (line < left.length && line < right.length && left[line] === right[line]) line++;
  return line + 1;
}
