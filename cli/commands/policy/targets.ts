// What `shopctl policy check` evaluates: a stack's program under the mock cloud (with the policy
// config derived from the stack's config), or the resources of a real stack's export or preview.
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  packConfigFor,
  parsePackConfig,
  PolicyConfigError,
  ResourceSourceError,
  type EvaluationResource,
  type PackConfigLayer,
  type PolicyEngine,
} from "../../../policies/api.js";
import { profileOf } from "../../policy-profile.js";
import { listStacks, loadStack } from "../../../stacks/config/index.js";
import { UsageError } from "../../exit-codes.js";
import { canPrompt, log, stacksDirFrom, type Io } from "../../io.js";
import { chooseStack } from "../../stack-choice.js";
import type { PolicyCheckOptions } from "./options.js";

export interface Target {
  /** The stack name, or the file as given. */
  readonly name: string;
  readonly kind: "stack" | "export" | "preview";
  /** The file a finding points at: the stack's config file, or the resource file (relative to the working directory). */
  readonly location: string;
  readonly resources: EvaluationResource[];
  /** Config applied after the pack's initial config (the stack's derived config). */
  readonly layers: PackConfigLayer[];
}

export type Source =
  | { readonly kind: "stacks"; readonly stacks: readonly string[] }
  | { readonly kind: "export" | "preview"; readonly file: string };

const SOURCE_FLAGS = "--stack NAME, --all-stacks, --from-export FILE or --from-preview FILE";

/** The one source the flags ask for; a stack from $SHOPCTL_STACK yields to an explicit file flag. */
export async function chooseSource(options: PolicyCheckOptions, io: Io): Promise<Source> {
  const files = [options.fromExport, options.fromPreview].filter((file) => file !== undefined);
  const stack = options.stackFromEnv === true && (files.length > 0 || options.allStacks) ? undefined : options.stack;
  const given = [stack !== undefined, options.allStacks, options.fromExport !== undefined, options.fromPreview !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError(`pass one of ${SOURCE_FLAGS}, not several`);
  if (options.fromExport !== undefined) return { kind: "export", file: options.fromExport };
  if (options.fromPreview !== undefined) return { kind: "preview", file: options.fromPreview };
  const dir = stacksDirFrom(io);
  const available = await listStacks(dir);
  if (options.allStacks) return { kind: "stacks", stacks: available };
  if (stack === undefined && !canPrompt(io)) {
    throw new UsageError(`what should be checked? pass ${SOURCE_FLAGS.replace("--stack NAME", `--stack NAME (one of: ${available.join(", ")})`)}; there is no terminal to ask on`);
  }
  return { kind: "stacks", stacks: [await chooseStack(io, stack, available)] };
}

/** A JSON file, or a usage error that says why it cannot be used. */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String(error);
    throw new UsageError(`cannot read ${what} ${file}: ${reason}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${what} ${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The policy config file given with --config, as a layer applied last. */
export async function configFileLayer(file: string): Promise<PackConfigLayer> {
  const document = await readJsonFile(file, "the policy config");
  try {
    return parsePackConfig(document, file);
  } catch (error) {
    if (error instanceof PolicyConfigError) throw new UsageError(error.message, { problems: error.problems });
    throw error;
  }
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

/** A stack: its program run under the mock cloud, judged with the config derived from its stack file. */
export async function stackTarget(engine: PolicyEngine, stack: string, io: Io): Promise<Target> {
  const dir = stacksDirFrom(io);
  const loaded = await loadStack(stack, dir);
  log(io, `policy check: running stack ${stack}'s program under the mock cloud`);
  // Loaded only here: the program pulls in Pulumi and every component.
  const { runStackOffline } = await import("../../../stacks/offline.js");
  const run = await runStackOffline(loaded, { stacksDir: dir });
  const derived = packConfigFor(profileOf(loaded.config));
  return {
    name: stack,
    kind: "stack",
    location: relative(loaded.file),
    resources: engine.fromCollected(run.resources, { defaultRegion: loaded.config.primaryRegion }),
    layers: [parsePackConfig(derived, `the policy config derived from ${relative(loaded.file)}`)],
  };
}

/** A real stack's resources from a state export or a preview document. */
export async function fileTarget(engine: PolicyEngine, kind: "export" | "preview", file: string): Promise<Target> {
  const what = kind === "export" ? "the stack export" : "the preview";
  const document = await readJsonFile(file, what);
  try {
    const resources = kind === "export" ? engine.fromStackExport(document, file) : engine.fromPreviewJson(document, file);
    return { name: file, kind, location: relative(file), resources, layers: [] };
  } catch (error) {
    if (error instanceof ResourceSourceError) throw new UsageError(error.message, { problems: error.problems });
    throw error;
  }
}
