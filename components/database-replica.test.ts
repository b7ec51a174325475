import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";
import type { DatabaseReplicaArgs } from "./database.js";
import {
  ACCOUNT,
  childOf,
  childrenOf,
  DR_NETWORK,
  DR_REGION,
  keysIn,
  PRIMARY_NETWORK,
  PRIMARY_REGION,
  providerUrn,
  regionalProviders,
} from "./database/test-fixtures.js";

const INSTANCE = "aws:rds/instance:Instance";
const BACKUPS = "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication";
const PRIMARY_KEYS = keysIn(PRIMARY_REGION);
const DR_KEYS = keysIn(DR_REGION);

type ReplicaOverrides = Partial<Omit<DatabaseReplicaArgs, "sourceDbArn">> & { sourceDbArn?: string };

/**
 * The platform's pairing: a primary in the primary region (write-only password, as replicas
 * require) and its replica declared with the DR provider. `sourceDbArn` overrides the wiring.
 */
async function declarePair(overrides: ReplicaOverrides = {}, preview = false) {
  return runUnderMocks(
    async () => {
      const { Database, DatabaseReplica } = await import("./database.js");
      const { primary, dr } = regionalProviders();
      const db = new Database(
        "catalog",
        {
          vpcId: PRIMARY_NETWORK.vpcId,
          subnetIds: PRIMARY_NETWORK.isolatedSubnetIds,
          webSecurityGroupId: PRIMARY_NETWORK.webSecurityGroupId,
          kmsKeyArn: PRIMARY_KEYS.database,
          secretsKmsKeyArn: PRIMARY_KEYS.secrets,
          logsKmsKeyArn: PRIMARY_KEYS.logs,
          masterPassword: "write-only",
        },
        { provider: primary },
      );
      const replica = new DatabaseReplica(
        "catalog-dr",
        {
          vpcId: DR_NETWORK.vpcId,
          subnetIds: DR_NETWORK.isolatedSubnetIds,
          webSecurityGroupId: DR_NETWORK.webSecurityGroupId,
          kmsKeyArn: DR_KEYS.database,
          logsKmsKeyArn: DR_KEYS.logs,
          ...overrides,
          sourceDbArn: overrides.sourceDbArn ?? db.arn,
        },
        { provider: dr },
      );
      return {
        primaryArn: db.arn,
        identifier: replica.identifier,
        arn: replica.arn,
        endpoint: replica.endpoint,
        securityGroupId: replica.securityGroupId,
        parameterGroupName: replica.parameterGroupName,
        logGroupNames: replica.logGroupNames,
        backups: replica.automatedBackupsReplicationArn,
      };
    },
    { stack: "prod", preview },
  );
}

describe("DatabaseReplica", () => {
  it("is a cross-region replica: the primary's ARN as source, declared with the DR provider and the DR key", async () => {
    const run = await declarePair();
    const replica = childOf(run.resources, "catalog-dr", INSTANCE);
    const drProvider = findResource(run.resources, "pulumi:providers:aws", "dr");
    expect(run.outputs.primaryArn).toBe(`arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:db:catalog`);
    expect(replica.inputs.replicateSourceDb).toBe(run.outputs.primaryArn);
    expect(replica.region).toBe(DR_REGION);
    expect(providerUrn(replica)).toBe(drProvider.urn);
    expect(replica.inputs).toMatchObject({ identifier: "catalog-dr", kmsKeyId: DR_KEYS.database, storageEncrypted: true, performanceInsightsKmsKeyId: DR_KEYS.database });
    expect(run.outputs.arn).toBe(`arn:aws:rds:${DR_REGION}:${ACCOUNT}:db:catalog-dr`);
    expect(run.outputs.endpoint).toMatch(new RegExp(`^catalog-dr\\..*\\.${DR_REGION}\\.rds\\.amazonaws\\.com:5432$`));
  });

  it("uses the DR region's own subnet group, security group and parameter group", async () => {
    const run = await declarePair();
    const replica = childOf(run.resources, "catalog-dr", INSTANCE);
    const subnets = childOf(run.resources, "catalog-dr", "aws:rds/subnetGroup:SubnetGroup");
    const group = childOf(run.resources, "catalog-dr", "aws:ec2/securityGroup:SecurityGroup");
    const parameters = childOf(run.resources, "catalog-dr", "aws:rds/parameterGroup:ParameterGroup");
    for (const child of [subnets, group, parameters]) expect(child.region).toBe(DR_REGION);
    expect(subnets.inputs.subnetIds).toEqual(DR_NETWORK.isolatedSubnetIds);
    expect(group.inputs.vpcId).toBe(DR_NETWORK.vpcId);
    expect(replica.inputs).toMatchObject({ dbSubnetGroupName: subnets.id, vpcSecurityGroupIds: [group.id], parameterGroupName: parameters.id });
    expect(parameters.inputs.family).toBe("postgres16");
    expect(parameters.inputs.parameters).toContainEqual({ name: "rds.force_ssl", value: "1" });
    const rules = childrenOf(run.resources, "catalog-dr", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((rule) => [rule.inputs.referencedSecurityGroupId, rule.inputs.fromPort])).toEqual([[DR_NETWORK.webSecurityGroupId, 5432]]);
    expect(run.outputs).toMatchObject({ securityGroupId: group.id, parameterGroupName: parameters.id });
  });

  it("keeps backups of its own so a promoted replica is protected, and is Multi-AZ by default (warm standby)", async () => {
    const run = await declarePair();
    expect(childOf(run.resources, "catalog-dr", INSTANCE).inputs).toMatchObject({
      backupRetentionPeriod: 35,
      multiAz: true,
      deletionProtection: true,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: true,
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      monitoringInterval: 60,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    });
  });

  it("inherits engine, storage size, database and credentials from the source", async () => {
    const run = await declarePair();
    const inputs = childOf(run.resources, "catalog-dr", INSTANCE).inputs;
    for (const key of ["engine", "engineVersion", "allocatedStorage", "dbName", "username", "password", "passwordWo", "manageMasterUserPassword", "finalSnapshotIdentifier"]) {
      expect(inputs).not.toHaveProperty(key);
    }
  });

  it("pilot light: single-AZ, smaller class, shorter own retention", async () => {
    const run = await declarePair({ multiAz: false, instanceClass: "db.t4g.medium", backupRetentionDays: 7 });
    expect(childOf(run.resources, "catalog-dr", INSTANCE).inputs).toMatchObject({ multiAz: false, instanceClass: "db.t4g.medium", backupRetentionPeriod: 7 });
  });

  it("replicates the primary's automated backups into the DR region with the DR key", async () => {
    const run = await declarePair();
    const backups = childOf(run.resources, "catalog-dr", BACKUPS);
    expect(backups.region).toBe(DR_REGION);
    expect(providerUrn(backups)).toBe(findResource(run.resources, "pulumi:providers:aws", "dr").urn);
    expect(backups.inputs).toEqual({ sourceDbInstanceArn: run.outputs.primaryArn, kmsKeyId: DR_KEYS.database, retentionPeriod: 35 });
    expect(run.outputs.backups).toBe(backups.id);
    expect(run.outputs.backups).toMatch(new RegExp(`^arn:aws:rds:${DR_REGION}:${ACCOUNT}:auto-backup:`));
  });

  it("can leave the backup replication out, or keep it for fewer days", async () => {
    const without = await declarePair({ replicateAutomatedBackups: false });
    expect(without.resources.filter((resource) => resource.type === BACKUPS)).toEqual([]);
    expect(without.outputs.backups).toBeUndefined();
    const shorter = await declarePair({ automatedBackupsRetentionDays: 14 });
    expect(childOf(shorter.resources, "catalog-dr", BACKUPS).inputs.retentionPeriod).toBe(14);
  });

  it("writes its logs to DR log groups under the DR logs key", async () => {
    const run = await declarePair();
    const groups = childrenOf(run.resources, "catalog-dr", "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((group) => group.inputs.name).sort()).toEqual(["/aws/rds/instance/catalog-dr/postgresql", "/aws/rds/instance/catalog-dr/upgrade"]);
    for (const group of groups) {
      expect(group.region).toBe(DR_REGION);
      expect(group.inputs).toMatchObject({ kmsKeyId: DR_KEYS.logs, retentionInDays: 365 });
    }
  });

  it("previews offline: the plan is complete while AWS-computed values are unknown", async () => {
    const run = await declarePair({}, true);
    const replica = childOf(run.resources, "catalog-dr", INSTANCE);
    expect(replica.inputs).toMatchObject({ identifier: "catalog-dr", kmsKeyId: DR_KEYS.database, multiAz: true });
    expect(replica.unknownProperties).toContain("replicateSourceDb");
    expect(run.outputs.arn).toBeUndefined();
    expect(childOf(run.resources, "catalog-dr", BACKUPS).region).toBe(DR_REGION);
  });

  it("hands the instance and the backup replication to transforms", async () => {
    const run = await declarePair({
      transforms: {
        instance: { instanceClass: "db.r7g.xlarge" },
        automatedBackupsReplication: (args) => {
          args.retentionPeriod = 7;
        },
      },
    });
    expect(childOf(run.resources, "catalog-dr", INSTANCE).inputs.instanceClass).toBe("db.r7g.xlarge");
    expect(childOf(run.resources, "catalog-dr", BACKUPS).inputs.retentionPeriod).toBe(7);
  });

  it("lets a function transform rename the replica's instance and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await declarePair({
      transforms: {
        instance: (args, opts, name) => {
          args.instanceClass = "db.r7g.2xlarge";
          opts.protect = true;
          seen.push(opts);
          return `${name}-v2`;
        },
      },
    });
    expect(childOf(run.resources, "catalog-dr", INSTANCE).name).toBe("catalog-dr-instance-v2");
    expect(childOf(run.resources, "catalog-dr", INSTANCE).inputs.instanceClass).toBe("db.r7g.2xlarge");
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });
});

describe("DatabaseReplica refuses a bad source or args", () => {
  // A source in the replica's own region is caught once both are known: replica-source.test.ts.
  it("an identifier instead of the primary's ARN", async () => {
    await expect(declarePair({ sourceDbArn: "catalog" })).rejects.toThrow(
      'DatabaseReplica "catalog-dr": sourceDbArn is "catalog"; expected the primary DB instance\'s ARN (arn:aws:rds:<region>:<account>:db:<identifier>): a cross-region replica needs the ARN, not the identifier.',
    );
  });


  it.each([
    ["no backups of its own", { backupRetentionDays: 0 }, "backupRetentionDays is 0; expected an integer from 1 to 35"],
    ["replicated backups beyond 35 days", { automatedBackupsRetentionDays: 60 }, "automatedBackupsRetentionDays is 60; expected an integer from 1 to 35"],
    ["an engine it cannot name a family for", { engineVersion: "sixteen" }, 'engineVersion is "sixteen"'],
  ] as [string, ReplicaOverrides, string][])("%s", async (_what, overrides, message) => {
    await expect(declarePair(overrides)).rejects.toThrow(`DatabaseReplica "catalog-dr": ${message}`);
  });
});
