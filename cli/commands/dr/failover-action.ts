import { ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { confirmByTypingStack, ensureCanConfirm } from "../../live/confirm.js";
import { resolveTarget } from "../../live/target.js";
import { failoverPreflight, failoverSettings, failoverSpec, failoverSteps, settingsFromJournal, type PreflightResult } from "../../dr/failover.js";
import { Journal } from "../../dr/journal.js";
import { defaultDrDeps, enforcePreflight, executeOperation, type DrDeps, readCaller } from "../../dr/operation.js";
import { loadDrOutputs } from "../../dr/outputs-source.js";
import { drDirectory, drFiles } from "../../dr/paths.js";
import { renderReadiness } from "../../dr/readiness.js";
import { renderMarkdown, type DrReport, type ReportFiles } from "../../dr/report.js";
import { renderPlan } from "../../dr/steps.js";
import type { FailoverOptions } from "./options.js";

function preflightLines(result: PreflightResult): string[] {
  return [
    `preflight as ${result.identity ?? "(no identity)"}:`,
    ...result.refusals.map((refusal) => `  REFUSE ${refusal.message}${refusal.overridable ? "" : " (not overridable)"}`),
    ...result.warnings.map((warning) => `  warn   ${warning}`),
    ...(result.refusals.length + result.warnings.length === 0 ? ["  all checks passed"] : []),
  ];
}

export async function failover(options: FailoverOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const { config } = target.loaded;
  const confirm = config.tier === "prod" && !options.dryRun;
  if (confirm) ensureCanConfirm(io, target.stack, "fail over", options.yes);
  const { outputs, source } = await loadDrOutputs(target, options.outputsFile, io, deps.live);

  const dir = drDirectory(io.env, target.stack);
  const pending = Journal.load(dir, "failover");
  if (options.resume && pending === undefined) throw new UsageError(`there is no interrupted failover of ${target.stack} to resume (no ${drFiles.journal(dir, "failover")})`);
  if (!options.resume && pending !== undefined) {
    const done = pending.start.steps.filter((step) => pending.stepState(step.id) === "done").map((step) => step.id);
    throw new RefusedError(`an interrupted failover of ${target.stack} exists (run ${pending.runId}, started ${pending.start.at}; done: ${done.join(", ") || "nothing"}). Continue it with --resume; nothing was changed.`, { journal: pending.file });
  }
  const settings = pending === undefined ? failoverSettings(options, outputs) : settingsFromJournal(pending);
  if (pending !== undefined) log(io, `resuming failover run ${pending.runId} (started ${pending.start.at}) with its own settings: mode ${settings.mode}, max data loss ${settings.maxDataLossSeconds}s`);

  const spec = failoverSpec(outputs, config, settings, deps.probe);
  const warnings: string[] = [];
  let finalReport: { report: DrReport; files: ReportFiles } | undefined;
  const steps = failoverSteps({
    spec, outputs, config, warnings,
    reportDir: options.reportDir ?? drFiles.reports(dir),
    onReport: (report, files) => { finalReport = { report, files }; },
  });
  const plan = renderPlan(`Failover plan for ${target.stack} (${settings.mode}): ${spec.from.region} -> ${spec.to.region}; outputs from ${source}`, steps, pending);

  let preflight: PreflightResult | undefined;
  if (pending === undefined) {
    if (!options.json && !options.dryRun) log(io, plan);
    log(io, "preflight: reading the replica, its lag, the DR region and the primary (no changes)...");
    const call = readCaller(deps, io);
    preflight = await failoverPreflight(outputs, settings, { env: io.env, call, now: new Date(deps.clock.now()) });
    if (!options.dryRun) log(io, preflightLines(preflight).join("\n"));
  } else if (!options.json) {
    log(io, plan);
  }

  if (options.dryRun) {
    const refused = (preflight?.refusals.length ?? 0) > 0;
    if (options.json) {
      printJson(io, { stack: target.stack, dryRun: true, settings, plan: steps.map((step) => ({ id: step.id, title: step.title, plan: step.plan, dependsOn: step.dependsOn, skipped: step.skipReason ?? null })), preflight: preflight ?? null });
    } else {
      printResult(io, [plan, "", ...(preflight === undefined ? [] : [...preflightLines(preflight), "", renderReadiness(outputs, preflight.readiness)]), "", refused ? "Dry run: the preflight refuses; nothing was changed." : "Dry run: nothing was changed."].join("\n"));
    }
    return refused ? ExitCode.Refused : ExitCode.Ok;
  }

  if (preflight !== undefined) {
    warnings.push(...preflight.warnings, ...(await enforcePreflight(io, target.stack, "failover", preflight.refusals, { force: options.force, acknowledge: options.acknowledge })));
  }
  if (confirm) await confirmByTypingStack(io, target.stack, "fail over", options.yes);

  await executeOperation({ operation: "failover", stack: target.stack, dir, steps, options: { ...settings }, resume: pending, io, deps });
  const result = finalReport;
  if (result === undefined) throw new Error("the failover finished without a report");
  if (options.json) printJson(io, { stack: target.stack, operation: "failover", status: "done", report: result.report, files: result.files });
  else printResult(io, `${renderMarkdown(result.report)}\nreport: ${result.files.markdown}\n        ${result.files.json}\nnext: shopctl dr status --stack ${target.stack}; fail back later with shopctl failback --stack ${target.stack}`);
  return ExitCode.Ok;
}
