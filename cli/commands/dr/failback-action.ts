import { describeDbInstance } from "../../aws/rds.js";
import { replicaLag } from "../../aws/cloudwatch.js";
import { ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { confirmByTypingStack, ensureCanConfirm } from "../../live/confirm.js";
import { resolveTarget } from "../../live/target.js";
import { parseDuration } from "../../dr/duration.js";
import { cappedTimeouts, DEFAULT_SEARCH_PATH } from "../../dr/failover.js";
import { DEFAULT_REPLICA_TIMEOUTS, failbackStatus, replicateSteps, requirePhaseOrder, standbySteps, switchBackSpec, switchBackSteps, type FailbackPhase, type PhaseStatus, type PlacementOverrides } from "../../dr/failback.js";
import { Journal } from "../../dr/journal.js";
import { defaultDrDeps, enforcePreflight, executeOperation, newRunId, type DrDeps, type Refusal, readCaller } from "../../dr/operation.js";
import { loadDrOutputs } from "../../dr/outputs-source.js";
import { drDirectory, drFiles, type Operation } from "../../dr/paths.js";
import { renderMarkdown, type DrReport, type ReportFiles } from "../../dr/report.js";
import { renderPlan, type Step } from "../../dr/steps.js";
import type { FailbackOptions, FailbackPhaseArgument } from "./options.js";

const OPERATION: Record<FailbackPhase, Operation> = { replicate: "failback-replicate", switch: "failback-switch", standby: "failback-standby" };
/** A replica this close behind counts as in sync for the replicate phase. */
const DEFAULT_SYNC_LAG_SECONDS = 5;

function renderPhases(stack: string, phases: readonly PhaseStatus[], next: FailbackPhase | undefined, failedOver: boolean): string {
  const lines = [`Failback of ${stack}: ${failedOver ? "failed over to the DR region" : next === undefined ? "not failed over; nothing to fail back" : "in progress"}`];
  phases.forEach((phase, index) => { lines.push(`  ${index + 1}. ${phase.phase.padEnd(9)} ${phase.state.padEnd(11)} ${phase.detail}`); });
  if (next !== undefined) lines.push("", `next: shopctl failback ${next} --stack ${stack}`);
  return lines.join("\n");
}

function overridesOf(options: FailbackOptions): PlacementOverrides {
  const groups = options.securityGroupIds?.split(",").map((id) => id.trim()).filter((id) => id !== "");
  if (groups?.some((id) => !/^sg-[0-9a-f]+$/.test(id)) === true) throw new UsageError(`--security-group-ids ${options.securityGroupIds ?? ""}: expected security group ids such as sg-0123abcd,sg-4567ef01`);
  return { kmsKeyId: options.kmsKeyId, subnetGroup: options.subnetGroup, securityGroupIds: groups, instanceClass: options.instanceClass };
}

export async function failback(phaseArgument: FailbackPhaseArgument, options: FailbackOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const { config } = target.loaded;
  const acting = phaseArgument !== "status";
  const confirm = acting && config.tier === "prod" && !options.dryRun;
  if (confirm) ensureCanConfirm(io, target.stack, `fail back (${phaseArgument})`, options.yes);
  const { outputs, source } = await loadDrOutputs(target, options.outputsFile, io, deps.live);
  const dir = drDirectory(io.env, target.stack);
  const call = readCaller(deps, io);
  const unfinished = new Set((["replicate", "switch", "standby"] as const).filter((phase) => Journal.load(dir, OPERATION[phase]) !== undefined));
  const status = await failbackStatus(outputs, unfinished, { env: io.env, call, now: new Date(deps.clock.now()) });

  if (phaseArgument === "status") {
    if (options.json) printJson(io, { stack: target.stack, outputsSource: source, ...status });
    else printResult(io, renderPhases(target.stack, status.phases, status.next, status.failedOver));
    return ExitCode.Ok;
  }
  const phase: FailbackPhase = phaseArgument;
  const operation = OPERATION[phase];
  const pending = Journal.load(dir, operation);
  if (options.resume && pending === undefined) throw new UsageError(`there is no interrupted failback ${phase} of ${target.stack} to resume (no ${drFiles.journal(dir, operation)})`);
  if (!options.resume && pending !== undefined) throw new RefusedError(`an interrupted failback ${phase} of ${target.stack} exists (run ${pending.runId}, started ${pending.start.at}): continue it with --resume; nothing was changed`, { journal: pending.file });

  const runId = pending?.runId ?? newRunId(deps.clock);
  const recorded = pending?.start.options ?? {};
  const stepTimeoutMs = typeof recorded.stepTimeoutMs === "number" ? recorded.stepTimeoutMs : options.stepTimeout === undefined ? undefined : parseDuration(options.stepTimeout, "--step-timeout");
  const cap = <T extends object>(timeouts: T): T => (stepTimeoutMs === undefined ? timeouts : Object.fromEntries(Object.entries(timeouts).map(([key, value]) => [key, Math.min(Number(value), stepTimeoutMs)])) as T);
  const maxLagSeconds = typeof recorded.maxLagSeconds === "number" ? recorded.maxLagSeconds
    : options.maxLag === undefined ? (phase === "switch" ? outputs.rpoSeconds : DEFAULT_SYNC_LAG_SECONDS) : parseDuration(options.maxLag, "--max-lag") / 1_000;
  const retireOldPrimary = recorded.retireOldPrimary === true || options.retireOldPrimary;
  // A resumed phase keeps what it started with; flags given now fill what it lacked.
  const overrides: PlacementOverrides = { ...overridesOf(options), ...((recorded.overrides as PlacementOverrides | undefined) ?? {}) };
  const searchPath = typeof recorded.searchPath === "string" ? recorded.searchPath : options.searchPath ?? DEFAULT_SEARCH_PATH;
  const runOptions = { maxLagSeconds, retireOldPrimary, overrides: { ...overrides }, searchPath, ...(stepTimeoutMs === undefined ? {} : { stepTimeoutMs }) };

  const warnings: string[] = [];
  let finalReport: { report: DrReport; files: ReportFiles } | undefined;
  let steps: Step[];
  const refusals: Refusal[] = [];
  const dr = outputs.dr;
  if (dr === undefined) throw new RefusedError(`stack ${target.stack} has no DR region: there is nothing to fail back from`);

  switch (phase) {
    case "replicate": {
      steps = replicateSteps({ outputs, config, runId, retireOldPrimary, overrides, maxSyncLagSeconds: maxLagSeconds, timeouts: cap(DEFAULT_REPLICA_TIMEOUTS) });
      if (pending === undefined) {
        if (!status.failedOver) refusals.push({ code: "not-failed-over", message: `${target.stack} is not failed over (the health check is not inverted and ${dr.databaseInstanceId} is still a replica): nothing to fail back`, overridable: false });
        const [drDb, oldPrimary] = await Promise.all([
          call(`describe ${dr.databaseInstanceId}`, () => describeDbInstance(dr.region, dr.databaseInstanceId, io.env)),
          call(`describe ${outputs.primary.databaseInstanceId}`, () => describeDbInstance(outputs.primary.region, outputs.primary.databaseInstanceId, io.env)),
        ]);
        if (drDb?.status !== "available" || drDb.replicaSource !== undefined) refusals.push({ code: "source", message: `${dr.databaseInstanceId} must be an available standalone instance to replicate from; it is ${drDb === undefined ? "missing" : `${drDb.status}${drDb.replicaSource === undefined ? "" : `, a replica of ${drDb.replicaSource}`}`}`, overridable: false });
        else if (drDb.backupRetentionDays === 0) refusals.push({ code: "source-backups", message: `${dr.databaseInstanceId} keeps no automated backups, so RDS cannot replicate from it; turn them on first`, overridable: false });
        if (oldPrimary !== undefined && oldPrimary.replicaSource === undefined && !retireOldPrimary) {
          refusals.push({ code: "old-primary", message: `${outputs.primary.databaseInstanceId} in ${outputs.primary.region} is the old primary: its data diverged when the DR region took over. Check it for writes after the failover, then pass --retire-old-primary to rename it out of the way (it is kept, not deleted)`, overridable: false });
        }
      }
      break;
    }
    case "switch": {
      if (pending === undefined) requirePhaseOrder(phase, status.phases, target.stack);
      const spec = switchBackSpec({ outputs, config, probe: deps.probe, searchPath, timeouts: cappedTimeouts(stepTimeoutMs) });
      steps = switchBackSteps({ spec, outputs, config, warnings, reportDir: options.reportDir ?? drFiles.reports(dir), onReport: (report, files) => { finalReport = { report, files }; } });
      if (pending === undefined) {
        const lag = await call("read ReplicaLag", () => replicaLag(outputs.primary.region, outputs.primary.databaseInstanceId, io.env, new Date(deps.clock.now())));
        if (lag === undefined || lag.seconds > maxLagSeconds) refusals.push({ code: "replica-lag", message: `${outputs.primary.databaseInstanceId} ${lag === undefined ? "has no ReplicaLag datapoint" : `lags ${lag.seconds}s, over ${maxLagSeconds}s`}: wait for \`shopctl failback replicate\` to report it in sync`, overridable: false });
      }
      break;
    }
    case "standby": {
      if (pending === undefined) requirePhaseOrder(phase, status.phases, target.stack);
      steps = standbySteps({ outputs, config, runId, overrides, timeouts: cap(DEFAULT_REPLICA_TIMEOUTS) });
      break;
    }
  }

  const plan = renderPlan(`Failback ${phase} plan for ${target.stack} (run ${runId}; outputs from ${source})`, steps, pending);
  if (options.dryRun) {
    const lines = refusals.map((refusal) => `  REFUSE ${refusal.message}`);
    if (options.json) printJson(io, { stack: target.stack, phase, dryRun: true, plan: steps.map((step) => ({ id: step.id, title: step.title, plan: step.plan })), refusals, phases: status.phases });
    else printResult(io, [renderPhases(target.stack, status.phases, status.next, status.failedOver), "", plan, "", "preflight:", ...(lines.length === 0 ? ["  all checks passed"] : lines), "", "Dry run: nothing was changed."].join("\n"));
    return refusals.length > 0 ? ExitCode.Refused : ExitCode.Ok;
  }
  if (!options.json) log(io, plan);
  warnings.push(...(await enforcePreflight(io, target.stack, `failback ${phase}`, refusals, { force: false, acknowledge: undefined })));
  if (confirm) await confirmByTypingStack(io, target.stack, `fail back (${phase})`, options.yes);

  await executeOperation({ operation, stack: target.stack, dir, steps, options: runOptions, resume: pending, io, deps, runId });
  const after = await failbackStatus(outputs, new Set(), { env: io.env, call, now: new Date(deps.clock.now()) });
  const report = finalReport;
  if (options.json) {
    printJson(io, { stack: target.stack, operation, status: "done", phases: after.phases, next: after.next ?? null, ...(report === undefined ? {} : { report: report.report, files: report.files }) });
  } else {
    printResult(io, [
      ...(report === undefined ? [] : [renderMarkdown(report.report), `report: ${report.files.markdown}`, ""]),
      renderPhases(target.stack, after.phases, after.next, after.failedOver),
      ...(phase === "standby" ? ["", `The stack is back to normal. Run \`shopctl dr status --stack ${target.stack}\` (READY expected) and \`shopctl up --stack ${target.stack}\` to let Pulumi refresh the replaced database instances.`] : []),
    ].join("\n"));
  }
  return ExitCode.Ok;
}
