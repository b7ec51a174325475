import { describe } from "vitest";
import { describePolicies, provider, resource, urnOf } from "../testing.js";
import { rdsPolicies } from "./rds.js";

const PRIMARY_ARN = "arn:aws:rds:eu-west-1:123456789012:db:shop-catalog";
const dr = provider("dr", "eu-central-1");

function primary(overrides: Record<string, unknown> = {}) {
  return resource("aws:rds/instance:Instance", "catalog", {
    arn: PRIMARY_ARN, id: "db-ABC", identifier: "shop-catalog", engine: "postgres", engineVersion: "16", instanceClass: "db.r7g.large",
    storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/db", publiclyAccessible: false, multiAz: true,
    backupRetentionPeriod: 35, parameterGroupName: "shop-catalog-pg16", monitoringInterval: 60, monitoringRoleArn: "arn:aws:iam::123456789012:role/rds-monitoring",
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"], deletionProtection: true, iamDatabaseAuthenticationEnabled: true,
    vpcSecurityGroupIds: ["sg-db"],
    ...overrides,
  });
}

function replica(overrides: Record<string, unknown> = {}) {
  return resource("aws:rds/instance:Instance", "catalog-replica", {
    arn: "arn:aws:rds:eu-central-1:123456789012:db:shop-catalog-replica", identifier: "shop-catalog-replica", engine: "postgres", engineVersion: "16",
    replicateSourceDb: PRIMARY_ARN, region: "eu-central-1", storageEncrypted: true, kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/db",
    ...overrides,
  }, { provider: dr });
}

function parameterGroup(parameters: { name: string; value: string }[]) {
  return resource("aws:rds/parameterGroup:ParameterGroup", "catalog-pg", { name: "shop-catalog-pg16", id: "shop-catalog-pg16", family: "postgres16", parameters });
}

function backupReplication() {
  return resource("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "catalog-backups-dr", {
    sourceDbInstanceArn: PRIMARY_ARN, region: "eu-central-1", retentionPeriod: 7, kmsKeyId: "arn:aws:kms:eu-central-1:123456789012:key/db",
  }, { provider: dr });
}

const DR = { drRegion: "eu-central-1" };
const CATALOG = urnOf("aws:rds/instance:Instance", "catalog");

describe("RDS policies", () => {
  describePolicies(rdsPolicies, {
    "rds-encrypted-customer-key": {
      passing: [{ label: "a customer key on the primary and the replica", resources: () => [primary(), replica()] }],
      violating: [
        { label: "unencrypted", resources: () => [primary({ storageEncrypted: false, kmsKeyId: undefined })], message: /storage is not encrypted/ },
        { label: "the AWS-managed key", resources: () => [primary({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds" })], message: /alias\/aws\/rds, not a customer-managed key/ },
        { label: "a replica without a key in its region", resources: () => [replica({ kmsKeyId: undefined })], message: /the AWS-managed aws\/rds key/ },
      ],
    },
    "rds-not-public": {
      passing: [{ label: "private", resources: () => [primary()] }],
      violating: [{ label: "public", resources: () => [primary({ publiclyAccessible: true })], message: /publicly accessible/ }],
    },
    "rds-multi-az": {
      passing: [
        { label: "Multi-AZ", resources: () => [primary()] },
        { label: "not applicable to a replica", resources: () => [replica({ multiAz: false })] },
      ],
      violating: [{ label: "single-AZ (the dev tier)", resources: () => [primary({ multiAz: false })], message: /not Multi-AZ/ }],
    },
    "rds-backup-retention": {
      passing: [
        { label: "35 days", resources: () => [primary()] },
        { label: "1 day when the config allows it (dev)", resources: () => [primary({ backupRetentionPeriod: 1 })], config: { minimumDays: 1 } },
      ],
      violating: [
        { label: "no backups", resources: () => [primary({ backupRetentionPeriod: 0 })], message: /keeps backups for 0 day\(s\); at least 7/ },
        { label: "below a configured minimum", resources: () => [primary({ backupRetentionPeriod: 14 })], config: { minimumDays: 30 }, message: /14 day\(s\); at least 30/ },
      ],
    },
    "rds-force-ssl": {
      passing: [
        { label: "force_ssl 1 in the parameter group", resources: () => [primary(), parameterGroup([{ name: "rds.force_ssl", value: "1" }])] },
        { label: "PostgreSQL 16's default (on) with the default parameter group", resources: () => [primary({ parameterGroupName: "default.postgres16" })] },
      ],
      violating: [
        { label: "force_ssl 0", resources: () => [primary(), parameterGroup([{ name: "rds.force_ssl", value: "0" }])], message: /sets rds.force_ssl to 0/, urn: CATALOG },
        { label: "PostgreSQL 14 without it", resources: () => [primary({ engineVersion: "14.12" }), parameterGroup([{ name: "log_connections", value: "1" }])], message: /PostgreSQL 14\) does not set rds.force_ssl = 1/ },
      ],
    },
    "rds-enhanced-monitoring": {
      passing: [{ label: "every 60 seconds with a role", resources: () => [primary()] }],
      violating: [
        { label: "no monitoring", resources: () => [primary({ monitoringInterval: 0 })], message: /no Enhanced Monitoring \(monitoringInterval 0\)/ },
        { label: "an interval without a role", resources: () => [primary({ monitoringRoleArn: undefined })], message: /no monitoringRoleArn/ },
      ],
    },
    "rds-log-exports": {
      passing: [
        { label: "postgresql logs exported", resources: () => [primary()] },
        { label: "not applicable to MySQL", resources: () => [primary({ engine: "mysql", enabledCloudwatchLogsExports: [] })] },
      ],
      violating: [{ label: "no exports", resources: () => [primary({ enabledCloudwatchLogsExports: [] })], message: /does not export postgresql logs/ }],
    },
    "rds-deletion-protection": {
      passing: [{ label: "protected", resources: () => [primary()] }],
      violating: [{ label: "unprotected (the dev tier)", resources: () => [primary({ deletionProtection: false })], message: /no deletion protection/ }],
    },
    "rds-iam-auth": {
      passing: [{ label: "IAM authentication on", resources: () => [primary()] }],
      violating: [{ label: "off", resources: () => [primary({ iamDatabaseAuthenticationEnabled: false })], message: /does not enable IAM database authentication/ }],
    },
    "rds-cross-region-replica": {
      passing: [
        { label: "a replica in the DR region", resources: () => [primary(), replica()], config: DR },
        { label: "not applicable without a DR region", resources: () => [primary()] },
      ],
      violating: [
        { label: "no replica", resources: () => [primary()], config: DR, message: /catalog has no read replica in the DR region eu-central-1/, urn: CATALOG },
        { label: "a replica in the wrong region", resources: () => [primary(), replica({ region: "eu-west-1" })], config: DR, message: /no read replica in the DR region/ },
        { label: "a DR stack without any database", resources: () => [], config: DR, message: /declares no primary database to replicate/ },
      ],
    },
    "rds-backups-replicated-to-dr": {
      passing: [
        { label: "automated backup replication to the DR region", resources: () => [primary(), backupReplication()], config: DR },
        {
          label: "an AWS Backup copy to a DR vault",
          resources: () => [
            primary(),
            resource("aws:backup/plan:Plan", "plan", { id: "plan-1", arn: "arn:aws:backup:eu-west-1:1:backup-plan:plan-1", rules: [{ ruleName: "daily", targetVaultName: "shop", copyActions: [{ destinationVaultArn: "arn:aws:backup:eu-central-1:123456789012:backup-vault:shop-dr" }] }] }),
            resource("aws:backup/selection:Selection", "db", { planId: "plan-1", iamRoleArn: "arn:role", resources: [PRIMARY_ARN] }),
          ],
          config: DR,
        },
        { label: "not applicable without a DR region", resources: () => [primary()] },
      ],
      violating: [
        { label: "no replication", resources: () => [primary()], config: DR, message: /catalog's backups do not reach the DR region eu-central-1/ },
        { label: "a DR stack without any database", resources: () => [], config: DR, message: /declares no primary database/ },
      ],
    },
  });
});

