import type { StackConfig } from "../../stacks/config/index.js";
import type { StackOutputs } from "../../stacks/outputs.js";
import { describeAsg } from "../aws/autoscaling.js";
import { recoveryPoints } from "../aws/backup-jobs.js";
import { describeRestoreJob, restoreMetadata, startRestoreJob, type RestoreJob } from "../aws/backup-restore.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { instancesTagged, launchTemplateVersion, runDrillInstance, terminateInstances } from "../aws/ec2-instances.js";
import { describeDbInstance } from "../aws/rds.js";
import { deleteThrowawayInstance } from "../aws/rds-changes.js";
import { commandInvocation, runShellCommand } from "../aws/ssm-commands.js";
import { RefusedError, UsageError } from "../exit-codes.js";
import { parseArn } from "../common/arn.js";
import type { Facts, Journal } from "./journal.js";
import { buildReport, reportStep, type DrReport, type ReportFiles } from "./report.js";
import type { RunContext, Step, StepAction } from "./steps.js";

/** The tag every drill resource carries: teardown finds them by it, and nothing else carries it. */
export const DRILL_TAG = "ShopDrill";

export interface DrillTimeouts {
  restoreMs: number;
  instanceMs: number;
  appMs: number;
  teardownMs: number;
}

export const DEFAULT_DRILL_TIMEOUTS: DrillTimeouts = { restoreMs: 3 * 3_600_000, instanceMs: 10 * 60_000, appMs: 20 * 60_000, teardownMs: 45 * 60_000 };

export interface DrillSpec {
  project: string;
  stack: string;
  runId: string;
  region: string;
  vault: string;
  /** The production database whose copies the DR vault holds. */
  sourceDatabaseArn: string;
  /** The DR replica: its subnet group and security groups place the drill database. */
  replicaId: string;
  /** The DR fleet: its launch template and subnets start the drill instance. */
  asgName: string;
  /** The DR runtime parameter the app reads its database endpoint from (rewritten for the drill instance). */
  endpointParameter: string;
  drillDatabaseId: string;
  restoreRoleArn: string;
  appPort: number;
  timeouts: DrillTimeouts;
}

/** `<primary id>-drill-<run>`: a valid RDS identifier (letters, digits, single hyphens, at most 63). */
export function drillDatabaseId(primaryId: string, runId: string): string {
  const suffix = `-drill-${runId.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.replace(/-+/g, "-").replace(/-$/, "");
  return `${primaryId.slice(0, 63 - suffix.length).replace(/-$/, "")}${suffix}`;
}

/**
 * The AWS Backup service role of the stack's BackupPlan: from the outputs, or for outputs from
 * before they carried it, by its name (`<stack>-backup-backup`, in the account of the stack's
 * resources); `--restore-role-arn` overrides it.
 */
export function defaultRestoreRoleArn(outputs: StackOutputs): string {
  if (outputs.backupRoleArn !== undefined) return outputs.backupRoleArn;
  const database = parseArn(outputs.primary.databaseArn);
  const name = `${outputs.stack}-backup-backup`;
  if (name.length > 64 || database === undefined || database.account === "") throw new UsageError(`cannot derive the AWS Backup role of ${outputs.stack}; pass --restore-role-arn`);
  return `arn:${database.partition}:iam::${database.account}:role/${name}`;
}

/**
 * The web tier's cloud-config with the database endpoint fixed to the drill database: its
 * fetch-runtime-env script reads the endpoint from `parameter`, every other value (secret ARN,
 * search endpoint) still from the DR parameters, which the drill never changes.
 */
export function drillUserData(userData: string, parameter: string, endpoint: string): string {
  if (!/^[A-Za-z0-9.-]+:\d+$/.test(endpoint)) throw new Error(`unexpected database endpoint ${endpoint}`);
  const lines = userData.split("\n");
  const header = lines.filter((line) => line.startsWith("#"));
  if (header[0] !== "#cloud-config") throw new Error("the launch template's user data is not a cloud-config document");
  let config: { write_files?: { path?: string; content?: string }[] };
  try {
    config = JSON.parse(lines.filter((line) => !line.startsWith("#")).join("\n")) as typeof config;
  } catch {
    throw new Error("the launch template's cloud-config is not the JSON document shop-platform's web tier writes");
  }
  const read = new RegExp(`read_parameter '${parameter.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}' DATABASE_ENDPOINT`);
  const script = config.write_files?.find((file) => file.content !== undefined && read.test(file.content));
  if (script?.content === undefined) throw new Error(`the launch template's user data does not read the database endpoint from ${parameter}; a drill instance cannot be pointed at the restored database`);
  script.content = script.content.replace(read, `printf '%s=%s\\n' DATABASE_ENDPOINT '${endpoint}'`);
  return `#cloud-config\n# shopctl drill: the database endpoint is the drill's restored instance\n${JSON.stringify(config, null, 2)}\n`;
}

function pickPointStep(spec: DrillSpec): Step {
  const pick = async (ctx: RunContext): Promise<Facts> => {
    const points = await ctx.call(`list the recovery points of ${spec.vault}`, () => recoveryPoints(spec.region, spec.vault, ctx.env));
    const rds = points.filter((point) => point.status === "COMPLETED" && point.resourceType === "RDS");
    const point = rds.find((candidate) => candidate.resourceArn === spec.sourceDatabaseArn) ?? rds[0];
    if (point === undefined) throw new Error(`${spec.vault} (${spec.region}) holds no completed RDS recovery point`);
    return { recoveryPointArn: point.arn, createdAt: point.createdAt.toISOString(), resourceArn: point.resourceArn ?? null, ageSeconds: Math.round((ctx.clock.now() - point.createdAt.getTime()) / 1_000) };
  };
  return {
    id: "pick-point",
    title: "pick the newest recovery point in the DR vault",
    dependsOn: [],
    plan: [`the newest completed RDS recovery point of ${spec.sourceDatabaseArn} in ${spec.vault} (${spec.region})`],
    observe: pick,
    actions: () => [],
    verify: (ctx, observation) => Promise.resolve(observation ?? ctx.journal.firstObservation("pick-point") ?? {}).then((facts) => {
      if (typeof facts.recoveryPointArn !== "string") throw new Error("no recovery point was picked");
      return facts;
    }),
  };
}

function pointOf(journal: Journal): string {
  const facts = journal.verifiedFacts("pick-point") ?? journal.firstObservation("pick-point");
  const arn = facts?.recoveryPointArn;
  if (typeof arn !== "string") throw new Error("the recovery point is unknown (step 1 has not run)");
  return arn;
}

function restoreJobOf(journal: Journal): string | undefined {
  const job = journal.actions("restore").find((action) => action.action === "start-restore" && action.confirmed)?.result?.restoreJobId;
  return typeof job === "string" ? job : undefined;
}

function restoreStep(spec: DrillSpec): Step {
  return {
    id: "restore",
    title: `restore it into the isolated instance ${spec.drillDatabaseId}`,
    dependsOn: ["pick-point"],
    plan: [
      `AWS Backup restores the point as ${spec.drillDatabaseId}: in the DB subnet group and security groups of ${spec.replicaId} (named explicitly, never a default VPC), single-AZ, private, no deletion protection`,
      "wait for the restore job and for the instance to be available; that time is the restore time",
    ],
    async observe(ctx) {
      const [db, replica] = await Promise.all([
        ctx.call(`describe ${spec.drillDatabaseId}`, () => describeDbInstance(spec.region, spec.drillDatabaseId, ctx.env)),
        ctx.call(`describe ${spec.replicaId}`, () => describeDbInstance(spec.region, spec.replicaId, ctx.env)),
      ]);
      if (replica?.subnetGroup === undefined || replica.securityGroupIds.length === 0) throw new Error(`cannot place the drill database: ${spec.replicaId} shows no DB subnet group or security groups`);
      return { exists: db !== undefined, status: db?.status ?? null, subnetGroup: replica.subnetGroup, securityGroupIds: replica.securityGroupIds };
    },
    actions(observation, ctx) {
      if (observation.exists === true || restoreJobOf(ctx.journal) !== undefined) return [];
      const recoveryPointArn = pointOf(ctx.journal);
      return [{
        id: "start-restore",
        description: `starting an AWS Backup restore of ${recoveryPointArn} as ${spec.drillDatabaseId}`,
        run: async () => {
          const recorded = await ctx.call("read the restore metadata", () => restoreMetadata(spec.region, spec.vault, recoveryPointArn, ctx.env));
          const metadata: Record<string, string> = {
            ...recorded,
            DBInstanceIdentifier: spec.drillDatabaseId,
            DBSubnetGroupName: String(observation.subnetGroup),
            VpcSecurityGroupIds: JSON.stringify(observation.securityGroupIds),
            MultiAZ: "false",
            PubliclyAccessible: "false",
            DeletionProtection: "false",
          };
          const restoreJobId = await startRestoreJob(spec.region, { recoveryPointArn, roleArn: spec.restoreRoleArn, metadata, resourceType: "RDS", idempotencyToken: spec.runId }, ctx.env);
          return { restoreJobId };
        },
      }];
    },
    async verify(ctx) {
      const jobId = restoreJobOf(ctx.journal);
      let job: RestoreJob | undefined;
      if (jobId !== undefined) {
        job = await ctx.wait({
          what: `restore job ${jobId}`,
          observe: () => ctx.call("describe the restore job", () => describeRestoreJob(spec.region, jobId, ctx.env)),
          judge: (seen) => (seen.status === "COMPLETED" ? "done" : seen.status === "FAILED" || seen.status === "ABORTED" ? { failed: `${seen.status}: ${seen.message}` } : "waiting"),
          describe: (seen) => `restore job ${seen.status}${seen.percentDone === undefined ? "" : ` ${seen.percentDone}`}`,
          timeoutMs: spec.timeouts.restoreMs,
          intervalMs: 60_000,
        });
      }
      const db = await ctx.wait({
        what: `${spec.drillDatabaseId} to be available`,
        observe: () => ctx.call(`describe ${spec.drillDatabaseId}`, () => describeDbInstance(spec.region, spec.drillDatabaseId, ctx.env)),
        judge: (seen) => (seen?.status === "available" ? "done" : seen?.status === "failed" || seen?.status === "incompatible-restore" ? { failed: seen.status } : "waiting"),
        describe: (seen) => `${spec.drillDatabaseId}: ${seen?.status ?? "not there yet"}`,
        timeoutMs: spec.timeouts.restoreMs,
        intervalMs: 30_000,
      });
      const started = ctx.journal.actions("restore").find((action) => action.action === "start-restore")?.at ?? ctx.journal.timing("restore").startedAt ?? ctx.clock.now();
      return {
        restoreJobId: jobId ?? null,
        createdResourceArn: job?.createdResourceArn ?? null,
        endpoint: db?.endpoint ?? null,
        restoreSeconds: Math.round((ctx.clock.now() - started) / 1_000),
      };
    },
  };
}

function startAppStep(spec: DrillSpec): Step {
  return {
    id: "start-app",
    title: "start one drill instance of the app against it",
    dependsOn: ["restore"],
    plan: [
      `one instance from the launch template of ${spec.asgName}, in its first subnet with the template's security groups (named explicitly), tagged ${DRILL_TAG}=${spec.runId}`,
      "its user data reads the drill database's endpoint instead of the DR parameter; no load balancer, no Auto Scaling group, no production traffic",
    ],
    async observe(ctx) {
      const running = await ctx.call("find drill instances", () => instancesTagged(spec.region, DRILL_TAG, spec.runId, ctx.env));
      return { instances: running.map((instance) => instance.id) };
    },
    actions(observation, ctx) {
      if ((observation.instances as string[]).length > 0) return [];
      return [{
        id: "run-instance",
        description: `starting a drill instance from the ${spec.asgName} launch template`,
        run: async () => {
          const endpoint = ctx.journal.verifiedFacts("restore")?.endpoint;
          if (typeof endpoint !== "string") throw new Error(`${spec.drillDatabaseId} has no endpoint`);
          const asg = await ctx.call(`describe ${spec.asgName}`, () => describeAsg(spec.region, spec.asgName, ctx.env));
          const template = asg?.launchTemplate;
          const subnet = asg?.subnetIds[0];
          if (template?.id === undefined || subnet === undefined) throw new Error(`${spec.asgName} has no launch template or subnet to start a drill instance from`);
          const version = await ctx.call("read the launch template", () => launchTemplateVersion(spec.region, template.id ?? "", template.version ?? "$Default", ctx.env));
          if (version?.userData === undefined) throw new Error(`launch template ${template.id} has no user data`);
          if (version.securityGroupIds.length === 0) throw new Error(`launch template ${template.id} names no security group; the drill instance would get the VPC's default`);
          const instanceId = await runDrillInstance(spec.region, {
            launchTemplateId: template.id,
            launchTemplateVersion: String(version.version),
            subnetId: subnet,
            securityGroupIds: version.securityGroupIds,
            userData: drillUserData(version.userData, spec.endpointParameter, endpoint),
            tags: { [DRILL_TAG]: spec.runId, Name: `${spec.stack}-drill`, Project: spec.project, Environment: spec.stack },
            clientToken: `shopctl-drill-${spec.runId}`,
          }, ctx.env);
          return { instanceId };
        },
      }];
    },
    async verify(ctx) {
      const running = await ctx.wait({
        what: "the drill instance to run",
        observe: () => ctx.call("find drill instances", () => instancesTagged(spec.region, DRILL_TAG, spec.runId, ctx.env)),
        judge: (seen) => (seen.some((instance) => instance.state === "running") ? "done" : seen.length === 0 ? { failed: "no drill instance (it terminated?)" } : "waiting"),
        describe: (seen) => seen.map((instance) => `${instance.id} ${instance.state}`).join(", ") || "no instance",
        timeoutMs: spec.timeouts.instanceMs,
        intervalMs: 15_000,
      });
      const instance = running.find((candidate) => candidate.state === "running");
      return { instanceId: instance?.id ?? null };
    },
  };
}

function verifyAppStep(spec: DrillSpec): Step {
  const probe = `curl -fsS --max-time 5 http://127.0.0.1:${spec.appPort}/readyz`;
  return {
    id: "verify-app",
    title: "verify the app on the restored database",
    dependsOn: ["start-app"],
    plan: [`through SSM Run Command on the drill instance: ${probe} (the app's readiness includes its database), until it answers`],
    observe: () => Promise.resolve({}),
    actions: () => [],
    async verify(ctx) {
      const instanceId = ctx.journal.verifiedFacts("start-app")?.instanceId;
      if (typeof instanceId !== "string") throw new Error("the drill instance is unknown");
      interface Check { status: string; output: string }
      const check = await ctx.wait<Check>({
        what: `the app on ${instanceId} to be ready`,
        observe: async () => {
          let commandId: string;
          try {
            commandId = await ctx.call("send the readiness check", () => runShellCommand(spec.region, instanceId, [probe], ctx.env));
          } catch (error) {
            // Until its SSM agent registers, the instance is not a valid command target.
            return { status: "NotRegistered", output: awsErrorMessage(error) };
          }
          const result = await ctx.wait({
            what: `SSM command ${commandId}`,
            observe: () => ctx.call("read the command result", () => commandInvocation(spec.region, commandId, instanceId, ctx.env)),
            judge: (seen) => (seen !== undefined && !["Pending", "InProgress", "Delayed"].includes(seen.status) ? "done" : "waiting"),
            describe: (seen) => `command ${seen?.status ?? "not registered"}`,
            timeoutMs: 120_000,
            intervalMs: 5_000,
          }).catch((error: unknown) => ({ status: "TimedOut", output: error instanceof Error ? error.message : String(error), error: "" }));
          return { status: result?.status ?? "Pending", output: (result?.output ?? "").trim().slice(0, 500) };
        },
        judge: (seen) => (seen.status === "Success" ? "done" : "waiting"),
        describe: (seen) => `readiness check ${seen.status}${seen.output === "" ? "" : `: ${seen.output.split("\n")[0] ?? ""}`}`,
        timeoutMs: spec.timeouts.appMs,
        intervalMs: 30_000,
      });
      return { instanceId, readyz: check.output === "" ? "ok" : check.output };
    },
  };
}

function teardownStep(spec: DrillSpec, dependsOn: readonly string[]): Step {
  return {
    id: "teardown",
    title: "tear everything down",
    dependsOn,
    plan: [`terminate every instance tagged ${DRILL_TAG}=${spec.runId}; delete ${spec.drillDatabaseId} without a final snapshot; wait until both are gone`],
    async observe(ctx) {
      const jobId = restoreJobOf(ctx.journal);
      if (jobId !== undefined) {
        // AWS Backup cannot cancel a restore: let it finish, then delete what it made.
        await ctx.wait({
          what: `restore job ${jobId} to end`,
          observe: () => ctx.call("describe the restore job", () => describeRestoreJob(spec.region, jobId, ctx.env)),
          judge: (seen) => (["COMPLETED", "FAILED", "ABORTED"].includes(seen.status) ? "done" : "waiting"),
          describe: (seen) => `restore job ${seen.status}`,
          timeoutMs: spec.timeouts.restoreMs,
          intervalMs: 60_000,
        });
      }
      const [instances, db] = await Promise.all([
        ctx.call("find drill instances", () => instancesTagged(spec.region, DRILL_TAG, spec.runId, ctx.env)),
        ctx.call(`describe ${spec.drillDatabaseId}`, () => describeDbInstance(spec.region, spec.drillDatabaseId, ctx.env)),
      ]);
      return { instances: instances.filter((instance) => instance.state !== "shutting-down").map((instance) => instance.id), database: db?.status ?? null };
    },
    actions(observation, ctx) {
      const actions: StepAction[] = [];
      const instances = observation.instances as string[];
      if (instances.length > 0) actions.push({ id: "terminate", description: `terminating ${instances.join(", ")}`, run: async () => { await terminateInstances(spec.region, instances, ctx.env); return { terminated: instances }; } });
      if (observation.database !== null && observation.database !== "deleting") {
        actions.push({ id: "delete-database", description: `deleting ${spec.drillDatabaseId} (no final snapshot: it is a copy of a backup)`, run: async () => { await deleteThrowawayInstance(spec.region, spec.drillDatabaseId, ctx.env); return { deleted: spec.drillDatabaseId }; } });
      }
      return actions;
    },
    async verify(ctx) {
      await ctx.wait({
        what: "the drill's instance and database to be gone",
        observe: async () => ({
          instances: await ctx.call("find drill instances", () => instancesTagged(spec.region, DRILL_TAG, spec.runId, ctx.env)),
          db: await ctx.call(`describe ${spec.drillDatabaseId}`, () => describeDbInstance(spec.region, spec.drillDatabaseId, ctx.env)),
        }),
        judge: (seen) => (seen.instances.length === 0 && seen.db === undefined ? "done" : "waiting"),
        describe: (seen) => `${seen.instances.length} instance(s) left, database ${seen.db?.status ?? "gone"}`,
        timeoutMs: spec.timeouts.teardownMs,
        intervalMs: 30_000,
      });
      return { leftovers: 0 };
    },
  };
}

export function drillSpec(input: { outputs: StackOutputs; config: StackConfig; runId: string; restoreRoleArn: string | undefined; timeouts?: DrillTimeouts }): DrillSpec {
  const { outputs, config } = input;
  const dr = outputs.dr;
  if (dr === undefined) throw new RefusedError(`stack ${outputs.stack} has no DR region: a drill restores from the DR vault`);
  return {
    project: outputs.project,
    stack: outputs.stack,
    runId: input.runId,
    region: dr.region,
    vault: dr.backupVaultName,
    sourceDatabaseArn: outputs.primary.databaseArn,
    replicaId: dr.databaseInstanceId,
    asgName: dr.asgName,
    endpointParameter: dr.runtimeParameters.databaseEndpoint,
    drillDatabaseId: drillDatabaseId(outputs.primary.databaseInstanceId, input.runId),
    restoreRoleArn: input.restoreRoleArn ?? defaultRestoreRoleArn(outputs),
    appPort: config.web.appPort,
    timeouts: input.timeouts ?? DEFAULT_DRILL_TIMEOUTS,
  };
}

/** The drill's steps: restore, app, verify, teardown, report. None touches production traffic. */
export function drillSteps(spec: DrillSpec, input: { outputs: StackOutputs; config: StackConfig; reportDir: string; warnings: string[]; onReport: (report: DrReport, files: ReportFiles) => void }): Step[] {
  const steps = [pickPointStep(spec), restoreStep(spec), startAppStep(spec), verifyAppStep(spec), teardownStep(spec, ["verify-app"])];
  const build = (journal: Journal) => {
    const point = journal.verifiedFacts("pick-point");
    const restore = journal.verifiedFacts("restore");
    const age = point?.ageSeconds;
    return buildReport({
      journal, steps, operation: "drill", stack: spec.stack, mode: null, fromRegion: spec.region, toRegion: spec.region, endStep: "verify-app",
      rpoSeconds: typeof age === "number" ? age : null,
      rpoBasis: "restoring from backup: the age of the recovery point when the drill picked it",
      budgets: { rtoSeconds: input.config.recovery.rtoMinutes * 60, rpoSeconds: input.outputs.rpoSeconds },
      figures: { restoreSeconds: restore?.restoreSeconds ?? null, recoveryPoint: point?.recoveryPointArn ?? null, drillDatabase: spec.drillDatabaseId, app: journal.verifiedFacts("verify-app")?.readyz ?? null },
      warnings: input.warnings,
    });
  };
  return [...steps, reportStep({
    dependsOn: ["teardown"],
    dir: input.reportDir,
    region: spec.region,
    build,
    metrics: (report) => {
      const dimensions = { Stack: spec.stack, Operation: "drill" };
      const restore = report.figures.restoreSeconds;
      return [
        ...(typeof restore === "number" ? [{ name: "RestoreTimeSeconds", value: restore, unit: "Seconds" as const, dimensions }] : []),
        ...(report.rtoSeconds === null ? [] : [{ name: "RecoveryTimeSeconds", value: report.rtoSeconds, unit: "Seconds" as const, dimensions }]),
        ...(report.rpoSeconds === null ? [] : [{ name: "RecoveryPointSeconds", value: report.rpoSeconds, unit: "Seconds" as const, dimensions }]),
      ];
    },
    onReport: input.onReport,
  })];
}

/** Teardown on its own, for a drill that failed or was abandoned: `shopctl drill --cleanup`. */
export function cleanupSteps(spec: DrillSpec): Step[] {
  return [teardownStep(spec, [])];
}
