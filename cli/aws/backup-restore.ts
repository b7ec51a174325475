import { BackupClient, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { clientSettings } from "./client-config.js";

// Restores from AWS Backup, for `shopctl drill`. (moto implements no AWS Backup restores; the
// tests use aws-sdk-client-mock for these calls.)

async function withBackup<T>(region: string, env: NodeJS.ProcessEnv, body: (client: BackupClient) => Promise<T>): Promise<T> {
  const client = new BackupClient(clientSettings("BACKUP", region, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

/** The parameters AWS Backup recorded for restoring this point (instance class, engine, ...). */
export async function restoreMetadata(region: string, vault: string, recoveryPointArn: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const result = await withBackup(region, env, (client) => client.send(new GetRecoveryPointRestoreMetadataCommand({ BackupVaultName: vault, RecoveryPointArn: recoveryPointArn })));
  return { ...(result.RestoreMetadata ?? {}) };
}

export interface RestoreRequest {
  recoveryPointArn: string;
  roleArn: string;
  /** Overrides of the recorded metadata: identifier, subnet group, security groups, ... */
  metadata: Readonly<Record<string, string>>;
  resourceType: string;
  /** The same token makes a retried call start no second job. */
  idempotencyToken: string;
}

export async function startRestoreJob(region: string, request: RestoreRequest, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await withBackup(region, env, (client) => client.send(new StartRestoreJobCommand({
    RecoveryPointArn: request.recoveryPointArn,
    IamRoleArn: request.roleArn,
    Metadata: { ...request.metadata },
    ResourceType: request.resourceType,
    IdempotencyToken: request.idempotencyToken,
  })));
  if (result.RestoreJobId === undefined) throw new Error("AWS Backup started no restore job");
  return result.RestoreJobId;
}

export interface RestoreJob {
  id: string;
  /** `PENDING`, `RUNNING`, `COMPLETED`, `ABORTED`, `FAILED`. */
  status: string;
  message: string;
  createdResourceArn: string | undefined;
  createdAt: Date | undefined;
  completedAt: Date | undefined;
  percentDone: string | undefined;
}

export async function describeRestoreJob(region: string, id: string, env: NodeJS.ProcessEnv): Promise<RestoreJob> {
  const job = await withBackup(region, env, (client) => client.send(new DescribeRestoreJobCommand({ RestoreJobId: id })));
  return {
    id,
    status: job.Status ?? "PENDING",
    message: job.StatusMessage ?? "",
    createdResourceArn: job.CreatedResourceArn,
    createdAt: job.CreationDate,
    completedAt: job.CompletionDate,
    percentDone: job.PercentDone,
  };
}
