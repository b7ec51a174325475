import { ExitCode } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { maskSecrets, readOutputs } from "../../live/outputs.js";
import { preflight, READ_CHECKS } from "../../live/preflight.js";
import { resolveTarget } from "../../live/target.js";
import { collectHealth, renderHealth } from "../../status/health.js";
import type { StatusOptions } from "./options.js";

export async function status(options: StatusOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  await preflight(target, io, deps, { only: READ_CHECKS, policy: false, quiet: true });
  const engine = await deps.createEngine(target.settings);
  const { outputs, raw } = await readOutputs(engine, target.stack);
  if (!options.json) log(io, `reading live health of ${target.stack} from AWS...`);
  const health = await collectHealth(outputs, io.env, new Date(deps.now()));
  if (options.json) printJson(io, { stack: target.stack, outputs: maskSecrets(raw), health });
  else printResult(io, renderHealth(outputs, health));
  return health.status === "unhealthy" ? ExitCode.Failed : ExitCode.Ok;
}
