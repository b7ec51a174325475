import type { StackOutputs } from "../../stacks/outputs.js";
import { describeAsg } from "../aws/autoscaling.js";
import { newestRecoveryPoint } from "../aws/backup.js";
import { describeVault, failedCopyJobs } from "../aws/backup-jobs.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { replicaLag } from "../aws/cloudwatch.js";
import { launchTemplateVersion } from "../aws/ec2-instances.js";
import { loadBalancerState, targetHealth } from "../aws/elbv2.js";
import { aliasesWithPrefix, describeKey } from "../aws/kms.js";
import { describeSearchDomain } from "../aws/opensearch.js";
import { describeDbInstance } from "../aws/rds.js";
import { failoverRecords, getHealthCheck, healthCheckStatus, normalizeDnsName } from "../aws/route53.js";
import { formatSeconds } from "../common/durations.js";

export type CheckStatus = "ok" | "warn" | "fail" | "error";

export type ReadinessCheckId = "replica" | "replica-lag" | "fleet" | "launch-template" | "load-balancer" | "targets" | "dns" | "health-check" | "recovery-point" | "copy-jobs" | "kms" | "search";

export interface ReadinessCheck {
  id: ReadinessCheckId;
  status: CheckStatus;
  summary: string;
  details?: Record<string, unknown>;
}

export type Verdict = "READY" | "DEGRADED" | "NOT READY";

export interface Readiness {
  verdict: Verdict;
  region: string;
  reasons: string[];
  checks: ReadinessCheck[];
}

/** Checks that decide whether failover can work at all: an unreadable one means NOT READY. */
const CRITICAL: ReadonlySet<ReadinessCheckId> = new Set(["replica", "replica-lag", "fleet", "launch-template", "load-balancer", "dns", "kms"]);
/** RDS states that pass on their own. */
const DB_BUSY = new Set(["backing-up", "modifying", "maintenance", "upgrading", "configuring-enhanced-monitoring", "configuring-log-exports", "storage-optimization", "rebooting", "starting"]);
/** A daily plan leaves at most a day between points, plus the backup window. */
export const DAILY_BACKUP_MAX_AGE_MS = 26 * 3_600_000;

/** Makes one AWS call, with whatever retry policy the caller runs under. */
export type Caller = <T>(what: string, fn: () => Promise<T>) => Promise<T>;

export interface ReadinessOptions {
  env: NodeJS.ProcessEnv;
  call: Caller;
  now: Date;
  /** Replica lag beyond this is NOT READY: the stack's RPO, or failover's --max-data-loss. */
  maxLagSeconds: number;
  /** How far back failed copy jobs count. @default 7 */
  copyJobDays?: number;
  /**
   * Read the primary region too (copy jobs run there). An ungraceful failover skips it: mid-outage
   * its calls would only time out and retry. @default true
   */
  readPrimary?: boolean;
}

async function guarded(id: ReadinessCheckId, body: () => Promise<ReadinessCheck>): Promise<ReadinessCheck> {
  try {
    return await body();
  } catch (error) {
    return { id, status: "error", summary: `could not read: ${awsErrorMessage(error)}` };
  }
}

/** A failed check, or an unreadable critical one: the DR region is NOT READY. */
export function blocksReadiness(check: ReadinessCheck): boolean {
  return check.status === "fail" || (check.status === "error" && CRITICAL.has(check.id));
}

export function verdictOf(checks: readonly ReadinessCheck[]): { verdict: Verdict; reasons: string[] } {
  const blocking = checks.filter(blocksReadiness);
  const degrading = checks.filter((check) => !blocking.includes(check) && check.status !== "ok");
  const reasons = [...blocking, ...degrading].map((check) => `${check.id}: ${check.summary}`);
  return { verdict: blocking.length > 0 ? "NOT READY" : degrading.length > 0 ? "DEGRADED" : "READY", reasons };
}

/**
 * Whether the DR region could take over now: replica and lag, fleet and launch template, ALB and
 * targets, the Route 53 failover pair and its health check, the newest recovery point, failed
 * copy jobs, KMS keys and the search domain. Only reads; each check stands on its own.
 */
export async function assessReadiness(stack: StackOutputs, options: ReadinessOptions): Promise<Readiness> {
  const dr = stack.dr;
  if (dr === undefined) {
    const check: ReadinessCheck = { id: "replica", status: "fail", summary: `stack ${stack.stack} has no DR region (drStrategy ${stack.drStrategy})` };
    return { verdict: "NOT READY", region: "none", reasons: [`replica: ${check.summary}`], checks: [check] };
  }
  const { env, call, now } = options;
  const region = dr.region;

  const replica = guarded("replica", async () => {
    const db = await call("describe the DR replica", () => describeDbInstance(region, dr.databaseInstanceId, env));
    if (db === undefined) return { id: "replica", status: "fail", summary: `RDS instance ${dr.databaseInstanceId} not found in ${region}` };
    const details = { status: db.status, replicaSource: db.replicaSource ?? null, replicationState: db.replicationState ?? null, multiAz: db.multiAz };
    if (db.replicaSource === undefined) return { id: "replica", status: "fail", summary: `${dr.databaseInstanceId} is a standalone instance, not a replica (promoted by a failover?)`, details };
    if (db.replicationState !== undefined && db.replicationState !== "replicating") return { id: "replica", status: "fail", summary: `replication is ${db.replicationState}`, details };
    if (db.status === "available") return { id: "replica", status: "ok", summary: `available read replica of ${db.replicaSource}${db.multiAz ? ", Multi-AZ" : ""}`, details };
    return { id: "replica", status: DB_BUSY.has(db.status) ? "warn" : "fail", summary: `replica is ${db.status}`, details };
  });

  const lag = guarded("replica-lag", async () => {
    const latest = await call("read ReplicaLag", () => replicaLag(region, dr.databaseInstanceId, env, now));
    if (latest === undefined) return { id: "replica-lag", status: "warn", summary: "no ReplicaLag datapoint in the last 15 minutes: the data at risk is unknown" };
    const details = { seconds: latest.seconds, at: latest.at.toISOString(), maxSeconds: options.maxLagSeconds };
    return latest.seconds > options.maxLagSeconds
      ? { id: "replica-lag", status: "fail", summary: `${latest.seconds}s behind, over ${options.maxLagSeconds}s`, details }
      : { id: "replica-lag", status: "ok", summary: `${latest.seconds}s behind (limit ${options.maxLagSeconds}s)`, details };
  });

  const fleet = call("describe the DR fleet", () => describeAsg(region, dr.asgName, env)).then(
    (asg) => ({ asg }),
    (error: unknown) => ({ error }),
  );
  const fleetCheck = guarded("fleet", async () => {
    const result = await fleet;
    if ("error" in result) throw result.error;
    const { asg } = result;
    if (asg === undefined) return { id: "fleet", status: "fail", summary: `Auto Scaling group ${dr.asgName} not found in ${region}` };
    const target = stack.drTargetCapacity ?? asg.desired;
    const details = { desired: asg.desired, min: asg.min, max: asg.max, inService: asg.inService, targetCapacity: target };
    if (asg.desired > 0 && asg.inService < asg.desired) return { id: "fleet", status: "warn", summary: `${asg.inService}/${asg.desired} in service`, details };
    if (asg.max < target) return { id: "fleet", status: "warn", summary: `max ${asg.max} is below the failover target ${target} (failover raises it)`, details };
    return { id: "fleet", status: "ok", summary: asg.desired === 0 ? `standing by at 0 (pilot light), scales to ${target} on failover` : `${asg.inService}/${asg.desired} in service, scales to ${target} on failover`, details };
  });
  const templateCheck = guarded("launch-template", async () => {
    const result = await fleet;
    if ("error" in result) throw result.error;
    const template = result.asg?.launchTemplate;
    if (result.asg === undefined) return { id: "launch-template", status: "fail", summary: "no fleet, so no launch template" };
    if (template?.id === undefined) return { id: "launch-template", status: "fail", summary: `${dr.asgName} launches from no launch template` };
    const version = await call("describe the launch template", () => launchTemplateVersion(region, template.id ?? "", template.version ?? "$Default", env));
    if (version === undefined) return { id: "launch-template", status: "fail", summary: `launch template ${template.id} version ${template.version ?? "$Default"} not found` };
    return { id: "launch-template", status: "ok", summary: `${template.id} version ${version.version}`, details: { id: template.id, version: version.version } };
  });

  const balancer = guarded("load-balancer", async () => {
    const state = await call("describe the DR load balancer", () => loadBalancerState(region, dr.albArn, env));
    if (state === undefined) return { id: "load-balancer", status: "fail", summary: `load balancer ${dr.albArn} not found` };
    return { id: "load-balancer", status: state === "active" ? "ok" : "warn", summary: state, details: { state } };
  });
  const targets = guarded("targets", async () => {
    const health = await call("read DR target health", () => targetHealth(region, dr.targetGroupArn, env));
    const details = { ...health };
    if (health.healthy + health.other === 0) return { id: "targets", status: "ok", summary: "no targets registered (nothing runs yet; failover starts the fleet)", details };
    if (health.healthy === 0) return { id: "targets", status: "warn", summary: `no healthy target (${JSON.stringify(health.states)})`, details };
    return { id: "targets", status: health.other > 0 ? "warn" : "ok", summary: `${health.healthy} healthy${health.other > 0 ? `, ${health.other} not: ${JSON.stringify(health.states)}` : ""}`, details };
  });

  const dns = stack.dns;
  const dnsCheck = guarded("dns", async () => {
    if (dns === undefined) return { id: "dns", status: "fail", summary: "the stack has no failover records (no domain): traffic cannot be switched" };
    const records = await call("list the failover records", () => failoverRecords(dns.zoneId, dns.originRecordName, env));
    const primary = records.find((record) => record.failover === "PRIMARY");
    const secondary = records.find((record) => record.failover === "SECONDARY");
    const details = { records };
    if (primary === undefined || secondary === undefined) return { id: "dns", status: "fail", summary: `${dns.originRecordName} lacks its ${primary === undefined ? "PRIMARY" : "SECONDARY"} failover record`, details };
    if (secondary.aliasDnsName !== normalizeDnsName(dr.albDnsName)) return { id: "dns", status: "fail", summary: `the SECONDARY record aliases ${secondary.aliasDnsName ?? "nothing"}, not the DR load balancer ${dr.albDnsName}`, details };
    if (dns.primaryHealthCheckId !== undefined && primary.healthCheckId !== dns.primaryHealthCheckId) return { id: "dns", status: "fail", summary: `the PRIMARY record does not carry health check ${dns.primaryHealthCheckId}`, details };
    return { id: "dns", status: "ok", summary: `${dns.originRecordName}: PRIMARY with its health check, SECONDARY aliases the DR load balancer`, details };
  });
  const healthCheck = guarded("health-check", async () => {
    const id = dns?.primaryHealthCheckId;
    if (id === undefined) return { id: "health-check", status: "fail", summary: "no health check on the PRIMARY record: Route 53 would never fail over" };
    const [check, observed] = await Promise.all([
      call("read the health check", () => getHealthCheck(id, env)),
      call("read the health check status", () => healthCheckStatus(id, env)),
    ]);
    const details = { inverted: check.inverted, disabled: check.disabled, status: observed.verdict, alarm: check.alarm ?? null };
    if (check.inverted) return { id: "health-check", status: "warn", summary: `${id} is inverted: the primary is fenced (a failover ran or is running)`, details };
    if (check.disabled) return { id: "health-check", status: "warn", summary: `${id} is disabled: Route 53 treats the primary as healthy whatever happens`, details };
    return { id: "health-check", status: "ok", summary: `${id} ${observed.verdict}${check.alarm === undefined ? "" : `, follows ${check.alarm.name}`}`, details };
  });

  const recoveryPoint = guarded("recovery-point", async () => {
    const point = await call("read the newest DR recovery point", () => newestRecoveryPoint(region, dr.backupVaultName, env));
    if (point === undefined) return { id: "recovery-point", status: "warn", summary: `no recovery point in ${dr.backupVaultName}: no backup to restore if the replica is lost` };
    const ageMs = now.getTime() - point.createdAt.getTime();
    const details = { arn: point.arn, createdAt: point.createdAt.toISOString(), status: point.status, ageSeconds: Math.round(ageMs / 1_000), rpoSeconds: stack.rpoSeconds };
    const summary = `newest ${point.createdAt.toISOString()} (${formatSeconds(ageMs / 1_000)} old: the RPO if the replica were lost too; replica RPO budget ${stack.rpoSeconds}s)`;
    if (point.status !== "COMPLETED") return { id: "recovery-point", status: "warn", summary: `${summary}, ${point.status}`, details };
    return { id: "recovery-point", status: ageMs > DAILY_BACKUP_MAX_AGE_MS ? "warn" : "ok", summary, details };
  });
  const copyJobs = guarded("copy-jobs", async () => {
    const days = options.copyJobDays ?? 7;
    if (options.readPrimary === false) return { id: "copy-jobs", status: "ok", summary: `not read: copy jobs run in ${stack.primary.region}, which this run leaves alone` };
    const vault = await call("describe the DR vault", () => describeVault(region, dr.backupVaultName, env));
    const failed = await call("list failed copy jobs", () => failedCopyJobs(stack.primary.region, new Date(now.getTime() - days * 86_400_000), env));
    const intoDr = failed.filter((job) => vault?.arn === undefined || job.destinationVaultArn === undefined || job.destinationVaultArn === vault.arn);
    const details = { failed: intoDr.map((job) => ({ id: job.id, state: job.state, resourceArn: job.resourceArn ?? null, at: job.createdAt?.toISOString() ?? null, message: job.message })) };
    return intoDr.length === 0
      ? { id: "copy-jobs", status: "ok", summary: `no failed copy job into ${dr.backupVaultName} in ${days} days`, details }
      : { id: "copy-jobs", status: "warn", summary: `${intoDr.length} copy job${intoDr.length === 1 ? "" : "s"} into ${dr.backupVaultName} failed in ${days} days`, details };
  });

  const kms = guarded("kms", async () => {
    const prefix = `alias/${stack.project}-${stack.stack}-`;
    const aliases = await call("list DR KMS aliases", () => aliasesWithPrefix(region, prefix, env));
    if (aliases.length === 0) return { id: "kms", status: "warn", summary: `no KMS alias ${prefix}* in ${region}` };
    const keys = await Promise.all(aliases.map(async (alias) => ({ ...alias, ...(await call(`describe ${alias.alias}`, () => describeKey(alias.keyId, region, env))) })));
    const unusable = keys.filter((key) => !key.enabled);
    const details = { keys: keys.map((key) => ({ alias: key.alias, state: key.state })) };
    return unusable.length === 0
      ? { id: "kms", status: "ok", summary: `${keys.length} keys enabled`, details }
      : { id: "kms", status: "fail", summary: `unusable: ${unusable.map((key) => `${key.alias} (${key.state})`).join(", ")}`, details };
  });

  const search = guarded("search", async () => {
    const domain = await call("describe the DR search domain", () => describeSearchDomain(region, dr.searchDomainName, env));
    if (domain === undefined) return { id: "search", status: "fail", summary: `OpenSearch domain ${dr.searchDomainName} not found` };
    const details = { ...domain };
    if (domain.deleted) return { id: "search", status: "fail", summary: `${dr.searchDomainName} is being deleted`, details };
    return { id: "search", status: domain.processing || domain.state !== "Active" ? "warn" : "ok", summary: `${domain.state}${domain.processing ? " (change in progress)" : ""}, ${domain.engineVersion ?? "?"}`, details };
  });

  const checks = await Promise.all([replica, lag, fleetCheck, templateCheck, balancer, targets, dnsCheck, healthCheck, recoveryPoint, copyJobs, kms, search]);
  return { region, checks, ...verdictOf(checks) };
}

export function renderReadiness(stack: StackOutputs, readiness: Readiness): string {
  const lines = [`DR readiness of ${stack.stack} (${stack.drStrategy}, DR region ${readiness.region}): ${readiness.verdict}`];
  for (const check of readiness.checks) {
    const label = check.status === "ok" ? "ok   " : check.status.toUpperCase().padEnd(5);
    lines.push(`  ${label} ${check.id.padEnd(15)} ${check.summary}`);
  }
  if (readiness.reasons.length > 0) lines.push("", "reasons:", ...readiness.reasons.map((reason) => `  - ${reason}`));
  return lines.join("\n");
}
