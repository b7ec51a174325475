import type { StackConfig } from "../../stacks/config/index.js";
import type { StackOutputs } from "../../stacks/outputs.js";
import { describeAsg, setFleetCapacity, type FleetCapacity } from "../aws/autoscaling.js";
import { replicaLag } from "../aws/cloudwatch.js";
import { targetHealth } from "../aws/elbv2.js";
import { describeDbInstance, type DbInstanceHealth } from "../aws/rds.js";
import { createCrossRegionReplica, renameDbInstance } from "../aws/rds-changes.js";
import { getHealthCheck } from "../aws/route53.js";
import { parameterValues, putStringParameter } from "../aws/ssm-runtime.js";
import { RefusedError } from "../exit-codes.js";
import { failoverTopology, side } from "./failover.js";
import type { Journal } from "./journal.js";
import type { HttpProbe } from "./probe.js";
import type { Caller } from "./readiness.js";
import { buildReport, reportStep, type DrReport, type ReportFiles } from "./report.js";
import type { RunContext, Step, StepAction } from "./steps.js";
import { switchFigures, switchSteps, type SwitchSpec, type SwitchTimeouts } from "./switch.js";

// Failback in three phases, each its own invocation and journal:
//   replicate  a cross-region replica of the promoted DR database, under the primary's identifier
//              (its endpoint, and so the primary runtime parameters, stay valid), waited into sync;
//   switch     a graceful failover back: fence DR, promote the replica, primary fleet up, health
//              check restored, verified, reported;
//   standby    the DR replica re-created from the primary, DR runtime parameters and fleet back to
//              standby. The instances the phases replace are renamed, never deleted: their data
//              may matter to someone.

export type FailbackPhase = "replicate" | "switch" | "standby";

/** Database settings a re-created replica copies from the instance it replaces. */
export interface PlacementSettings {
  kmsKeyId: string;
  subnetGroup: string;
  securityGroupIds: string[];
  instanceClass: string;
  parameterGroup: string | undefined;
}

/** What the user may pass when the replaced instance is gone and cannot lend its settings. */
export interface PlacementOverrides {
  kmsKeyId?: string | undefined;
  subnetGroup?: string | undefined;
  securityGroupIds?: string[] | undefined;
  instanceClass?: string | undefined;
}

export interface ReplicaTimeouts {
  renameMs: number;
  createMs: number;
  syncMs: number;
  fleetMs: number;
}

export const DEFAULT_REPLICA_TIMEOUTS: ReplicaTimeouts = { renameMs: 30 * 60_000, createMs: 6 * 3_600_000, syncMs: 2 * 3_600_000, fleetMs: 20 * 60_000 };

/** `<id>-retired-<run stamp>`: the name a replaced instance is kept under. */
export function retiredId(id: string, runId: string): string {
  const suffix = `-retired-${runId.slice(0, 15).toLowerCase().replace(/[^a-z0-9]+/g, "")}`;
  return `${id.slice(0, 63 - suffix.length).replace(/-$/, "")}${suffix}`;
}

function placementOf(db: DbInstanceHealth | undefined): Partial<PlacementSettings> {
  if (db === undefined) return {};
  return { kmsKeyId: db.kmsKeyId, subnetGroup: db.subnetGroup, securityGroupIds: db.securityGroupIds.length === 0 ? undefined : db.securityGroupIds, instanceClass: db.instanceClass, parameterGroup: db.parameterGroup };
}

function completePlacement(found: Partial<PlacementSettings> | undefined, overrides: PlacementOverrides, what: string): PlacementSettings {
  const merged = { ...found, ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) } as Partial<PlacementSettings>;
  const missing = [
    merged.kmsKeyId === undefined ? "--kms-key-id" : undefined,
    merged.subnetGroup === undefined ? "--subnet-group" : undefined,
    merged.securityGroupIds === undefined ? "--security-group-ids" : undefined,
    merged.instanceClass === undefined ? "--instance-class" : undefined,
  ].filter((flag): flag is string => flag !== undefined);
  if (missing.length > 0) throw new Error(`${what}: nothing to copy its KMS key, subnet group, security groups and class from; pass ${missing.join(", ")}`);
  return { kmsKeyId: merged.kmsKeyId ?? "", subnetGroup: merged.subnetGroup ?? "", securityGroupIds: merged.securityGroupIds ?? [], instanceClass: merged.instanceClass ?? "", parameterGroup: merged.parameterGroup };
}

const matches = (source: string | undefined, id: string, arn: string) => source !== undefined && (source === arn || source === id || source.endsWith(`:db:${id}`));

/** A replica to (re)create under `id` in `region`, from `sourceArn` in `sourceRegion`. */
interface RecreateSpec {
  region: string;
  id: string;
  sourceRegion: string;
  sourceId: string;
  sourceArn: string;
  runId: string;
  /** May the instance now holding `id` (when it is not already the wanted replica) be renamed away? */
  retireExisting: boolean;
  overrides: PlacementOverrides;
  multiAz: boolean;
  deletionProtection: boolean;
  maxSyncLagSeconds: number;
  tags: Record<string, string>;
  timeouts: ReplicaTimeouts;
}

async function describe(ctx: RunContext, region: string, id: string): Promise<DbInstanceHealth | undefined> {
  return ctx.call(`describe ${id}`, () => describeDbInstance(region, id, ctx.env));
}

/** Rename whatever holds the identifier (unless it already is the wanted replica), then create the replica and wait it into sync. */
function recreateReplicaSteps(spec: RecreateSpec): Step[] {
  const retired = retiredId(spec.id, spec.runId);
  const isWanted = (db: DbInstanceHealth | undefined) => db !== undefined && matches(db.replicaSource, spec.sourceId, spec.sourceArn);
  const replace: Step = {
    id: "replace",
    title: `free the identifier ${spec.id} in ${spec.region}`,
    dependsOn: [],
    plan: [`when ${spec.id} is not yet a replica of ${spec.sourceId}, rename it to ${retired} (kept, with its data and deletion protection) and copy its KMS key, subnet group, security groups and class for the new replica`],
    async observe(ctx) {
      const db = await describe(ctx, spec.region, spec.id);
      return { exists: db !== undefined, wanted: isWanted(db), status: db?.status ?? null, replicaSource: db?.replicaSource ?? null, placement: placementOf(db) };
    },
    actions(observation, ctx) {
      if (observation.exists !== true || observation.wanted === true) return [];
      if (!spec.retireExisting) throw new Error(`${spec.id} in ${spec.region} is not a replica of ${spec.sourceId}: it holds data written before the failover; rename it away with --retire-old-primary (it is kept as ${retired})`);
      return [{ id: "rename", description: `renaming ${spec.id} to ${retired}`, run: async () => { await renameDbInstance(spec.region, spec.id, retired, ctx.env); return { retired }; } }];
    },
    async verify(ctx) {
      await ctx.wait({
        what: `${spec.id} to be free (or already the wanted replica)`,
        observe: () => describe(ctx, spec.region, spec.id),
        judge: (db) => (db === undefined || isWanted(db) ? "done" : "waiting"),
        describe: (db) => (db === undefined ? `${spec.id} is free` : `${spec.id}: ${db.status}`),
        timeoutMs: spec.timeouts.renameMs,
        intervalMs: 30_000,
      });
      const renamed = ctx.journal.actions("replace").some((action) => action.action === "rename");
      return { retired: renamed ? retired : null };
    },
  };
  const create: Step = {
    id: "create-replica",
    title: `create a replica of ${spec.sourceId} in ${spec.region}`,
    dependsOn: ["replace"],
    plan: [`a cross-region read replica ${spec.id} of ${spec.sourceArn}, encrypted with the replaced instance's ${spec.region} KMS key, in its subnet group and security groups${spec.multiAz ? ", Multi-AZ" : ""}`],
    async observe(ctx) {
      const db = await describe(ctx, spec.region, spec.id);
      return { exists: db !== undefined, wanted: isWanted(db), status: db?.status ?? null };
    },
    actions(observation, ctx) {
      if (observation.exists === true) {
        if (observation.wanted !== true) throw new Error(`${spec.id} exists but is not a replica of ${spec.sourceId}`);
        return [];
      }
      const placement = completePlacement(ctx.journal.firstObservation("replace")?.placement as Partial<PlacementSettings> | undefined, spec.overrides, `the new replica ${spec.id}`);
      return [{
        id: "create",
        description: `creating the replica ${spec.id} of ${spec.sourceArn}`,
        run: async () => {
          await createCrossRegionReplica(spec.region, { id: spec.id, sourceArn: spec.sourceArn, instanceClass: placement.instanceClass, kmsKeyId: placement.kmsKeyId, subnetGroup: placement.subnetGroup, securityGroupIds: placement.securityGroupIds, ...(placement.parameterGroup === undefined ? {} : { parameterGroup: placement.parameterGroup }), multiAz: spec.multiAz, deletionProtection: spec.deletionProtection, tags: spec.tags }, ctx.env);
          return { ...placement };
        },
      }];
    },
    async verify(ctx) {
      const db = await ctx.wait({
        what: `the replica ${spec.id} to be available`,
        observe: () => describe(ctx, spec.region, spec.id),
        judge: (seen) => (seen === undefined ? "waiting" : ["failed", "incompatible-parameters", "incompatible-network", "storage-full", "inaccessible-encryption-credentials"].includes(seen.status) ? { failed: seen.status } : seen.status === "available" && isWanted(seen) ? "done" : "waiting"),
        describe: (seen) => (seen === undefined ? `${spec.id} not there yet` : `${spec.id}: ${seen.status}`),
        timeoutMs: spec.timeouts.createMs,
        intervalMs: 60_000,
      });
      return { endpoint: db?.endpoint ?? null, replicaSource: db?.replicaSource ?? null };
    },
  };
  const sync: Step = {
    id: "sync",
    title: `wait until ${spec.id} is in sync`,
    dependsOn: ["create-replica"],
    plan: [`ReplicaLag of ${spec.id} (${spec.region}) at most ${spec.maxSyncLagSeconds}s`],
    observe: () => Promise.resolve({}),
    actions: () => [],
    async verify(ctx) {
      const lag = await ctx.wait({
        what: `${spec.id} to catch up`,
        observe: () => ctx.call("read ReplicaLag", () => replicaLag(spec.region, spec.id, ctx.env, new Date(ctx.clock.now()))),
        judge: (point) => (point !== undefined && point.seconds <= spec.maxSyncLagSeconds ? "done" : "waiting"),
        describe: (point) => (point === undefined ? "no ReplicaLag datapoint yet" : `ReplicaLag ${point.seconds}s at ${point.at.toISOString()}`),
        timeoutMs: spec.timeouts.syncMs,
        intervalMs: 60_000,
      });
      return { lagSeconds: lag?.seconds ?? null, at: lag?.at.toISOString() ?? null };
    },
  };
  return [replace, create, sync];
}

function topology(outputs: StackOutputs) {
  const { dr, dns, healthCheckId } = failoverTopology(outputs);
  return { dr, dns, healthCheckId, primary: outputs.primary };
}

export interface ReplicateInput {
  outputs: StackOutputs;
  config: StackConfig;
  runId: string;
  retireOldPrimary: boolean;
  overrides: PlacementOverrides;
  maxSyncLagSeconds: number;
  timeouts?: ReplicaTimeouts;
}

/** Phase 1: the primary region gets a replica of the promoted DR database. */
export function replicateSteps(input: ReplicateInput): Step[] {
  const { dr, primary } = topology(input.outputs);
  return recreateReplicaSteps({
    region: primary.region,
    id: primary.databaseInstanceId,
    sourceRegion: dr.region,
    sourceId: dr.databaseInstanceId,
    sourceArn: dr.databaseArn,
    runId: input.runId,
    retireExisting: input.retireOldPrimary,
    overrides: input.overrides,
    multiAz: false,
    deletionProtection: input.config.database.deletionProtection,
    maxSyncLagSeconds: input.maxSyncLagSeconds,
    tags: { Project: input.outputs.project, Environment: input.outputs.stack, ShopRole: "failback-replica" },
    timeouts: input.timeouts ?? DEFAULT_REPLICA_TIMEOUTS,
  });
}

/** Phase 2: a graceful failover from DR back to the primary region. */
export function switchBackSpec(input: { outputs: StackOutputs; config: StackConfig; probe: HttpProbe; searchPath: string; timeouts: SwitchTimeouts }): SwitchSpec {
  const { outputs, config } = input;
  const { dr, dns, healthCheckId, primary } = topology(outputs);
  return {
    operation: "failback-switch",
    mode: "graceful",
    project: outputs.project,
    stack: outputs.stack,
    from: side("dr", dr),
    to: side("primary", primary),
    zoneId: dns.zoneId,
    recordName: dns.originRecordName,
    healthCheckId,
    invertHealthCheck: false,
    targetCapacity: { min: config.web.minSize, max: config.web.maxSize, desired: config.web.desiredCapacity },
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.database.multiAz,
    databaseSecretArn: undefined,
    siteUrl: outputs.siteUrl,
    searchPath: input.searchPath,
    probe: input.probe,
    timeouts: input.timeouts,
  };
}

export function switchBackSteps(input: { spec: SwitchSpec; outputs: StackOutputs; config: StackConfig; reportDir: string; warnings: string[]; onReport: (report: DrReport, files: ReportFiles) => void }): Step[] {
  const { spec } = input;
  const steps = switchSteps(spec, (line) => input.warnings.push(line));
  const build = (journal: Journal) => buildReport({
    journal, steps, operation: spec.operation, stack: spec.stack, mode: spec.mode, fromRegion: spec.from.region, toRegion: spec.to.region, endStep: "verify-site",
    ...switchFigures({ fence: journal.verifiedFacts("fence"), promote: journal.firstObservation("promote"), mode: spec.mode }),
    budgets: { rtoSeconds: input.config.recovery.rtoMinutes * 60, rpoSeconds: input.outputs.rpoSeconds },
    warnings: input.warnings,
  });
  return [...steps, reportStep({
    dependsOn: ["verify-site"], dir: input.reportDir, region: spec.to.region, build,
    metrics: (report) => [
      ...(report.rtoSeconds === null ? [] : [{ name: "RecoveryTimeSeconds", value: report.rtoSeconds, unit: "Seconds" as const, dimensions: { Stack: spec.stack, Operation: spec.operation } }]),
      ...(report.rpoSeconds === null ? [] : [{ name: "RecoveryPointSeconds", value: report.rpoSeconds, unit: "Seconds" as const, dimensions: { Stack: spec.stack, Operation: spec.operation } }]),
    ],
    onReport: input.onReport,
  })];
}

export interface StandbyInput {
  outputs: StackOutputs;
  config: StackConfig;
  runId: string;
  overrides: PlacementOverrides;
  timeouts?: ReplicaTimeouts;
}

/** The DR fleet's standby size: 0 under pilot light, `web.standbyCapacity` under warm standby. */
export function standbyCapacity(config: StackConfig): FleetCapacity {
  const standby = config.drStrategy === "warm-standby" ? config.web.standbyCapacity : 0;
  return { min: standby, max: config.web.maxSize, desired: standby };
}

/** Phase 3: the DR region back to standby: a fresh replica, its runtime parameters, its fleet size. */
export function standbySteps(input: StandbyInput): Step[] {
  const { outputs, config } = input;
  const { dr, primary } = topology(outputs);
  const timeouts = input.timeouts ?? DEFAULT_REPLICA_TIMEOUTS;
  const replica = recreateReplicaSteps({
    region: dr.region,
    id: dr.databaseInstanceId,
    sourceRegion: primary.region,
    sourceId: primary.databaseInstanceId,
    sourceArn: primary.databaseArn,
    runId: input.runId,
    retireExisting: true,
    overrides: input.overrides,
    multiAz: config.drStrategy === "warm-standby",
    deletionProtection: config.database.deletionProtection,
    maxSyncLagSeconds: outputs.rpoSeconds,
    tags: { Project: outputs.project, Environment: outputs.stack, ShopRole: "dr-replica" },
    timeouts,
  });
  const names = dr.runtimeParameters;
  const observeRuntime = async (ctx: RunContext) => {
    const [values, primaryValues, db] = await Promise.all([
      ctx.call("read the DR runtime parameters", () => parameterValues(dr.region, [names.databaseEndpoint, names.databaseSecretArn], ctx.env)),
      ctx.call("read the primary runtime parameters", () => parameterValues(primary.region, [primary.runtimeParameters.databaseSecretArn], ctx.env)),
      describe(ctx, dr.region, dr.databaseInstanceId),
    ]);
    // The secret the stack declares for the DR fleet (its replica in the DR region); outputs from
    // before they named it mean the primary's secret.
    const wantedSecretArn = dr.databaseSecretArn ?? primaryValues[primary.runtimeParameters.databaseSecretArn] ?? null;
    return { endpoint: values[names.databaseEndpoint] ?? null, secretArn: values[names.databaseSecretArn] ?? null, wantedEndpoint: db?.endpoint ?? null, wantedSecretArn };
  };
  const runtime: Step = {
    id: "runtime",
    title: `restore the ${dr.region} runtime parameters`,
    dependsOn: ["create-replica"],
    plan: [`${names.databaseEndpoint} = the new replica's endpoint; ${names.databaseSecretArn} = the database secret the stack declares for ${dr.region} (its replica there; the primary's secret in outputs from before replicas)`],
    observe: observeRuntime,
    actions(observation, ctx) {
      const actions: StepAction[] = [];
      const put = (id: string, name: string, value: unknown) => {
        if (typeof value !== "string") throw new Error(`cannot restore ${name}: the value to write is unknown`);
        actions.push({ id, description: `${name} = ${value}`, run: async () => { await putStringParameter(dr.region, name, value, ctx.env); return { value }; } });
      };
      if (observation.endpoint !== observation.wantedEndpoint) put("put-endpoint", names.databaseEndpoint, observation.wantedEndpoint);
      if (observation.secretArn !== observation.wantedSecretArn) put("put-secret", names.databaseSecretArn, observation.wantedSecretArn);
      return actions;
    },
    async verify(ctx) {
      const observed = await observeRuntime(ctx);
      if (observed.endpoint !== observed.wantedEndpoint || observed.secretArn !== observed.wantedSecretArn) throw new Error(`the DR runtime parameters do not match yet: ${JSON.stringify(observed)}`);
      return observed;
    },
  };
  const capacity = standbyCapacity(config);
  const fleet: Step = {
    id: "fleet",
    title: `return the ${dr.region} fleet to its standby size ${capacity.desired}`,
    dependsOn: ["runtime"],
    plan: [`${dr.asgName}: min ${capacity.min}, desired ${capacity.desired} (${config.drStrategy})`],
    async observe(ctx) {
      const asg = await ctx.call(`describe ${dr.asgName}`, () => describeAsg(dr.region, dr.asgName, ctx.env));
      if (asg === undefined) throw new Error(`Auto Scaling group ${dr.asgName} not found`);
      return { min: asg.min, max: asg.max, desired: asg.desired };
    },
    actions(observation, ctx) {
      if (observation.min === capacity.min && observation.desired === capacity.desired) return [];
      const wanted = { ...capacity, max: Math.max(capacity.max, Number(observation.max)) };
      return [{ id: "resize", description: `resizing ${dr.asgName} to ${wanted.desired} (min ${wanted.min})`, run: async () => { await setFleetCapacity(dr.region, dr.asgName, wanted, ctx.env); return { capacity: wanted }; } }];
    },
    async verify(ctx) {
      const settled = await ctx.wait({
        what: `${dr.asgName} at ${capacity.desired}`,
        observe: async () => {
          const asg = await ctx.call(`describe ${dr.asgName}`, () => describeAsg(dr.region, dr.asgName, ctx.env));
          const health = capacity.desired === 0 ? undefined : await ctx.call("read target health", () => targetHealth(dr.region, dr.targetGroupArn, ctx.env));
          return { desired: asg?.desired ?? -1, instances: asg?.instances ?? -1, healthy: health?.healthy ?? 0 };
        },
        judge: (seen) => (seen.desired === capacity.desired && seen.instances === capacity.desired && (capacity.desired === 0 || seen.healthy >= capacity.desired) ? "done" : "waiting"),
        describe: (seen) => `${dr.asgName}: ${seen.instances} instances (desired ${seen.desired}), ${seen.healthy} healthy targets`,
        timeoutMs: timeouts.fleetMs,
        intervalMs: 20_000,
      });
      return { ...settled };
    },
  };
  return [...replica, runtime, fleet];
}

export interface PhaseStatus {
  phase: FailbackPhase;
  state: "done" | "in progress" | "pending";
  detail: string;
}

/** Where failback stands, from the live state (reads only) and the phases' unfinished journals. */
export async function failbackStatus(outputs: StackOutputs, unfinished: ReadonlySet<FailbackPhase>, options: { env: NodeJS.ProcessEnv; call: Caller; now: Date }): Promise<{ failedOver: boolean; phases: PhaseStatus[]; next: FailbackPhase | undefined }> {
  const { dr, healthCheckId, primary } = topology(outputs);
  const { env, call } = options;
  const [check, drDb, primaryDb] = await Promise.all([
    call("read the health check", () => getHealthCheck(healthCheckId, env)),
    call(`describe ${dr.databaseInstanceId}`, () => describeDbInstance(dr.region, dr.databaseInstanceId, env)),
    call(`describe ${primary.databaseInstanceId}`, () => describeDbInstance(primary.region, primary.databaseInstanceId, env)).catch(() => undefined),
  ]);
  const primaryIsReplica = primaryDb !== undefined && matches(primaryDb.replicaSource, dr.databaseInstanceId, dr.databaseArn);
  const drIsReplica = drDb !== undefined && matches(drDb.replicaSource, primary.databaseInstanceId, primary.databaseArn);
  const lag = primaryIsReplica ? await call("read ReplicaLag", () => replicaLag(primary.region, primary.databaseInstanceId, env, options.now)) : undefined;
  const servedByPrimary = !check.inverted && primaryDb !== undefined && primaryDb.replicaSource === undefined;
  const state = (phase: FailbackPhase, done: boolean): PhaseStatus["state"] => (unfinished.has(phase) ? "in progress" : done ? "done" : "pending");
  const phases: PhaseStatus[] = [
    { phase: "replicate", state: state("replicate", primaryIsReplica || servedByPrimary), detail: primaryIsReplica ? `${primary.databaseInstanceId} replicates from ${dr.databaseInstanceId}${lag === undefined ? "" : `, ReplicaLag ${lag.seconds}s`}` : servedByPrimary ? "the primary serves again" : `${primary.databaseInstanceId} is ${primaryDb === undefined ? "missing" : primaryDb.replicaSource === undefined ? "a standalone instance (the old primary: retire it with --retire-old-primary)" : `a replica of ${primaryDb.replicaSource}`}` },
    { phase: "switch", state: state("switch", servedByPrimary), detail: servedByPrimary ? "the primary database and traffic are back in the primary region" : check.inverted ? "traffic is on the DR region (health check inverted)" : "the health check is not inverted" },
    { phase: "standby", state: state("standby", servedByPrimary && drIsReplica), detail: drIsReplica ? `${dr.databaseInstanceId} replicates from the primary again` : `${dr.databaseInstanceId} is ${drDb === undefined ? "missing" : drDb.replicaSource === undefined ? "standalone (promoted)" : `a replica of ${drDb.replicaSource}`}` },
  ];
  const failedOver = check.inverted || (drDb !== undefined && drDb.replicaSource === undefined);
  return { failedOver, phases, next: phases.find((phase) => phase.state !== "done")?.phase };
}

/** Refuse a phase whose predecessor has not finished. */
export function requirePhaseOrder(phase: FailbackPhase, phases: readonly PhaseStatus[], stack: string): void {
  const order: FailbackPhase[] = ["replicate", "switch", "standby"];
  const before = order.slice(0, order.indexOf(phase));
  const blocking = phases.filter((status) => before.includes(status.phase) && status.state !== "done");
  if (blocking.length > 0) {
    throw new RefusedError(`failback ${phase} of ${stack} needs ${blocking.map((status) => status.phase).join(" and ")} first (${blocking.map((status) => `${status.phase}: ${status.state}, ${status.detail}`).join("; ")}); nothing was changed`, { phases });
  }
}
