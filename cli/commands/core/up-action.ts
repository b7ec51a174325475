import { parseStackOutputs, type StackOutputs } from "../../../stacks/outputs.js";
import type { EngineOutputs } from "../../engine/engine.js";
import { compactProgress, ProgressReporter } from "../../engine/progress.js";
import { formatDuration } from "../../common/durations.js";
import { drPosition, drConflict } from "../../dr/position.js";
import { drDirectory } from "../../dr/paths.js";
import { ExitCode, RefusedError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { confirmByTypingStack, ensureCanConfirm } from "../../live/confirm.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { componentSummary, describeChanges, runEngineOperation } from "../../live/operation.js";
import { flatten, maskSecrets, renderKeyValues } from "../../live/outputs.js";
import { preflight } from "../../live/preflight.js";
import { resolveTarget } from "../../live/target.js";
import type { UpOptions } from "./options.js";

function nextSteps(stack: string, outputs: StackOutputs | undefined, local: boolean): string[] {
  if (local) {
    return [
      "next (local cloud: nothing was created in AWS):",
      `  shopctl preview --local --stack ${stack}   # after a change: the engine's real diff`,
      `  shopctl outputs --local --stack ${stack}   # every output of the stack`,
      `  shopctl destroy --local --stack ${stack}   # remove it all`,
    ];
  }
  return [
    "next:",
    ...(outputs === undefined ? [] : [`  open ${outputs.siteUrl}`]),
    `  shopctl status --stack ${stack}     # live health: fleet, database, search, alarms, backups`,
    `  shopctl outputs --stack ${stack}    # every output of the stack`,
  ];
}

/** The contract view of the outputs when they match it; the deploy succeeded either way. */
function contractOutputs(raw: EngineOutputs, stack: string, io: Io): StackOutputs | undefined {
  try {
    return parseStackOutputs(raw.values, stack);
  } catch (error) {
    log(io, `warning: ${error instanceof Error ? error.message.split("\n")[0] ?? "" : String(error)}`);
    return undefined;
  }
}

export async function up(options: UpOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  // DR journals describe the stack in AWS; the local cloud's copy of it has no DR position.
  const conflict = target.settings.local === undefined ? drConflict(target.stack, drPosition(drDirectory(io.env, target.stack))) : undefined;
  if (conflict !== undefined) {
    if (!options.dryRun && options.ignoreDrState !== true) throw new RefusedError(`${conflict}; or pass --ignore-dr-state when the declared state is what you want`);
    log(io, `warning: ${conflict}${options.dryRun ? "" : "; deploying anyway (--ignore-dr-state)"}`);
  }
  const confirm = target.loaded.config.tier === "prod" && !options.dryRun;
  if (confirm) ensureCanConfirm(io, target.stack, "deploy to", options.yes);
  await preflight(target, io, deps, { policy: true, quiet: options.json });
  if (confirm) await confirmByTypingStack(io, target.stack, "deploy to", options.yes);

  const engine = await deps.createEngine(target.settings);
  const reporter = new ProgressReporter(io, { compact: compactProgress(io), planning: options.dryRun });
  const started = deps.now();

  if (options.dryRun) {
    const changes = await runEngineOperation(io, reporter, "preview", (handlers) => engine.preview(handlers));
    if (options.json) printJson(io, { stack: target.stack, dryRun: true, changes });
    else printResult(io, [`Dry run of up for ${target.stack}: ${describeChanges(changes, true)}; nothing was changed`, ...componentSummary(reporter.result().byComponent, true)].join("\n"));
    return ExitCode.Ok;
  }

  const result = await runEngineOperation(io, reporter, "up", (handlers) => engine.up(handlers));
  const elapsed = formatDuration(deps.now() - started);
  const shown = maskSecrets(result.outputs);
  const contract = contractOutputs(result.outputs, target.stack, io);
  if (options.json) {
    printJson(io, { stack: target.stack, changes: result.changes, outputs: shown, durationMs: deps.now() - started });
    return ExitCode.Ok;
  }
  printResult(io, [
    `Deployed ${target.stack}${target.settings.local === undefined ? "" : " to the local cloud"} in ${elapsed}: ${describeChanges(result.changes, false)}`,
    ...componentSummary(reporter.result().byComponent, false),
    "",
    "outputs:",
    renderKeyValues(flatten(shown)).replace(/^/gm, "  "),
    "",
    ...nextSteps(target.stack, contract, target.settings.local !== undefined),
  ].join("\n"));
  return ExitCode.Ok;
}
