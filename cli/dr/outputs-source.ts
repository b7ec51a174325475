import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseStackOutputs, type StackOutputs } from "../../stacks/outputs.js";
import { CliError, RefusedError, UsageError } from "../exit-codes.js";
import { log, type Io } from "../io.js";
import type { LiveDeps } from "../live/deps.js";
import { readOutputs } from "../live/outputs.js";
import { preflight, READ_CHECKS } from "../live/preflight.js";
import type { LiveTarget } from "../live/target.js";
import { formatSeconds } from "../common/durations.js";
import { drDirectory, drFiles } from "./paths.js";

export interface DrOutputs {
  outputs: StackOutputs;
  /** `state backend` or the file the outputs came from. */
  source: string;
}

/** A copy of the outputs older than this gets a warning: a later `up` may have changed them. */
const OLD_COPY_MS = 7 * 86_400_000;

/** `shopctl outputs --json` prints `{ stack, outputs }`; a bare outputs object is accepted too. */
function unwrap(document: unknown): unknown {
  if (typeof document === "object" && document !== null && "outputs" in document && "stack" in document) return (document as { outputs: unknown }).outputs;
  return document;
}

export function readOutputsFile(file: string, stack: string, now: number, io: Io): StackOutputs {
  let text: string;
  let modified: number;
  try {
    text = readFileSync(file, "utf8");
    modified = statSync(file).mtimeMs;
  } catch (error) {
    throw new UsageError(`--outputs-file ${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new UsageError(`--outputs-file ${file}: not JSON (save it with \`shopctl outputs --stack ${stack} --json > ${path.basename(file)}\`)`);
  }
  let outputs: StackOutputs;
  try {
    outputs = parseStackOutputs(unwrap(document), stack);
  } catch (error) {
    throw new UsageError(`--outputs-file ${file}: ${(error as Error).message}`);
  }
  if (outputs.stack !== stack) throw new UsageError(`--outputs-file ${file} holds the outputs of stack ${outputs.stack}, not ${stack}`);
  const age = now - modified;
  if (age > OLD_COPY_MS) log(io, `warning: ${file} was saved ${formatSeconds(age / 1_000)} ago; if the stack was updated since, its names may be out of date`);
  return outputs;
}

/**
 * The stack outputs a DR command works from: `--outputs-file` when given (mid-outage Pulumi's
 * backend may be unreachable), else the state backend, whose answer is saved under
 * `$SHOPCTL_HOME/dr/<stack>/outputs.json` for the day it is not.
 */
export async function loadDrOutputs(target: LiveTarget, outputsFile: string | undefined, io: Io, deps: LiveDeps): Promise<DrOutputs> {
  if (outputsFile !== undefined) return { outputs: readOutputsFile(outputsFile, target.stack, deps.now(), io), source: outputsFile };
  const dir = drDirectory(io.env, target.stack);
  const cached = drFiles.outputs(dir);
  const hint = () => {
    try {
      const age = formatSeconds((deps.now() - statSync(cached).mtimeMs) / 1_000);
      return `\nIf the state backend is unreachable (mid-outage), use the copy saved ${age} ago: --outputs-file ${cached}`;
    } catch {
      return "\nIf the state backend is unreachable (mid-outage), pass --outputs-file FILE (a copy saved with `shopctl outputs --json`).";
    }
  };
  let outputs: StackOutputs;
  try {
    await preflight(target, io, deps, { only: READ_CHECKS, policy: false, quiet: true });
    const engine = await deps.createEngine(target.settings);
    outputs = (await readOutputs(engine, target.stack)).outputs;
  } catch (error) {
    if (error instanceof RefusedError) throw new RefusedError(`${error.message}${hint()}`, error.details);
    if (error instanceof CliError) throw new CliError(`${error.message}${hint()}`, error.exitCode, error.details);
    throw new CliError(`could not read the outputs of ${target.stack} from the state backend: ${(error as Error).message}${hint()}`, 1);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(cached, `${JSON.stringify({ stack: target.stack, savedAt: new Date(deps.now()).toISOString(), outputs }, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    log(io, `warning: could not keep a copy of the outputs in ${cached}: ${(error as Error).message}`);
  }
  return { outputs, source: "state backend" };
}
