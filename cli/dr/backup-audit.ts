import type { StackConfig } from "../../stacks/config/index.js";
import type { StackOutputs } from "../../stacks/outputs.js";
import type { RecoveryPoint } from "../aws/backup.js";
import { describeVault, failedBackupJobs, failedCopyJobs, recoveryPoints, type FailedJob, type VaultDescription } from "../aws/backup-jobs.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { UsageError } from "../exit-codes.js";
import { parseArn } from "../common/arn.js";
import { formatSeconds } from "../common/durations.js";
import type { Caller } from "./readiness.js";

const HOUR = 3_600_000;

/**
 * How often an AWS Backup cron schedule fires, as the longest gap between two runs: `cron(0 3 * *
 * ? *)` daily, `cron(0 *\/6 * * ? *)` every 6 hours, `cron(0 5 ? * SUN *)` weekly, `cron(0 5 1 * ?
 * *)` monthly.
 */
export function scheduleInterval(schedule: string): number {
  const fields = /^cron\((.+)\)$/.exec(schedule.trim())?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6) throw new UsageError(`${schedule}: expected an AWS Backup cron expression with six fields, such as cron(0 3 * * ? *)`);
  const [, hours = "*", dayOfMonth = "*", , dayOfWeek = "?"] = fields;
  const any = (field: string) => field === "*" || field === "?";
  if (!any(dayOfMonth)) return 31 * 24 * HOUR;
  if (!any(dayOfWeek)) {
    const days = dayOfWeek.split(",").length;
    return days >= 7 ? 24 * HOUR : Math.ceil(7 / days) * 24 * HOUR;
  }
  const every = /^(?:\*|\d+)\/(\d+)$/.exec(hours);
  if (every?.[1] !== undefined) return Number(every[1]) * HOUR;
  if (hours === "*") return HOUR;
  const list = hours.split(",").map(Number).filter((hour) => Number.isInteger(hour)).sort((a, b) => a - b);
  if (list.length <= 1) return 24 * HOUR;
  const gaps = list.map((hour, index) => ((list[index + 1] ?? (list[0] ?? 0) + 24) - hour));
  return Math.max(...gaps) * HOUR;
}

export interface ResourceCoverage {
  resourceArn: string;
  resourceType: string | null;
  newest: string | null;
  status: string | null;
  ageHours: number | null;
  withinSchedule: boolean;
}

export interface VaultAudit {
  role: "primary" | "dr";
  region: string;
  vault: string;
  exists: boolean;
  recoveryPoints: number;
  lock: { expected: StackConfig["backup"]["vaultLock"]; locked: boolean; lockDate: string | null; minRetentionDays: number | null; maxRetentionDays: number | null };
  resources: ResourceCoverage[];
  error?: string;
}

export interface BackupAudit {
  stack: string;
  schedule: string;
  maxAgeHours: number;
  days: number;
  vaults: VaultAudit[];
  failedJobs: (Omit<FailedJob, "createdAt"> & { createdAt: string | null; region: string })[];
  /** Out of policy: `backup verify` exits 1 when there is any. */
  problems: string[];
  notes: string[];
}

export interface AuditOptions {
  env: NodeJS.ProcessEnv;
  call: Caller;
  now: Date;
  /** Failed jobs in these many days count. */
  days: number;
  /** The newest point of every protected resource must be younger than this. */
  maxAgeMs: number;
}

/** The resources the stack's backup plan protects (BackupPlan's `resourceArns`). */
export function protectedResources(outputs: StackOutputs): string[] {
  const partition = parseArn(outputs.primary.databaseArn)?.partition ?? "aws";
  return [outputs.primary.databaseArn, `arn:${partition}:s3:::${outputs.assetBucketName}`];
}

function coverage(points: readonly RecoveryPoint[], resources: readonly string[], now: Date, maxAgeMs: number): ResourceCoverage[] {
  return resources.map((resourceArn) => {
    const completed = points.filter((point) => point.resourceArn === resourceArn && point.status === "COMPLETED");
    const newest = completed[0] ?? points.find((point) => point.resourceArn === resourceArn);
    const age = newest === undefined ? undefined : now.getTime() - newest.createdAt.getTime();
    return {
      resourceArn,
      resourceType: newest?.resourceType ?? null,
      newest: newest?.createdAt.toISOString() ?? null,
      status: newest?.status ?? null,
      ageHours: age === undefined ? null : Math.round((age / HOUR) * 10) / 10,
      withinSchedule: age !== undefined && newest?.status === "COMPLETED" && age <= maxAgeMs,
    };
  });
}

function lockProblems(audit: VaultAudit, vault: VaultDescription, now: Date): { problems: string[]; notes: string[] } {
  const where = `${audit.vault} (${audit.region})`;
  const { expected } = audit.lock;
  if (expected === "none") return { problems: [], notes: vault.locked ? [`${where} is locked although the config asks for no lock`] : [] };
  if (!vault.locked) return { problems: [`${where} has no vault lock; the config asks for ${expected} mode`], notes: [] };
  if (expected === "compliance") {
    if (vault.lockDate === undefined) return { problems: [`${where} is locked in governance mode; the config asks for compliance mode`], notes: [] };
    if (vault.lockDate.getTime() > now.getTime()) return { problems: [], notes: [`${where}: the compliance lock can still be changed until ${vault.lockDate.toISOString()}`] };
  }
  return { problems: [], notes: [] };
}

/**
 * Backups against the stack's policy: per vault and region, every protected resource has a
 * completed recovery point within the schedule, the vault lock matches the config, and no backup
 * or copy job failed in the last `days` days.
 */
export async function auditBackups(outputs: StackOutputs, config: StackConfig, options: AuditOptions): Promise<BackupAudit> {
  const { env, call, now } = options;
  const resources = protectedResources(outputs);
  const since = new Date(now.getTime() - options.days * 86_400_000);
  const problems: string[] = [];
  const notes: string[] = [];
  const sides = [{ role: "primary" as const, region: outputs.primary.region, vault: outputs.primary.backupVaultName }, ...(outputs.dr === undefined ? [] : [{ role: "dr" as const, region: outputs.dr.region, vault: outputs.dr.backupVaultName }])];

  const vaults = await Promise.all(sides.map(async (side): Promise<{ audit: VaultAudit; arn: string | undefined }> => {
    const audit: VaultAudit = { ...side, exists: false, recoveryPoints: 0, lock: { expected: config.backup.vaultLock, locked: false, lockDate: null, minRetentionDays: null, maxRetentionDays: null }, resources: [] };
    try {
      const vault = await call(`describe ${side.vault}`, () => describeVault(side.region, side.vault, env));
      if (vault === undefined) {
        problems.push(`backup vault ${side.vault} does not exist in ${side.region}`);
        return { audit, arn: undefined };
      }
      const points = await call(`list the recovery points of ${side.vault}`, () => recoveryPoints(side.region, side.vault, env));
      audit.exists = true;
      audit.recoveryPoints = points.length;
      audit.lock = { ...audit.lock, locked: vault.locked, lockDate: vault.lockDate?.toISOString() ?? null, minRetentionDays: vault.minRetentionDays ?? null, maxRetentionDays: vault.maxRetentionDays ?? null };
      audit.resources = coverage(points, resources, now, options.maxAgeMs);
      for (const resource of audit.resources) {
        if (resource.withinSchedule) continue;
        problems.push(resource.newest === null
          ? `${side.vault} (${side.region}) holds no recovery point of ${resource.resourceArn}`
          : `${side.vault} (${side.region}): the newest recovery point of ${resource.resourceArn} is ${resource.status === "COMPLETED" ? "" : `${resource.status ?? "?"}, `}${formatSeconds((resource.ageHours ?? 0) * 3_600)} old, over the ${formatSeconds(options.maxAgeMs / 1_000)} the schedule allows`);
      }
      const lock = lockProblems(audit, vault, now);
      problems.push(...lock.problems);
      notes.push(...lock.notes);
      return { audit, arn: vault.arn };
    } catch (error) {
      audit.error = awsErrorMessage(error);
      problems.push(`could not read ${side.vault} in ${side.region}: ${audit.error}`);
      return { audit, arn: undefined };
    }
  }));

  const drArn = vaults.find((vault) => vault.audit.role === "dr")?.arn;
  const failedJobs: BackupAudit["failedJobs"] = [];
  try {
    const [backups, copies] = await Promise.all([
      call("list failed backup jobs", () => failedBackupJobs(outputs.primary.region, outputs.primary.backupVaultName, since, env)),
      outputs.dr === undefined ? Promise.resolve([]) : call("list failed copy jobs", () => failedCopyJobs(outputs.primary.region, since, env)),
    ]);
    const relevant = [...backups, ...copies.filter((job) => drArn === undefined || job.destinationVaultArn === undefined || job.destinationVaultArn === drArn)];
    for (const job of relevant) {
      failedJobs.push({ ...job, createdAt: job.createdAt?.toISOString() ?? null, region: outputs.primary.region });
      problems.push(`${job.kind} job ${job.id} ${job.state} ${job.createdAt?.toISOString() ?? ""} for ${job.resourceArn ?? "?"}${job.message === "" ? "" : `: ${job.message}`}`);
    }
  } catch (error) {
    problems.push(`could not list the backup and copy jobs in ${outputs.primary.region}: ${awsErrorMessage(error)}`);
  }

  return {
    stack: outputs.stack,
    schedule: config.backup.daily.schedule,
    maxAgeHours: Math.round((options.maxAgeMs / HOUR) * 10) / 10,
    days: options.days,
    vaults: vaults.map((vault) => vault.audit),
    failedJobs,
    problems,
    notes,
  };
}

export function renderAudit(audit: BackupAudit): string {
  const lines = [`Backups of ${audit.stack}: daily ${audit.schedule}, newest point allowed ${audit.maxAgeHours}h old; jobs of the last ${audit.days} days`];
  for (const vault of audit.vaults) {
    const lock = vault.lock.locked ? `locked${vault.lock.lockDate === null ? " (governance)" : ` (compliance from ${vault.lock.lockDate})`}` : "not locked";
    lines.push("", `${vault.role} ${vault.region}  ${vault.vault}: ${vault.exists ? `${vault.recoveryPoints} recovery points, ${lock} (config: ${vault.lock.expected})` : vault.error ?? "missing"}`);
    for (const resource of vault.resources) {
      const mark = resource.withinSchedule ? "ok   " : "LATE ";
      lines.push(`  ${mark} ${resource.resourceArn}  ${resource.newest === null ? "no recovery point" : `newest ${resource.newest} (${resource.ageHours ?? "?"}h, ${resource.status ?? "?"})`}`);
    }
  }
  lines.push("", audit.failedJobs.length === 0 ? `failed jobs: none in ${audit.days} days` : `failed jobs (${audit.failedJobs.length}):`);
  for (const job of audit.failedJobs) lines.push(`  ${job.kind} ${job.id} ${job.state} ${job.createdAt ?? ""} ${job.resourceArn ?? ""} ${job.message}`);
  if (audit.notes.length > 0) lines.push("", "notes:", ...audit.notes.map((note) => `  - ${note}`));
  lines.push("", audit.problems.length === 0 ? "verdict: within policy" : `verdict: OUT OF POLICY (${audit.problems.length}):`, ...audit.problems.map((problem) => `  - ${problem}`));
  return lines.join("\n");
}
