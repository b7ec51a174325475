import path from "node:path";
import { StackNotDeployedError, type DeployedResource } from "../../engine/engine.js";
import { compactProgress, ProgressReporter } from "../../engine/progress.js";
import { formatDuration } from "../../common/durations.js";
import { urnName } from "../../engine/urns.js";
import { ExitCode, RefusedError } from "../../exit-codes.js";
import { printJson, printResult, type Io } from "../../io.js";
import { confirmByTypingStack, ensureCanConfirm } from "../../live/confirm.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { componentSummary, describeChanges, runEngineOperation } from "../../live/operation.js";
import { preflight } from "../../live/preflight.js";
import { resolveTarget, type LiveTarget } from "../../live/target.js";
import type { DestroyOptions } from "./options.js";

/** The config asks for deletion protection: the database (and its replica) would refuse to go. */
function refuseProtectedConfig(target: LiveTarget): void {
  if (!target.loaded.config.database.deletionProtection) return;
  const file = path.relative(process.cwd(), target.loaded.file) || target.loaded.file;
  const database = target.loaded.values["shop:database"];
  const explicit = typeof database === "object" && database !== null && "deletionProtection" in database;
  const origin = explicit ? `set in ${file}` : `the ${target.loaded.config.tier} tier default`;
  throw new RefusedError([
    `stack ${target.stack} has deletion protection on (shop:database.deletionProtection: true, ${origin}); nothing was deleted.`,
    "Deletion protection keeps the database from being deleted by accident. To destroy this stack on purpose:",
    `  1. set shop:database.deletionProtection: false in ${file}`,
    `  2. shopctl up --stack ${target.stack}      # turns the protection off on the live resources`,
    `  3. shopctl destroy --stack ${target.stack}`,
  ].join("\n"));
}

function refuseProtectedState(stack: string, resources: readonly DeployedResource[]): void {
  const guarded = resources.filter((resource) => resource.protect || resource.deletionProtection);
  if (guarded.length === 0) return;
  const lines = guarded.map((resource) => `  - ${resource.type} ${urnName(resource.urn)}: ${resource.protect ? "Pulumi protect" : "deletion protection"} is on`);
  throw new RefusedError([
    `stack ${stack} still has ${guarded.length} protected resource${guarded.length === 1 ? "" : "s"} in its state; nothing was deleted.`,
    ...lines,
    `Turn the protection off in the stack config and run \`shopctl up --stack ${stack}\` first (for Pulumi's protect flag: \`pulumi state unprotect\`).`,
  ].join("\n"), { protected: guarded });
}

export async function destroy(options: DestroyOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const confirm = target.loaded.config.tier !== "dev" && !options.dryRun;
  if (confirm) ensureCanConfirm(io, target.stack, "destroy", options.yes);
  refuseProtectedConfig(target);
  await preflight(target, io, deps, { policy: false, quiet: options.json });

  const engine = await deps.createEngine(target.settings);
  let deployed: DeployedResource[];
  try {
    deployed = await engine.resources();
  } catch (error) {
    if (error instanceof StackNotDeployedError) throw new RefusedError(`${error.message}; there is nothing to destroy`);
    throw error;
  }
  refuseProtectedState(target.stack, deployed);
  if (confirm) await confirmByTypingStack(io, target.stack, "destroy every resource of", options.yes);

  const reporter = new ProgressReporter(io, { compact: compactProgress(io), planning: options.dryRun });
  const started = deps.now();
  const changes = await runEngineOperation(io, reporter, options.dryRun ? "destroy preview" : "destroy", (handlers) =>
    engine.destroy({ ...handlers, previewOnly: options.dryRun }));
  if (options.json) {
    printJson(io, { stack: target.stack, dryRun: options.dryRun, changes });
    return ExitCode.Ok;
  }
  const head = options.dryRun
    ? `Dry run of destroy for ${target.stack}: ${describeChanges(changes, true)}; nothing was deleted`
    : `Destroyed ${target.stack} in ${formatDuration(deps.now() - started)}: ${describeChanges(changes, false)}`;
  printResult(io, [head, ...componentSummary(reporter.result().byComponent, options.dryRun)].join("\n"));
  return ExitCode.Ok;
}
