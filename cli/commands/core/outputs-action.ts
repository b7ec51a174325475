import { ExitCode } from "../../exit-codes.js";
import { printJson, printResult, type Io } from "../../io.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { flatten, maskSecrets, readOutputs, renderKeyValues } from "../../live/outputs.js";
import { preflight, READ_CHECKS } from "../../live/preflight.js";
import { resolveTarget } from "../../live/target.js";
import type { OutputsOptions } from "./options.js";

export async function outputs(options: OutputsOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  await preflight(target, io, deps, { only: READ_CHECKS, policy: false, quiet: true });
  const engine = await deps.createEngine(target.settings);
  const { raw } = await readOutputs(engine, target.stack);
  const shown = maskSecrets(raw);
  if (options.json) printJson(io, { stack: target.stack, outputs: shown });
  else printResult(io, renderKeyValues(flatten(shown)));
  return ExitCode.Ok;
}
