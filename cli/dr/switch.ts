import type { RuntimeParameterNames } from "../../stacks/outputs.js";
import { describeAsg, setFleetCapacity, type FleetCapacity } from "../aws/autoscaling.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { firingAlarms, replicaLag } from "../aws/cloudwatch.js";
import { targetHealth } from "../aws/elbv2.js";
import { describeDbInstance, type DbInstanceHealth } from "../aws/rds.js";
import { enableMultiAz, promoteReadReplica } from "../aws/rds-changes.js";
import { failoverRecords, getHealthCheck, healthCheckStatus, normalizeDnsName, setHealthCheckInverted } from "../aws/route53.js";
import { secretReachable } from "../aws/secret-reachability.js";
import { parameterValues, putStringParameter } from "../aws/ssm-runtime.js";
import { arnRegion } from "../common/arn.js";
import type { Facts } from "./journal.js";
import { joinUrl, regionOf, type HttpProbe } from "./probe.js";
import type { RunContext, Step, StepAction } from "./steps.js";

/** One region's side of a switch, as the outputs name its parts. */
export interface Side {
  role: "primary" | "dr";
  region: string;
  asgName: string;
  targetGroupArn: string;
  albDnsName: string;
  /** The database in this region: the replica to promote on the `to` side. */
  databaseId: string;
  runtimeParameters: RuntimeParameterNames;
  platformAlarmName?: string | undefined;
}

export interface SwitchTimeouts {
  fenceMs: number;
  lagMs: number;
  promoteMs: number;
  multiAzMs: number;
  fleetMs: number;
  trafficMs: number;
  siteMs: number;
}

export const DEFAULT_TIMEOUTS: SwitchTimeouts = {
  fenceMs: 15 * 60_000,
  lagMs: 15 * 60_000,
  promoteMs: 60 * 60_000,
  multiAzMs: 5 * 60_000,
  fleetMs: 20 * 60_000,
  trafficMs: 10 * 60_000,
  siteMs: 10 * 60_000,
};

/** Poll intervals: RDS and CloudWatch change by the minute, target health by the health-check interval. */
const POLL = { fleet: 15_000, lag: 30_000, promote: 30_000, traffic: 20_000, site: 15_000 };

/**
 * A move of the writer and the traffic from one region to the other: `failover` (primary to DR)
 * and failback's `switch` phase (DR back to the primary) are the same steps in opposite directions.
 */
export interface SwitchSpec {
  operation: "failover" | "failback-switch";
  mode: "graceful" | "ungraceful";
  project: string;
  stack: string;
  from: Side;
  to: Side;
  zoneId: string;
  recordName: string;
  healthCheckId: string;
  /** The health check's goal state: inverted fences the primary (failover); not inverted restores it (failback). */
  invertHealthCheck: boolean;
  /** The `to` fleet's size once it serves production. */
  targetCapacity: FleetCapacity;
  backupRetentionDays: number;
  multiAz: boolean;
  /** Point the `to` region's secret parameter at this ARN (a secret replica in that region). */
  databaseSecretArn: string | undefined;
  siteUrl: string;
  searchPath: string;
  probe: HttpProbe;
  timeouts: SwitchTimeouts;
}

/** States a database does not leave by waiting. */
const DB_FAILED = new Set(["failed", "incompatible-parameters", "incompatible-restore", "incompatible-network", "incompatible-option-group", "storage-full", "inaccessible-encryption-credentials", "restore-error", "deleting"]);

/** Alarm names expected to fire after a promotion: the replica-lag alarm (missing data is breaching) and the composite built on it. */
function ignoredAlarm(name: string, side: Side): boolean {
  return name.endsWith("-rds-replica-lag") || name === side.platformAlarmName;
}

async function database(ctx: RunContext, side: Side): Promise<DbInstanceHealth> {
  const db = await ctx.call(`describe ${side.databaseId}`, () => describeDbInstance(side.region, side.databaseId, ctx.env));
  if (db === undefined) throw new Error(`RDS instance ${side.databaseId} not found in ${side.region}`);
  return db;
}

function dbLine(db: DbInstanceHealth): string {
  return `${db.id}: ${db.status}, ${db.replicaSource === undefined ? "standalone" : `replica of ${db.replicaSource}`}${db.multiAz ? ", Multi-AZ" : db.pendingMultiAz === true ? ", converting to Multi-AZ" : ""}`;
}

function fenceStep(spec: SwitchSpec): Step {
  const failover = spec.operation === "failover";
  return {
    id: "fence",
    title: failover ? "fence the primary region" : "fence the DR region",
    dependsOn: [],
    skipReason: spec.mode === "ungraceful" ? "ungraceful: the primary region is left alone; step 7 moves the traffic" : undefined,
    plan: [
      ...(failover ? [`invert Route 53 health check ${spec.healthCheckId}: the primary leaves service and stays out if it recovers`] : []),
      `scale ${spec.from.asgName} (${spec.from.region}) to 0: nothing writes to ${spec.from.databaseId} any more`,
      `wait until ReplicaLag of ${spec.to.databaseId} (${spec.to.region}) is 0 after the writers stopped; that is the RPO`,
    ],
    async observe(ctx) {
      const [check, asg] = await Promise.all([
        failover ? ctx.call("read the health check", () => getHealthCheck(spec.healthCheckId, ctx.env)) : Promise.resolve(undefined),
        ctx.call(`describe ${spec.from.asgName}`, () => describeAsg(spec.from.region, spec.from.asgName, ctx.env)),
      ]);
      if (asg === undefined) throw new Error(`Auto Scaling group ${spec.from.asgName} not found in ${spec.from.region}`);
      return { inverted: check?.inverted ?? null, fleet: { min: asg.min, max: asg.max, desired: asg.desired, instances: asg.instances } };
    },
    actions(observation, ctx) {
      const fleet = observation.fleet as { min: number; max: number; desired: number };
      const actions: StepAction[] = [];
      if (failover && observation.inverted !== true) {
        actions.push({ id: "invert-health-check", description: `inverting health check ${spec.healthCheckId}`, run: async () => { await setHealthCheckInverted(spec.healthCheckId, true, ctx.env); return { inverted: true }; } });
      }
      if (fleet.min !== 0 || fleet.desired !== 0) {
        actions.push({ id: "scale-in", description: `scaling ${spec.from.asgName} to 0 (was ${fleet.desired}, min ${fleet.min})`, run: async () => { await setFleetCapacity(spec.from.region, spec.from.asgName, { min: 0, max: fleet.max, desired: 0 }, ctx.env); return { previous: fleet }; } });
      }
      return actions;
    },
    async verify(ctx) {
      if (failover) {
        const check = await ctx.call("read the health check", () => getHealthCheck(spec.healthCheckId, ctx.env));
        if (!check.inverted) throw new Error(`health check ${spec.healthCheckId} is not inverted`);
      }
      const asg = await ctx.wait({
        what: `${spec.from.asgName} to have no instances`,
        observe: () => ctx.call(`describe ${spec.from.asgName}`, () => describeAsg(spec.from.region, spec.from.asgName, ctx.env)),
        judge: (group) => (group === undefined || (group.desired === 0 && group.instances === 0) ? "done" : "waiting"),
        describe: (group) => (group === undefined ? "group gone" : `${spec.from.asgName}: ${group.instances} instances, desired ${group.desired}`),
        timeoutMs: spec.timeouts.fenceMs,
        intervalMs: POLL.fleet,
      });
      const fencedAt = fenceTime(ctx);
      const lag = await ctx.wait({
        what: `ReplicaLag of ${spec.to.databaseId} to reach 0 after the fence (${new Date(fencedAt).toISOString()})`,
        observe: () => ctx.call("read ReplicaLag", () => replicaLag(spec.to.region, spec.to.databaseId, ctx.env, new Date(ctx.clock.now()))),
        judge: (point) => (point !== undefined && point.at.getTime() > fencedAt && point.seconds === 0 ? "done" : "waiting"),
        describe: (point) => (point === undefined ? "no ReplicaLag datapoint yet" : `ReplicaLag ${point.seconds}s at ${point.at.toISOString()}`),
        timeoutMs: spec.timeouts.lagMs,
        intervalMs: POLL.lag,
      });
      return { instances: asg?.instances ?? 0, rpoSeconds: 0, caughtUpAt: lag?.at.toISOString() ?? null, fencedAt: new Date(fencedAt).toISOString() };
    },
  };

  function fenceTime(ctx: RunContext): number {
    const acts = ctx.journal.actions("fence");
    const scaled = acts.find((act) => act.action === "scale-in") ?? acts[acts.length - 1];
    return scaled?.at ?? ctx.journal.timing("fence").startedAt ?? ctx.clock.now();
  }
}

function promoteStep(spec: SwitchSpec): Step {
  return {
    id: "promote",
    title: `promote ${spec.to.databaseId} in ${spec.to.region}`,
    dependsOn: spec.mode === "graceful" ? ["fence"] : [],
    plan: [
      `promote the read replica ${spec.to.databaseId} to a standalone instance, keeping automated backups ${spec.backupRetentionDays} days`,
      "poll until it is available and no longer a replica (RDS may report it available before the promotion starts)",
    ],
    async observe(ctx) {
      const db = await database(ctx, spec.to);
      const lag = db.replicaSource === undefined ? undefined : await ctx.call("read ReplicaLag", () => replicaLag(spec.to.region, spec.to.databaseId, ctx.env, new Date(ctx.clock.now())));
      return { status: db.status, replicaSource: db.replicaSource ?? null, lagSeconds: lag?.seconds ?? null, lagAt: lag?.at.toISOString() ?? null };
    },
    actions(observation, ctx) {
      if (observation.replicaSource === null) return [];
      const earlier = ctx.journal.actions("promote").filter((act) => act.action === "promote");
      // A confirmed request stands; RDS may take minutes to show it. Only a request whose answer
      // never arrived (crash, cut connection) is sent again, and "already promoting" counts as done.
      if (earlier.some((act) => act.confirmed) || observation.status !== "available") return [];
      return [{
        id: "promote",
        description: `promoting ${spec.to.databaseId} (backup retention ${spec.backupRetentionDays} days)`,
        run: async () => {
          try {
            await promoteReadReplica(spec.to.region, spec.to.databaseId, spec.backupRetentionDays, ctx.env);
            return { requested: true };
          } catch (error) {
            if (earlier.length > 0 && error instanceof Error && error.name === "InvalidDBInstanceStateFault") return { requested: true, alreadyPromoting: awsErrorMessage(error) };
            throw error;
          }
        },
      }];
    },
    async verify(ctx) {
      const db = await ctx.wait({
        what: `${spec.to.databaseId} to become a standalone, available instance`,
        observe: () => database(ctx, spec.to),
        judge: (state) => (DB_FAILED.has(state.status) ? { failed: `RDS reports ${state.status}` } : state.status === "available" && state.replicaSource === undefined ? "done" : "waiting"),
        describe: dbLine,
        timeoutMs: spec.timeouts.promoteMs,
        intervalMs: POLL.promote,
      });
      if (db.endpoint === undefined) throw new Error(`${spec.to.databaseId} has no endpoint`);
      return { endpoint: db.endpoint, arn: db.arn ?? null, backupRetentionDays: db.backupRetentionDays, multiAz: db.multiAz };
    },
  };
}

function multiAzStep(spec: SwitchSpec): Step {
  return {
    id: "multi-az",
    title: `turn on Multi-AZ for ${spec.to.databaseId}`,
    dependsOn: ["promote"],
    skipReason: spec.multiAz ? undefined : "the stack runs a single-AZ database",
    plan: ["ask RDS to convert it to Multi-AZ; it keeps serving while it converts, so nothing waits for the conversion"],
    async observe(ctx) {
      const db = await database(ctx, spec.to);
      return { multiAz: db.multiAz, pendingMultiAz: db.pendingMultiAz ?? null, status: db.status };
    },
    actions(observation, ctx) {
      if (observation.multiAz === true || observation.pendingMultiAz === true) return [];
      return [{ id: "enable-multi-az", description: `requesting Multi-AZ for ${spec.to.databaseId}`, run: async () => { await enableMultiAz(spec.to.region, spec.to.databaseId, ctx.env); return { requested: true }; } }];
    },
    async verify(ctx) {
      const db = await ctx.wait({
        what: `RDS to accept the Multi-AZ change of ${spec.to.databaseId}`,
        observe: () => database(ctx, spec.to),
        judge: (state) => (state.multiAz || state.pendingMultiAz === true ? "done" : "waiting"),
        describe: dbLine,
        timeoutMs: spec.timeouts.multiAzMs,
        intervalMs: POLL.promote,
      });
      return { multiAz: db.multiAz, converting: !db.multiAz };
    },
  };
}

function repointStep(spec: SwitchSpec, warn: (line: string) => void): Step {
  const names = spec.to.runtimeParameters;
  return {
    id: "repoint",
    title: `point the ${spec.to.region} runtime parameters at the promoted database`,
    dependsOn: ["promote"],
    plan: [
      `${names.databaseEndpoint} = the promoted instance's endpoint`,
      spec.databaseSecretArn === undefined
        ? `${names.databaseSecretArn} keeps its secret ARN (a warning names it when it lives in another region)`
        : `${names.databaseSecretArn} = ${spec.databaseSecretArn}`,
    ],
    async observe(ctx) {
      const [values, db] = await Promise.all([
        ctx.call("read the runtime parameters", () => parameterValues(spec.to.region, [names.databaseEndpoint, names.databaseSecretArn], ctx.env)),
        database(ctx, spec.to),
      ]);
      return { endpoint: values[names.databaseEndpoint] ?? null, secretArn: values[names.databaseSecretArn] ?? null, databaseEndpoint: db.endpoint ?? null };
    },
    actions(observation, ctx) {
      const actions: StepAction[] = [];
      const endpoint = observation.databaseEndpoint;
      if (typeof endpoint === "string" && observation.endpoint !== endpoint) {
        actions.push({ id: "put-endpoint", description: `${names.databaseEndpoint} = ${endpoint}`, run: async () => { await putStringParameter(spec.to.region, names.databaseEndpoint, endpoint, ctx.env); return { value: endpoint }; } });
      }
      const secret = spec.databaseSecretArn;
      if (secret !== undefined && observation.secretArn !== secret) {
        actions.push({ id: "put-secret", description: `${names.databaseSecretArn} = ${secret}`, run: async () => { await putStringParameter(spec.to.region, names.databaseSecretArn, secret, ctx.env); return { value: secret }; } });
      }
      return actions;
    },
    async verify(ctx) {
      const db = await database(ctx, spec.to);
      const values = await ctx.call("read the runtime parameters", () => parameterValues(spec.to.region, [names.databaseEndpoint, names.databaseSecretArn], ctx.env));
      const endpoint = values[names.databaseEndpoint];
      if (endpoint !== db.endpoint) throw new Error(`${names.databaseEndpoint} holds ${endpoint ?? "nothing"}, not ${db.endpoint ?? "?"}`);
      const secret = values[names.databaseSecretArn];
      if (spec.databaseSecretArn !== undefined && secret !== spec.databaseSecretArn) throw new Error(`${names.databaseSecretArn} holds ${secret ?? "nothing"}, not ${spec.databaseSecretArn}`);
      const secretRegion = secret === undefined ? undefined : arnRegion(secret);
      const reach = secret === undefined ? { reachable: false, error: "the parameter is empty" } : await secretReachable(secret, ctx.env);
      if (secretRegion !== spec.to.region) {
        warn(`the ${spec.to.region} fleet reads its database secret from ${secretRegion ?? "nowhere"} (${secret ?? "no ARN"}): if that region is down, new instances cannot read the credentials${reach.reachable ? "" : ` (it does not answer now: ${reach.error ?? "?"})`}. Pass --database-secret-arn with a replica of the secret in ${spec.to.region}; see docs/runbooks/failover.md.`);
      } else if (!reach.reachable) {
        warn(`the database secret ${secret ?? "?"} does not answer: ${reach.error ?? "?"}`);
      }
      return { endpoint, secretArn: secret ?? null, secretRegion: secretRegion ?? null, secretReachable: reach.reachable };
    },
  };
}

function scaleStep(spec: SwitchSpec): Step {
  const target = spec.targetCapacity;
  return {
    id: "scale",
    title: `scale the ${spec.to.region} fleet to ${target.desired}`,
    dependsOn: [],
    plan: [
      `set ${spec.to.asgName} to min ${target.min}, desired ${target.desired} (max at least ${target.max}); runs alongside the promotion`,
      `wait until ${target.desired} targets are healthy behind the ${spec.to.region} load balancer`,
    ],
    async observe(ctx) {
      const asg = await ctx.call(`describe ${spec.to.asgName}`, () => describeAsg(spec.to.region, spec.to.asgName, ctx.env));
      if (asg === undefined) throw new Error(`Auto Scaling group ${spec.to.asgName} not found in ${spec.to.region}`);
      return { min: asg.min, max: asg.max, desired: asg.desired, inService: asg.inService };
    },
    actions(observation, ctx) {
      const current = observation as { min: number; max: number; desired: number };
      if (current.desired >= target.desired && current.min >= target.min && current.max >= target.max) return [];
      const wanted = { min: Math.max(current.min, target.min), max: Math.max(current.max, target.max), desired: Math.max(current.desired, target.desired) };
      return [{ id: "scale-out", description: `scaling ${spec.to.asgName} to ${wanted.desired} (min ${wanted.min}, max ${wanted.max}; was ${current.desired})`, run: async () => { await setFleetCapacity(spec.to.region, spec.to.asgName, wanted, ctx.env); return { previous: current, capacity: wanted }; } }];
    },
    async verify(ctx) {
      const health = await ctx.wait({
        what: `${target.desired} healthy targets in ${spec.to.region}`,
        observe: () => ctx.call("read target health", () => targetHealth(spec.to.region, spec.to.targetGroupArn, ctx.env)),
        judge: (state) => (state.healthy >= target.desired ? "done" : "waiting"),
        describe: (state) => `${state.healthy}/${target.desired} targets healthy ${JSON.stringify(state.states)}`,
        timeoutMs: spec.timeouts.fleetMs,
        intervalMs: POLL.fleet,
      });
      return { healthy: health.healthy, desired: target.desired };
    },
  };
}

interface TrafficEvidence {
  inverted: boolean;
  records: string;
  status: string;
  fromInService: number | "unreachable";
  fromHealthyTargets: number | "unreachable";
  toHealthyTargets: number;
}

function trafficStep(spec: SwitchSpec): Step {
  const failover = spec.operation === "failover";
  const goal = spec.invertHealthCheck;
  return {
    id: "switch-traffic",
    title: failover ? "switch traffic to the DR region" : "switch traffic back to the primary region",
    dependsOn: ["promote", "repoint", "scale"],
    plan: failover
      ? [`health check ${spec.healthCheckId} inverted: Route 53 answers ${spec.recordName} with the SECONDARY record (${spec.to.albDnsName})`, "no CloudFront change: its dynamic origin is that record"]
      : [`health check ${spec.healthCheckId} no longer inverted: Route 53 answers ${spec.recordName} with the PRIMARY record once the primary's healthy-hosts alarm is OK`],
    async observe(ctx) {
      const check = await ctx.call("read the health check", () => getHealthCheck(spec.healthCheckId, ctx.env));
      return { inverted: check.inverted };
    },
    actions(observation, ctx) {
      if (observation.inverted === goal) return [];
      return [{ id: "set-health-check", description: `${goal ? "inverting" : "restoring"} health check ${spec.healthCheckId}`, run: async () => { await setHealthCheckInverted(spec.healthCheckId, goal, ctx.env); return { inverted: goal }; } }];
    },
    async verify(ctx) {
      const evidence = await ctx.wait<TrafficEvidence>({
        what: failover ? "Route 53 to take the primary out of service" : "Route 53 to put the primary back in service",
        observe: async () => {
          const [check, status, records, fromFleet, fromTargets, toTargets] = await Promise.all([
            ctx.call("read the health check", () => getHealthCheck(spec.healthCheckId, ctx.env)),
            ctx.call("read the health check status", () => healthCheckStatus(spec.healthCheckId, ctx.env)),
            ctx.call("list the failover records", () => failoverRecords(spec.zoneId, spec.recordName, ctx.env)),
            describeAsg(spec.from.region, spec.from.asgName, ctx.env).then((asg) => asg?.inService ?? 0, () => "unreachable" as const),
            targetHealth(spec.from.region, spec.from.targetGroupArn, ctx.env).then((health) => health.healthy, () => "unreachable" as const),
            ctx.call("read target health", () => targetHealth(spec.to.region, spec.to.targetGroupArn, ctx.env)).then((health) => health.healthy),
          ]);
          const primary = records.find((record) => record.failover === "PRIMARY");
          const secondary = records.find((record) => record.failover === "SECONDARY");
          const drAlb = normalizeDnsName(failover ? spec.to.albDnsName : spec.from.albDnsName);
          const recordProblem = primary === undefined || secondary === undefined ? "the failover pair is incomplete"
            : primary.healthCheckId !== spec.healthCheckId ? `the PRIMARY record carries health check ${primary.healthCheckId ?? "none"}`
              : secondary.aliasDnsName !== drAlb ? `the SECONDARY record aliases ${secondary.aliasDnsName ?? "nothing"}` : "ok";
          return { inverted: check.inverted, records: recordProblem, status: status.verdict, fromInService: fromFleet, fromHealthyTargets: fromTargets, toHealthyTargets: toTargets };
        },
        judge: (seen) => {
          if (seen.records !== "ok") return { failed: seen.records };
          if (seen.inverted !== goal) return "waiting";
          if (failover) {
            // Route 53 answers SECONDARY when the PRIMARY's check is unhealthy or its ALB has no healthy target.
            const out = seen.status === "unhealthy" || seen.fromInService === 0 || seen.fromHealthyTargets === 0 || seen.fromInService === "unreachable";
            return out ? "done" : "waiting";
          }
          return seen.status === "healthy" && seen.toHealthyTargets > 0 ? "done" : "waiting";
        },
        describe: (seen) => `health check ${seen.inverted ? "inverted" : "not inverted"} and ${seen.status}; ${spec.from.region}: ${String(seen.fromInService)} in service, ${String(seen.fromHealthyTargets)} healthy targets; ${spec.to.region}: ${seen.toHealthyTargets} healthy targets`,
        timeoutMs: spec.timeouts.trafficMs,
        intervalMs: POLL.traffic,
      });
      return { ...evidence };
    },
  };
}

function verifySiteStep(spec: SwitchSpec): Step {
  const readyz = joinUrl(spec.siteUrl, "/readyz");
  const search = joinUrl(spec.siteUrl, spec.searchPath);
  return {
    id: "verify-site",
    title: "verify the site",
    dependsOn: ["switch-traffic"],
    plan: [
      `GET ${readyz} and ${search} through CloudFront until both answer 2xx`,
      `no alarm of the stack in ALARM in ${spec.to.region} (the replica-lag alarm fires after a promotion by design and is left out)`,
    ],
    observe: () => Promise.resolve({}),
    actions: () => [],
    async verify(ctx) {
      interface SiteState { readyz: string; readyzOk: boolean; region: string | undefined; search: string; searchOk: boolean; firing: string[] }
      const get = async (url: string): Promise<{ line: string; ok: boolean; body: string }> => {
        try {
          const response = await spec.probe(url, 10_000);
          return { line: `${response.status}`, ok: response.status >= 200 && response.status < 300, body: response.body };
        } catch (error) {
          return { line: `unreachable (${error instanceof Error ? error.message : String(error)})`, ok: false, body: "" };
        }
      };
      const state = await ctx.wait<SiteState>({
        what: "the site and the alarms to be healthy",
        observe: async () => {
          const [ready, found, alarms] = await Promise.all([
            get(readyz),
            get(search),
            ctx.call("list alarms in ALARM", () => firingAlarms(spec.to.region, { project: spec.project, stack: spec.stack }, ctx.env)),
          ]);
          return { readyz: ready.line, readyzOk: ready.ok, region: regionOf(ready.body), search: found.line, searchOk: found.ok, firing: alarms.map((alarm) => alarm.name).filter((name) => !ignoredAlarm(name, spec.to)) };
        },
        // A /readyz that names its region must name the new one: CloudFront may still reach the old.
        judge: (seen) => (seen.readyzOk && seen.searchOk && seen.firing.length === 0 && (seen.region === undefined || seen.region === spec.to.region) ? "done" : "waiting"),
        describe: (seen) => `/readyz ${seen.readyz}${seen.region === undefined ? "" : ` from ${seen.region}`}, search ${seen.search}, ${seen.firing.length === 0 ? "no alarm firing" : `in ALARM: ${seen.firing.join(", ")}`}`,
        timeoutMs: spec.timeouts.siteMs,
        intervalMs: POLL.site,
      });
      return { readyz: state.readyz, servedFrom: state.region ?? null, search: state.search, alarmsFiring: state.firing };
    },
  };
}

/** The steps of a switch, in plan order. `warn` collects warnings for the report. */
export function switchSteps(spec: SwitchSpec, warn: (line: string) => void): Step[] {
  return [fenceStep(spec), promoteStep(spec), multiAzStep(spec), repointStep(spec, warn), scaleStep(spec), trafficStep(spec), verifySiteStep(spec)];
}

/** Facts the report needs from a switch's journal. */
export function switchFigures(facts: { fence: Facts | undefined; promote: Facts | undefined; mode: SwitchSpec["mode"] }): { rpoSeconds: number | null; rpoBasis: string } {
  if (facts.mode === "graceful") {
    const caughtUp = facts.fence?.caughtUpAt;
    return { rpoSeconds: 0, rpoBasis: `graceful: writes stopped and the replica caught up (ReplicaLag 0 at ${typeof caughtUp === "string" ? caughtUp : "?"}) before the promotion` };
  }
  const lag = facts.promote?.lagSeconds;
  const at = facts.promote?.lagAt;
  return typeof lag === "number"
    ? { rpoSeconds: lag, rpoBasis: `ungraceful: the replica's newest ReplicaLag before the promotion (${lag}s at ${typeof at === "string" ? at : "?"}); writes after that datapoint may be lost too` }
    : { rpoSeconds: null, rpoBasis: "ungraceful: no ReplicaLag datapoint before the promotion; the data loss is unknown" };
}
