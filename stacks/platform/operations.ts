import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "../../components/backup.js";
import { OpsRole } from "../../components/ops-role.js";
import type { OriginFailover } from "../../components/origin-failover.js";
import type { PlatformContext } from "./context.js";
import type { Foundation } from "./foundation.js";
import type { DrRegion, PrimaryRegion, Region } from "./region.js";

/** Daily and monthly backups of the database and the asset bucket, copied to the DR vault. */
export function backupPlan(ctx: PlatformContext, foundation: Foundation, primary: PrimaryRegion): BackupPlan {
  const { config, names } = ctx;
  const { dr } = foundation;
  return new BackupPlan(names.component("backup"), {
    kmsKeyArn: primary.site.keys.keyArn("backup"),
    daily: config.backup.daily,
    monthly: { ...config.backup.monthly, ...(config.backup.coldStorageAfterDays !== undefined ? { coldStorageAfterDays: config.backup.coldStorageAfterDays } : {}) },
    vaultLock: { mode: config.backup.vaultLock },
    ...(dr ? { dr: { provider: dr.provider, kmsKeyArn: dr.keys.keyArn("backup") } } : {}),
    resourceArns: [primary.database.arn, primary.site.assets.bucketArn],
    notificationKmsKeyArn: primary.site.keys.keyArn("telemetry"),
    alarmEmails: config.alarms.emails,
  }, { provider: primary.site.provider });
}

/** The role shopctl's operations assume, scoped to what each region and the DNS failover declare. */
export function opsRole(ctx: PlatformContext, regions: { primary: PrimaryRegion; dr: DrRegion | undefined }, backup: BackupPlan, origin: OriginFailover | undefined): OpsRole {
  const { config, domain, names } = ctx;
  const { primary, dr } = regions;
  const all: Region[] = dr ? [primary, dr] : [primary];
  return new OpsRole(names.component("ops"), {
    trustedPrincipalArns: config.opsRole.trustedPrincipalArns,
    allowAccountWithMfa: config.opsRole.allowAccountWithMfa,
    healthCheckIds: origin?.healthCheckId ? [origin.healthCheckId] : [],
    hostedZoneIds: domain ? [domain.zoneId] : [],
    autoScalingGroups: all.map((region) => ({ region: region.site.region, name: region.web.autoScalingGroupName })),
    databaseArns: all.map((region) => region.database.arn),
    runtimeParameterArns: all.flatMap((region) => runtimeParameterArns(ctx, region)),
    // By name: each search domain names this role as its master, so its ARN cannot come from it.
    searchDomainArns: all.map((region) => pulumi.interpolate`arn:${ctx.account.partition}:es:${region.site.region}:${ctx.account.id}:domain/${names.searchDomain(region.role)}`),
    secretArns: all.map((region) => region.databaseSecretArn),
    kmsKeyArns: all.map((region) => region.site.keys.keyArn("secrets")),
    // `shopctl drill` restores into the DR region with AWS Backup's role and starts one app
    // instance with the DR fleet's role.
    restoreRoleArns: [backup.roleArn],
    // The backup audit, DR readiness and drills read the primary and DR vaults.
    backupVaultArns: backup.drVaultArn ? [backup.vaultArn, backup.drVaultArn] : [backup.vaultArn],
    drillInstanceRoleArns: dr ? [dr.web.instanceRoleArn] : [],
  }, { provider: primary.site.provider });
}

function runtimeParameterArns(ctx: PlatformContext, region: Region): pulumi.Output<string>[] {
  return Object.values(region.runtimeParameterNames).map((name) =>
    pulumi.interpolate`arn:${ctx.account.partition}:ssm:${region.site.region}:${ctx.account.id}:parameter${name}`);
}
