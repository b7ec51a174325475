import {
  CreateDBInstanceReadReplicaCommand,
  DeleteDBInstanceCommand,
  ModifyDBInstanceCommand,
  PromoteReadReplicaCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { clientSettings } from "./client-config.js";

// The RDS calls that change an instance: DR promotion, failback replicas, drill teardown.
// Each is one request; the callers observe and wait, because RDS applies all of them
// asynchronously (a successful response means "accepted", never "done").

async function withRds<T>(region: string, env: NodeJS.ProcessEnv, body: (client: RDSClient) => Promise<T>): Promise<T> {
  const client = new RDSClient(clientSettings("RDS", region, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

/** Promote a read replica to a standalone instance; backups must be on for it to be a replication source later. */
export async function promoteReadReplica(region: string, id: string, backupRetentionDays: number, env: NodeJS.ProcessEnv): Promise<void> {
  await withRds(region, env, (client) => client.send(new PromoteReadReplicaCommand({ DBInstanceIdentifier: id, BackupRetentionPeriod: backupRetentionDays })));
}

/** Ask RDS to convert the instance to Multi-AZ now (it stays available while it converts). */
export async function enableMultiAz(region: string, id: string, env: NodeJS.ProcessEnv): Promise<void> {
  await withRds(region, env, (client) => client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, MultiAZ: true, ApplyImmediately: true })));
}

/** Rename an instance (its endpoint changes with it), freeing its identifier for a new instance. */
export async function renameDbInstance(region: string, id: string, newId: string, env: NodeJS.ProcessEnv): Promise<void> {
  await withRds(region, env, (client) => client.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, NewDBInstanceIdentifier: newId, ApplyImmediately: true })));
}

export interface CrossRegionReplicaSpec {
  id: string;
  /** ARN of the source instance in another region (the SDK presigns the source-region request from it). */
  sourceArn: string;
  instanceClass: string;
  /** A KMS key in the replica's region: an encrypted source needs one there. */
  kmsKeyId: string;
  subnetGroup: string;
  securityGroupIds: readonly string[];
  parameterGroup?: string;
  multiAz: boolean;
  deletionProtection: boolean;
  tags: Readonly<Record<string, string>>;
}

/** Create a cross-region read replica of `sourceArn` in `region`. */
export async function createCrossRegionReplica(region: string, spec: CrossRegionReplicaSpec, env: NodeJS.ProcessEnv): Promise<void> {
  await withRds(region, env, (client) => client.send(new CreateDBInstanceReadReplicaCommand({
    DBInstanceIdentifier: spec.id,
    SourceDBInstanceIdentifier: spec.sourceArn,
    DBInstanceClass: spec.instanceClass,
    KmsKeyId: spec.kmsKeyId,
    DBSubnetGroupName: spec.subnetGroup,
    VpcSecurityGroupIds: [...spec.securityGroupIds],
    ...(spec.parameterGroup === undefined ? {} : { DBParameterGroupName: spec.parameterGroup }),
    MultiAZ: spec.multiAz,
    PubliclyAccessible: false,
    DeletionProtection: spec.deletionProtection,
    CopyTagsToSnapshot: true,
    Tags: Object.entries(spec.tags).map(([Key, Value]) => ({ Key, Value })),
  })));
}

/** Delete a throwaway instance (a drill's restore): no final snapshot, no retained automated backups. */
export async function deleteThrowawayInstance(region: string, id: string, env: NodeJS.ProcessEnv): Promise<void> {
  await withRds(region, env, (client) => client.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true, DeleteAutomatedBackups: true })));
}
