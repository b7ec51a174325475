import { BackupClient, ListRecoveryPointsByBackupVaultCommand, type RecoveryPointByBackupVault } from "@aws-sdk/client-backup";
import { clientSettings } from "./client-config.js";

export interface RecoveryPoint {
  arn: string;
  resourceType: string | undefined;
  resourceArn: string | undefined;
  status: string;
  createdAt: Date;
}

/** Newest first; a vault holds at most a few hundred points per resource, so one page per call. */
function newest(points: readonly RecoveryPointByBackupVault[]): RecoveryPointByBackupVault | undefined {
  return [...points]
    .filter((point) => point.CreationDate !== undefined)
    .sort((a, b) => (b.CreationDate?.getTime() ?? 0) - (a.CreationDate?.getTime() ?? 0))[0];
}

/** The newest recovery point in a vault, over every page the API returns. */
export async function newestRecoveryPoint(region: string, vault: string, env: NodeJS.ProcessEnv): Promise<RecoveryPoint | undefined> {
  const client = new BackupClient(clientSettings("BACKUP", region, env));
  try {
    let best: RecoveryPointByBackupVault | undefined;
    let token: string | undefined;
    do {
      const page = await client.send(new ListRecoveryPointsByBackupVaultCommand({ BackupVaultName: vault, NextToken: token, MaxResults: 1000 }));
      best = newest([...(best === undefined ? [] : [best]), ...(page.RecoveryPoints ?? [])]);
      token = page.NextToken;
    } while (token !== undefined && token !== "");
    if (best?.CreationDate === undefined) return undefined;
    return {
      arn: best.RecoveryPointArn ?? "",
      resourceType: best.ResourceType,
      resourceArn: best.ResourceArn,
      status: best.Status ?? "UNKNOWN",
      createdAt: best.CreationDate,
    };
  } finally {
    client.destroy();
  }
}
