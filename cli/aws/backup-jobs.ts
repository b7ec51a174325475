import {
  BackupClient,
  DescribeBackupVaultCommand,
  ListBackupJobsCommand,
  ListCopyJobsCommand,
  ListRecoveryPointsByBackupVaultCommand,
  type BackupJobState,
  type CopyJobState,
} from "@aws-sdk/client-backup";
import { clientSettings } from "./client-config.js";
import type { RecoveryPoint } from "./backup.js";

// What `shopctl backup status|verify` and `dr status` read from AWS Backup: every recovery point
// of a vault, the jobs that failed, and the vault's lock.

async function withBackup<T>(region: string, env: NodeJS.ProcessEnv, body: (client: BackupClient) => Promise<T>): Promise<T> {
  const client = new BackupClient(clientSettings("BACKUP", region, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

/** Every recovery point in a vault, newest first, over every page. */
export async function recoveryPoints(region: string, vault: string, env: NodeJS.ProcessEnv): Promise<RecoveryPoint[]> {
  return withBackup(region, env, async (client) => {
    const points: RecoveryPoint[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, NextToken: token, MaxResults: 1000 }));
      for (const point of page.RecoveryPoints ?? []) {
        if (point.CreationDate === undefined) continue;
        points.push({ arn: point.RecoveryPointArn ?? "", resourceType: point.ResourceType, resourceArn: point.ResourceArn, status: point.Status ?? "UNKNOWN", createdAt: point.CreationDate });
      }
      token = page.NextToken === "" ? undefined : page.NextToken;
    } while (token !== undefined);
    return points.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  });
}

export interface FailedJob {
  kind: "backup" | "copy";
  id: string;
  state: string;
  resourceArn: string | undefined;
  resourceType: string | undefined;
  createdAt: Date | undefined;
  message: string;
  /** Copy jobs: where the copy was going. */
  destinationVaultArn?: string | undefined;
}

const FAILED_COPY_STATES: readonly CopyJobState[] = ["FAILED", "PARTIAL"];
const FAILED_BACKUP_STATES: readonly BackupJobState[] = ["FAILED", "ABORTED", "EXPIRED", "PARTIAL"];

/** Copy jobs (they run in the source region) that failed since `since`. */
export async function failedCopyJobs(region: string, since: Date, env: NodeJS.ProcessEnv): Promise<FailedJob[]> {
  return withBackup(region, env, async (client) => {
    const jobs: FailedJob[] = [];
    for (const state of FAILED_COPY_STATES) {
      let token: string | undefined;
      do {
        const page = await client.send(new ListCopyJobsCommand({ ByState: state, ByCreatedAfter: since, NextToken: token, MaxResults: 1000 }));
        for (const job of page.CopyJobs ?? []) {
          jobs.push({ kind: "copy", id: job.CopyJobId ?? "", state: job.State ?? state, resourceArn: job.ResourceArn, resourceType: job.ResourceType, createdAt: job.CreationDate, message: job.StatusMessage ?? "", destinationVaultArn: job.DestinationBackupVaultArn });
        }
        token = page.NextToken === "" ? undefined : page.NextToken;
      } while (token !== undefined);
    }
    return jobs;
  });
}

/** Backup jobs into `vault` that failed, aborted, expired or finished partially since `since`. */
export async function failedBackupJobs(region: string, vault: string, since: Date, env: NodeJS.ProcessEnv): Promise<FailedJob[]> {
  return withBackup(region, env, async (client) => {
    const jobs: FailedJob[] = [];
    for (const state of FAILED_BACKUP_STATES) {
      let token: string | undefined;
      do {
        const page = await client.send(new ListBackupJobsCommand({ ByState: state, ByBackupVaultName: vault, ByCreatedAfter: since, NextToken: token, MaxResults: 1000 }));
        for (const job of page.BackupJobs ?? []) {
          jobs.push({ kind: "backup", id: job.BackupJobId ?? "", state: job.State ?? state, resourceArn: job.ResourceArn, resourceType: job.ResourceType, createdAt: job.CreationDate, message: job.StatusMessage ?? "" });
        }
        token = page.NextToken === "" ? undefined : page.NextToken;
      } while (token !== undefined);
    }
    return jobs;
  });
}

export interface VaultDescription {
  name: string;
  arn: string | undefined;
  /** Vault Lock is on: recovery points cannot be deleted or have their retention shortened. */
  locked: boolean;
  minRetentionDays: number | undefined;
  maxRetentionDays: number | undefined;
  /** Compliance mode: when the lock became (or becomes) immutable. Governance mode has none. */
  lockDate: Date | undefined;
  recoveryPoints: number;
}

/** The vault and its lock, or undefined when it does not exist. */
export async function describeVault(region: string, vault: string, env: NodeJS.ProcessEnv): Promise<VaultDescription | undefined> {
  try {
    const result = await withBackup(region, env, (client) => client.send(new DescribeBackupVaultCommand({ BackupVaultName: vault })));
    return {
      name: vault,
      arn: result.BackupVaultArn,
      locked: result.Locked === true,
      minRetentionDays: result.MinRetentionDays,
      maxRetentionDays: result.MaxRetentionDays,
      lockDate: result.LockDate,
      recoveryPoints: result.NumberOfRecoveryPoints ?? 0,
    };
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}
