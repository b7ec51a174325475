import { describeAsg } from "../../aws/autoscaling.js";
import { newestRecoveryPoint } from "../../aws/backup.js";
import { awsErrorMessage } from "../../aws/client-config.js";
import { launchTemplateVersion } from "../../aws/ec2-instances.js";
import { describeDbInstance } from "../../aws/rds.js";
import { callerIdentity } from "../../aws/sts.js";
import { CliError, ExitCode, RefusedError, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { resolveTarget } from "../../live/target.js";
import { cleanupSteps, drillSpec, drillSteps, drillUserData, type DrillSpec } from "../../dr/drill.js";
import { Journal } from "../../dr/journal.js";
import { defaultDrDeps, enforcePreflight, executeOperation, newRunId, type DrDeps, type Refusal, readCaller } from "../../dr/operation.js";
import { loadDrOutputs } from "../../dr/outputs-source.js";
import { drDirectory, drFiles } from "../../dr/paths.js";
import { renderMarkdown, type DrReport, type ReportFiles } from "../../dr/report.js";
import { renderPlan } from "../../dr/steps.js";
import type { DrillOptions } from "./options.js";

/** Reads only: what the drill will need exists and has the shape it expects. */
async function drillPreflight(spec: DrillSpec, io: Io, deps: DrDeps): Promise<Refusal[]> {
  const env = io.env;
  const call = readCaller(deps, io);
  const refusals: Refusal[] = [];
  const check = async (code: string, body: () => Promise<string | undefined>) => {
    try {
      const problem = await body();
      if (problem !== undefined) refusals.push({ code, message: problem, overridable: false });
    } catch (error) {
      refusals.push({ code, message: `${code}: ${awsErrorMessage(error)}`, overridable: false });
    }
  };
  await Promise.all([
    check("credentials", async () => { await call("check the AWS credentials", () => callerIdentity(spec.region, env)); return undefined; }),
    check("recovery-point", async () => {
      const point = await call("read the newest recovery point", () => newestRecoveryPoint(spec.region, spec.vault, env));
      return point === undefined ? `${spec.vault} (${spec.region}) holds no recovery point to restore` : undefined;
    }),
    check("placement", async () => {
      const replica = await call(`describe ${spec.replicaId}`, () => describeDbInstance(spec.region, spec.replicaId, env));
      if (replica?.subnetGroup === undefined || replica.securityGroupIds.length === 0) return `${spec.replicaId} shows no DB subnet group or security groups to place the drill database in`;
      const drill = await call(`describe ${spec.drillDatabaseId}`, () => describeDbInstance(spec.region, spec.drillDatabaseId, env));
      return drill === undefined ? undefined : `${spec.drillDatabaseId} already exists`;
    }),
    check("launch-template", async () => {
      const asg = await call(`describe ${spec.asgName}`, () => describeAsg(spec.region, spec.asgName, env));
      const template = asg?.launchTemplate;
      if (template?.id === undefined || asg?.subnetIds[0] === undefined) return `${spec.asgName} has no launch template or subnet to start a drill instance from`;
      const version = await call("read the launch template", () => launchTemplateVersion(spec.region, template.id ?? "", template.version ?? "$Default", env));
      if (version?.userData === undefined) return `launch template ${template.id} has no user data`;
      drillUserData(version.userData, spec.endpointParameter, "drill.example:5432");
      return version.securityGroupIds.length === 0 ? `launch template ${template.id} names no security group` : undefined;
    }),
  ]);
  return refusals;
}

export async function drill(options: DrillOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  const { config } = target.loaded;
  const { outputs, source } = await loadDrOutputs(target, options.outputsFile, io, deps.live);
  const dir = drDirectory(io.env, target.stack);
  const pending = Journal.load(dir, "drill");
  if ((options.resume || options.cleanup) && pending === undefined) throw new UsageError(`there is no unfinished drill of ${target.stack} (no ${drFiles.journal(dir, "drill")})`);
  if (!options.resume && !options.cleanup && pending !== undefined) {
    throw new RefusedError(`an unfinished drill of ${target.stack} exists (run ${pending.runId}, started ${pending.start.at}): continue it with --resume or tear it down with --cleanup; nothing was changed`, { journal: pending.file });
  }
  const runId = pending?.runId ?? newRunId(deps.clock);
  const recordedRole = pending?.start.options.restoreRoleArn;
  const spec = drillSpec({ outputs, config, runId, restoreRoleArn: typeof recordedRole === "string" ? recordedRole : options.restoreRoleArn });
  const warnings: string[] = [];
  let finalReport: { report: DrReport; files: ReportFiles } | undefined;
  const steps = drillSteps(spec, { outputs, config, warnings, reportDir: options.reportDir ?? drFiles.reports(dir), onReport: (report, files) => { finalReport = { report, files }; } });
  const runOptions = { restoreRoleArn: spec.restoreRoleArn, drillDatabaseId: spec.drillDatabaseId };

  if (options.cleanup && pending !== undefined) {
    log(io, `tearing down drill run ${pending.runId}...`);
    await executeOperation({ operation: "drill", stack: target.stack, dir, steps: cleanupSteps(spec), options: runOptions, resume: pending, io, deps });
    if (options.json) printJson(io, { stack: target.stack, operation: "drill", status: "cleaned-up", runId: pending.runId });
    else printResult(io, `drill run ${pending.runId} torn down: no instance tagged ShopDrill=${pending.runId} and no ${spec.drillDatabaseId} remain`);
    return ExitCode.Ok;
  }

  const plan = renderPlan(`Drill plan for ${target.stack} in ${spec.region} (run ${runId}; outputs from ${source})`, steps, pending);
  if (!options.json && !options.dryRun) log(io, plan);
  const refusals = pending === undefined ? await drillPreflight(spec, io, deps) : [];
  if (options.dryRun) {
    const lines = refusals.map((refusal) => `  REFUSE ${refusal.message}`);
    if (options.json) printJson(io, { stack: target.stack, dryRun: true, plan: steps.map((step) => ({ id: step.id, title: step.title, plan: step.plan })), refusals });
    else printResult(io, [plan, "", "preflight:", ...(lines.length === 0 ? ["  all checks passed"] : lines), "", "Dry run: nothing was created."].join("\n"));
    return refusals.length > 0 ? ExitCode.Refused : ExitCode.Ok;
  }
  await enforcePreflight(io, target.stack, "drill", refusals, { force: false, acknowledge: undefined });

  try {
    await executeOperation({ operation: "drill", stack: target.stack, dir, steps, options: runOptions, resume: pending, io, deps, runId });
  } catch (error) {
    const failed = error instanceof CliError && typeof error.details === "object" && error.details !== null && "step" in error.details ? (error.details as { step: string }).step : undefined;
    if (failed === undefined || failed === "teardown" || failed === "report") throw error;
    log(io, "the drill failed; tearing down what it created...");
    const journal = Journal.load(dir, "drill");
    if (journal !== undefined) await executeOperation({ operation: "drill", stack: target.stack, dir, steps: cleanupSteps(spec), options: runOptions, resume: journal, io, deps });
    throw new CliError(`${(error as Error).message.split("\n")[0] ?? ""}\nEverything the drill created was torn down.`, ExitCode.Failed, error instanceof CliError ? error.details : undefined);
  }
  const result = finalReport;
  if (result === undefined) throw new Error("the drill finished without a report");
  if (options.json) printJson(io, { stack: target.stack, operation: "drill", status: "done", report: result.report, files: result.files });
  else printResult(io, `${renderMarkdown(result.report)}\nreport: ${result.files.markdown}\n        ${result.files.json}`);
  return ExitCode.Ok;
}
