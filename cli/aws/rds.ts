import { DBInstanceNotFoundFault, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { clientSettings } from "./client-config.js";

export interface DbInstanceHealth {
  id: string;
  /** RDS's DBInstanceStatus: `available`, `backing-up`, `modifying`, `storage-full`, ... */
  status: string;
  multiAz: boolean;
  engineVersion: string | undefined;
  /** Set on a read replica: the instance (ARN, across regions) it replicates from. */
  replicaSource: string | undefined;
  deletionProtection: boolean;
  arn: string | undefined;
  /** `host:port`, the form the runtime parameters hold; undefined while RDS creates the instance. */
  endpoint: string | undefined;
  backupRetentionDays: number;
  /** A Multi-AZ change RDS has accepted but not finished. */
  pendingMultiAz: boolean | undefined;
  /** A replica's `read replication` status info: `replicating`, `error`, `stopped`, ... */
  replicationState: string | undefined;
  /** Read replicas of this instance (identifiers, or ARNs across regions). */
  replicas: string[];
  instanceClass: string | undefined;
  kmsKeyId: string | undefined;
  subnetGroup: string | undefined;
  securityGroupIds: string[];
  parameterGroup: string | undefined;
}

export async function describeDbInstance(region: string, id: string, env: NodeJS.ProcessEnv): Promise<DbInstanceHealth | undefined> {
  const client = new RDSClient(clientSettings("RDS", region, env));
  try {
    const result = await client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
    const instance = result.DBInstances?.[0];
    if (instance === undefined) return undefined;
    return {
      id,
      status: instance.DBInstanceStatus ?? "unknown",
      multiAz: instance.MultiAZ === true,
      engineVersion: instance.EngineVersion,
      replicaSource: instance.ReadReplicaSourceDBInstanceIdentifier,
      deletionProtection: instance.DeletionProtection === true,
      arn: instance.DBInstanceArn,
      endpoint: instance.Endpoint?.Address === undefined ? undefined : `${instance.Endpoint.Address}:${instance.Endpoint.Port ?? 5432}`,
      backupRetentionDays: instance.BackupRetentionPeriod ?? 0,
      pendingMultiAz: instance.PendingModifiedValues?.MultiAZ,
      replicationState: instance.StatusInfos?.find((info) => info.StatusType === "read replication")?.Status,
      replicas: instance.ReadReplicaDBInstanceIdentifiers ?? [],
      instanceClass: instance.DBInstanceClass,
      kmsKeyId: instance.KmsKeyId,
      subnetGroup: instance.DBSubnetGroup?.DBSubnetGroupName,
      securityGroupIds: (instance.VpcSecurityGroups ?? []).map((group) => group.VpcSecurityGroupId ?? "").filter((id) => id !== ""),
      parameterGroup: instance.DBParameterGroups?.[0]?.DBParameterGroupName,
    };
  } catch (error) {
    if (error instanceof DBInstanceNotFoundFault) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}
