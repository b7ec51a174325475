import type { RegionOutputs, StackOutputs } from "../../stacks/outputs.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { describeAsg } from "../aws/autoscaling.js";
import { newestRecoveryPoint } from "../aws/backup.js";
import { firingAlarms, replicaLag } from "../aws/cloudwatch.js";
import { describeSearchDomain } from "../aws/opensearch.js";
import { describeDbInstance } from "../aws/rds.js";

/** `ok` healthy; `warn` working but worth a look; `fail` unhealthy; `error` could not be read. */
export type HealthStatus = "ok" | "warn" | "fail" | "error";

export interface HealthCheck {
  check: "web" | "database" | "replica-lag" | "search" | "alarms" | "backup";
  status: HealthStatus;
  summary: string;
  details?: Record<string, unknown>;
}

export interface RegionHealth {
  role: "primary" | "dr";
  region: string;
  checks: HealthCheck[];
}

export interface StackHealth {
  status: "healthy" | "degraded" | "unhealthy";
  regions: RegionHealth[];
}

/** RDS states that pass on their own: maintenance and backups, not outages. */
const DB_BUSY = new Set(["backing-up", "modifying", "maintenance", "upgrading", "configuring-enhanced-monitoring", "configuring-log-exports", "storage-optimization", "renaming", "rebooting", "creating", "starting"]);
/** A daily plan leaves at most a day between points; two hours of slack for the backup window. */
const BACKUP_MAX_AGE_MS = 26 * 3_600_000;

async function guarded(check: HealthCheck["check"], body: () => Promise<HealthCheck>): Promise<HealthCheck> {
  try {
    return await body();
  } catch (error) {
    return { check, status: "error", summary: `could not read: ${awsErrorMessage(error)}` };
  }
}

function webCheck(outputs: RegionOutputs, role: RegionHealth["role"], env: NodeJS.ProcessEnv): Promise<HealthCheck> {
  return guarded("web", async () => {
    const asg = await describeAsg(outputs.region, outputs.asgName, env);
    if (asg === undefined) return { check: "web", status: "fail", summary: `Auto Scaling group ${outputs.asgName} not found` };
    const details = { ...asg };
    const counts = `${asg.inService}/${asg.desired} in service (min ${asg.min}, max ${asg.max})`;
    if (asg.desired === 0) return { check: "web", status: "ok", summary: role === "dr" ? "no instances (pilot light: scaled up on failover)" : "scaled to zero", details };
    if (asg.inService >= asg.desired) return { check: "web", status: "ok", summary: counts, details };
    return { check: "web", status: asg.inService === 0 ? "fail" : "warn", summary: counts, details };
  });
}

function databaseCheck(outputs: RegionOutputs, role: RegionHealth["role"], env: NodeJS.ProcessEnv): Promise<HealthCheck> {
  return guarded("database", async () => {
    const db = await describeDbInstance(outputs.region, outputs.databaseInstanceId, env);
    if (db === undefined) return { check: "database", status: "fail", summary: `RDS instance ${outputs.databaseInstanceId} not found` };
    const kind = role === "dr" ? (db.replicaSource === undefined ? "standalone (not replicating: promoted?)" : "read replica") : db.multiAz ? "Multi-AZ" : "single-AZ";
    const summary = `${db.status}, ${kind}, PostgreSQL ${db.engineVersion ?? "?"}`;
    const status: HealthStatus = db.status === "available" ? "ok" : DB_BUSY.has(db.status) ? "warn" : "fail";
    return { check: "database", status, summary, details: { ...db } };
  });
}

function replicaLagCheck(outputs: RegionOutputs, rpoSeconds: number, env: NodeJS.ProcessEnv, now: Date): Promise<HealthCheck> {
  return guarded("replica-lag", async () => {
    const lag = await replicaLag(outputs.region, outputs.databaseInstanceId, env, now);
    if (lag === undefined) return { check: "replica-lag", status: "warn", summary: "no ReplicaLag datapoint in the last 15 minutes" };
    const details = { seconds: lag.seconds, at: lag.at.toISOString(), rpoSeconds };
    return lag.seconds > rpoSeconds
      ? { check: "replica-lag", status: "fail", summary: `${lag.seconds}s behind, over the RPO of ${rpoSeconds}s`, details }
      : { check: "replica-lag", status: "ok", summary: `${lag.seconds}s behind (RPO ${rpoSeconds}s)`, details };
  });
}

function searchCheck(outputs: RegionOutputs, env: NodeJS.ProcessEnv): Promise<HealthCheck> {
  return guarded("search", async () => {
    const domain = await describeSearchDomain(outputs.region, outputs.searchDomainName, env);
    if (domain === undefined) return { check: "search", status: "fail", summary: `OpenSearch domain ${outputs.searchDomainName} not found` };
    const summary = `${domain.state}${domain.processing ? " (change in progress)" : ""}, ${domain.engineVersion ?? "?"}`;
    const status: HealthStatus = domain.deleted ? "fail" : domain.processing || domain.state !== "Active" ? "warn" : "ok";
    return { check: "search", status, summary, details: { ...domain } };
  });
}

function alarmsCheck(outputs: RegionOutputs, stack: StackOutputs, env: NodeJS.ProcessEnv): Promise<HealthCheck> {
  return guarded("alarms", async () => {
    const named = [outputs.platformAlarmName, outputs.healthyHostsAlarmName].filter((name): name is string => name !== undefined);
    const firing = await firingAlarms(outputs.region, { project: stack.project, stack: stack.stack, alwaysInclude: named }, env);
    const details = { firing: firing.map((alarm) => ({ name: alarm.name, reason: alarm.reason, since: alarm.since?.toISOString() ?? null })) };
    return firing.length === 0
      ? { check: "alarms", status: "ok", summary: "none in ALARM", details }
      : { check: "alarms", status: "fail", summary: `${firing.length} in ALARM: ${firing.map((alarm) => alarm.name).join(", ")}`, details };
  });
}

function backupCheck(outputs: RegionOutputs, env: NodeJS.ProcessEnv, now: Date): Promise<HealthCheck> {
  return guarded("backup", async () => {
    const point = await newestRecoveryPoint(outputs.region, outputs.backupVaultName, env);
    if (point === undefined) return { check: "backup", status: "warn", summary: `no recovery point in ${outputs.backupVaultName} yet` };
    const ageMs = now.getTime() - point.createdAt.getTime();
    const hours = Math.max(0, Math.round(ageMs / 3_600_000));
    const details = { vault: outputs.backupVaultName, ...point, createdAt: point.createdAt.toISOString() };
    const summary = `newest ${point.createdAt.toISOString()} (${hours}h ago, ${point.status}${point.resourceType === undefined ? "" : `, ${point.resourceType}`})`;
    if (point.status !== "COMPLETED") return { check: "backup", status: "warn", summary, details };
    return { check: "backup", status: ageMs > BACKUP_MAX_AGE_MS ? "warn" : "ok", summary, details };
  });
}

async function regionHealth(role: RegionHealth["role"], outputs: RegionOutputs, stack: StackOutputs, env: NodeJS.ProcessEnv, now: Date): Promise<RegionHealth> {
  const checks = await Promise.all([
    webCheck(outputs, role, env),
    databaseCheck(outputs, role, env),
    ...(role === "dr" ? [replicaLagCheck(outputs, stack.rpoSeconds, env, now)] : []),
    searchCheck(outputs, env),
    alarmsCheck(outputs, stack, env),
    backupCheck(outputs, env, now),
  ]);
  return { role, region: outputs.region, checks };
}

/** Live health of every region of a deployed stack, read through the AWS SDK (one call per check, in parallel). */
export async function collectHealth(stack: StackOutputs, env: NodeJS.ProcessEnv, now = new Date()): Promise<StackHealth> {
  const regions = await Promise.all([
    regionHealth("primary", stack.primary, stack, env, now),
    ...(stack.dr === undefined ? [] : [regionHealth("dr", stack.dr, stack, env, now)]),
  ]);
  const statuses = regions.flatMap((region) => region.checks.map((check) => check.status));
  const status = statuses.some((value) => value === "fail" || value === "error") ? "unhealthy" : statuses.includes("warn") ? "degraded" : "healthy";
  return { status, regions };
}

export function renderHealth(stack: StackOutputs, health: StackHealth): string {
  const lines = [`Stack ${stack.stack} (tier ${stack.tier}, DR ${stack.drStrategy}): ${health.status}   ${stack.siteUrl}`];
  for (const region of health.regions) {
    lines.push("", `${region.role} ${region.region}`);
    for (const check of region.checks) {
      const label = check.status === "ok" ? "ok   " : check.status.toUpperCase().padEnd(5);
      lines.push(`  ${label} ${check.check.padEnd(11)} ${check.summary}`);
    }
  }
  return lines.join("\n");
}
