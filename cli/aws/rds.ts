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
    };
  } catch (error) {
    if (error instanceof DBInstanceNotFoundFault) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}
