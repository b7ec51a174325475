import * as pulumi from "@pulumi/pulumi";
import { BackupPlan } from "../components/backup.js";
import { AssetBucket } from "../components/buckets.js";
import { Cdn } from "../components/cdn.js";
import { Database, DatabaseReplica } from "../components/database.js";
import { KeyRing } from "../components/keys.js";
import { EdgeObservability, Observability } from "../components/observability.js";
import { OpsRole } from "../components/ops-role.js";
import { OriginFailover } from "../components/origin-failover.js";
import { RuntimeConfig } from "../components/runtime-config.js";
import { SearchDomain, standbySearchSizing } from "../components/search.js";
import { EdgeFirewall } from "../components/waf.js";
import type { StackConfig } from "./config/index.js";
import { OUTPUTS_CONTRACT_VERSION, type StackOutputs } from "./outputs.js";
import { accountOf, logRetentionFor, platformNames, type PlatformContext } from "./platform/context.js";
import { regionFoundation, webStack, type RegionFoundation, type WebStack } from "./platform/region.js";
import { createProviders, EDGE_REGION, type StackIdentity } from "./providers.js";

/** The outputs contract with every leaf still a Pulumi Input: what the program exports. */
export type PlatformOutputs = DeepInput<StackOutputs>;
type DeepInput<T> = T extends string | number | boolean ? pulumi.Input<T>
  : T extends (infer U)[] ? pulumi.Input<DeepInput<U>[]>
  : { [K in keyof T]: DeepInput<T[K]> };

/**
 * Turn a validated stack config into the platform: the primary region, the DR region when the
 * stack has a DR strategy, and the edge (CloudFront, WAF, Route 53) in us-east-1. Config is
 * resolved before this runs, so a bad config declares nothing.
 */
export function platform(config: StackConfig, identity: StackIdentity): PlatformOutputs {
  const providers = createProviders(config, identity);
  const ctx: PlatformContext = {
    config,
    identity,
    providers,
    account: accountOf(providers.primary),
    names: platformNames(identity),
    logRetentionDays: logRetentionFor(config.tier),
  };
  const { names } = ctx;
  const drEnabled = providers.dr !== undefined && config.drRegion !== undefined;

  // --- Foundations: keys, VPCs, log buckets ------------------------------------------------------
  const primary = regionFoundation(ctx, "primary", providers.primary, config.primaryRegion);
  const dr = drEnabled && providers.dr && config.drRegion ? regionFoundation(ctx, "dr", providers.dr, config.drRegion) : undefined;

  // --- Assets: the bucket names the one distribution allowed to read it (deferred: the
  // distribution needs the bucket first), and replicates to the DR region.
  const [distributionArn, resolveDistributionArn] = pulumi.deferredOutput<string>();
  const replica = dr ? new AssetBucket(names.component("assets-replica"), {
    tier: config.tier,
    kmsKeyArn: dr.keys.keyArn("assets"),
    accessLogs: { bucket: dr.logs.bucketName },
  }, { provider: dr.provider }) : undefined;
  const assets = new AssetBucket(names.component("assets"), {
    tier: config.tier,
    kmsKeyArn: primary.keys.keyArn("assets"),
    accessLogs: { bucket: primary.logs.bucketName },
    distributionArn,
    ...(dr && replica ? { replication: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: dr.keys.keyArn("assets") } } : {}),
  }, { provider: primary.provider });

  // --- Edge: WAF and CloudFront in us-east-1 -----------------------------------------------------
  const edgeOpts = { provider: providers.edge };
  const edgeKeys = new KeyRing(names.component("edge-keys"), {
    classes: ["logs", "secrets", "telemetry"],
    // A primary region of us-east-1 would otherwise clash with the primary ring's aliases.
    aliasPrefix: `${names.prefix}-edge`,
  }, edgeOpts);
  const firewall = new EdgeFirewall(names.component("edge-firewall"), {
    logKmsKeyArn: edgeKeys.keyArn("logs"),
    logRetentionDays: ctx.logRetentionDays,
  }, edgeOpts);
  // Without a domain (dev only) CloudFront's dynamic origin is the primary ALB itself, over HTTP.
  const [albOrigin, resolveAlbOrigin] = pulumi.deferredOutput<string>();
  const domain = config.domain && config.hostedZoneId ? { name: config.domain, zoneId: config.hostedZoneId } : undefined;
  if (!domain) {
    void pulumi.log.warn(`stack ${identity.stack} has no domain: CloudFront reaches the primary ALB over plain HTTP. Fine for a dev stack, never for real traffic (the policy pack flags it).`);
  }
  const cdn = new Cdn(names.component("cdn"), {
    tier: config.tier,
    ...(domain ? { domain: domain.name, hostedZoneId: domain.zoneId } : {}),
    assetsBucketDomainName: assets.bucketRegionalDomainName,
    originDomain: domain ? `origin.${domain.name}` : albOrigin,
    originProtocol: domain ? "https" : "http",
    originSecretKmsKeyId: edgeKeys.keyArn("secrets"),
    webAclArn: firewall.webAclArn,
    accessLogs: { bucketArn: primary.logs.bucketArn },
  }, edgeOpts);
  resolveDistributionArn(cdn.distributionArn);

  // --- Web tiers: the database secret is known only after the database, which admits the fleet.
  // Each fleet reads the master secret in its own region: the DR fleet its replica, encrypted with
  // the DR region's key, so that it still starts when the primary region is down.
  const [databaseSecretArn, resolveDatabaseSecretArn] = pulumi.deferredOutput<string>();
  const [drDatabaseSecretArn, resolveDrDatabaseSecretArn] = pulumi.deferredOutput<string>();
  const webArgs = (foundation: RegionFoundation, assetBucketName: pulumi.Input<string>, secretArn: pulumi.Input<string>, capacity: { min: number; max: number; desired: number }) => ({
    originHeaderName: cdn.originHeaderName,
    originHeaderValue: cdn.originHeaderValue,
    assetBucketName,
    assetKmsKeyArn: foundation.keys.keyArn("assets"),
    databaseSecretArn: secretArn,
    secretsKmsKeyArn: foundation.keys.keyArn("secrets"),
    capacity,
  });
  const primaryWeb = webStack(ctx, primary, webArgs(primary, assets.bucketName, databaseSecretArn, {
    min: config.web.minSize, max: config.web.maxSize, desired: config.web.desiredCapacity,
  }));
  if (!domain) resolveAlbOrigin(primaryWeb.lb.dnsName);
  // Pilot light keeps the DR fleet at zero; warm standby runs a small one. Failover scales it up.
  const standby = config.drStrategy === "warm-standby" ? config.web.standbyCapacity : 0;
  const drWeb = dr && replica ? webStack(ctx, dr, webArgs(dr, replica.bucketName, drDatabaseSecretArn, {
    min: standby, max: config.web.maxSize, desired: standby,
  })) : undefined;

  // --- Data: the primary database, its cross-region replica, OpenSearch in each region ---------
  const database = new Database(names.component("primary-db"), {
    vpcId: primary.network.vpcId,
    subnetIds: primary.network.isolatedSubnetIds,
    webSecurityGroupId: primaryWeb.web.securityGroupId,
    kmsKeyArn: primary.keys.keyArn("database"),
    secretsKmsKeyArn: primary.keys.keyArn("secrets"),
    logsKmsKeyArn: primary.keys.keyArn("logs"),
    identifier: names.databaseIdentifier,
    engineVersion: config.database.engineVersion,
    instanceClass: config.database.instanceClass,
    allocatedStorageGb: config.database.allocatedStorageGb,
    maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
    multiAz: config.database.multiAz,
    backupRetentionDays: config.database.backupRetentionDays,
    deletionProtection: config.database.deletionProtection,
    finalSnapshot: config.tier !== "dev",
    logRetentionDays: ctx.logRetentionDays,
    // RDS cannot create a read replica of an instance whose password it manages in Secrets
    // Manager, so a stack with a DR replica keeps the password write-only instead.
    masterPassword: drEnabled ? "write-only" : "rds-managed",
    ...(drEnabled && dr ? { secretReplicas: [{ region: dr.region, kmsKeyArn: dr.keys.keyArn("secrets") }] } : {}),
  }, { provider: primary.provider });
  resolveDatabaseSecretArn(database.masterUserSecretArn);
  const drSecretArn = dr ? database.masterUserSecretReplicaArns.apply((arns) => {
    const arn = arns[dr.region];
    if (arn === undefined) throw new Error(`the master secret has no replica in ${dr.region}`);
    return arn;
  }) : undefined;
  if (drSecretArn) resolveDrDatabaseSecretArn(drSecretArn);

  const databaseReplica = dr && drWeb ? new DatabaseReplica(names.component("dr-db"), {
    sourceDbArn: database.arn,
    vpcId: dr.network.vpcId,
    subnetIds: dr.network.isolatedSubnetIds,
    webSecurityGroupId: drWeb.web.securityGroupId,
    kmsKeyArn: dr.keys.keyArn("database"),
    logsKmsKeyArn: dr.keys.keyArn("logs"),
    identifier: names.replicaIdentifier,
    engineVersion: config.database.engineVersion,
    instanceClass: config.database.instanceClass,
    maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
    multiAz: config.drStrategy === "warm-standby",
    backupRetentionDays: config.database.backupRetentionDays,
    deletionProtection: config.database.deletionProtection,
    logRetentionDays: ctx.logRetentionDays,
  }, { provider: dr.provider }) : undefined;

  // The ops role is the OpenSearch master, so it comes first; its scoped policy names the search
  // domains by ARN, which their names determine.
  const searchArn = (foundation: RegionFoundation, role: "primary" | "dr") =>
    pulumi.interpolate`arn:${ctx.account.partition}:es:${foundation.region}:${ctx.account.id}:domain/${names.searchDomain(role)}`;
  const parameterArns = (foundation: RegionFoundation, web: WebStack) => Object.values(web.runtimeParameterNames).map((name) =>
    pulumi.interpolate`arn:${ctx.account.partition}:ssm:${foundation.region}:${ctx.account.id}:parameter${name}`);
  const [healthCheckId, resolveHealthCheckId] = pulumi.deferredOutput<string>();
  const [backupRoleArn, resolveBackupRoleArn] = pulumi.deferredOutput<string>();
  const failoverDns = domain !== undefined && drWeb !== undefined;
  const ops = new OpsRole(names.component("ops"), {
    healthCheckIds: failoverDns ? [healthCheckId] : [],
    hostedZoneIds: domain ? [domain.zoneId] : [],
    autoScalingGroups: [
      { region: primary.region, name: primaryWeb.web.autoScalingGroupName },
      ...(dr && drWeb ? [{ region: dr.region, name: drWeb.web.autoScalingGroupName }] : []),
    ],
    databaseArns: [database.arn, ...(databaseReplica ? [databaseReplica.arn] : [])],
    runtimeParameterArns: [...parameterArns(primary, primaryWeb), ...(dr && drWeb ? parameterArns(dr, drWeb) : [])],
    searchDomainArns: [searchArn(primary, "primary"), ...(dr ? [searchArn(dr, "dr")] : [])],
    secretArns: [database.masterUserSecretArn, ...(drSecretArn ? [drSecretArn] : [])],
    kmsKeyArns: [primary.keys.keyArn("secrets"), ...(dr ? [dr.keys.keyArn("secrets")] : [])],
    // `shopctl drill` restores into the DR region with AWS Backup's role and starts one app
    // instance with the DR fleet's role.
    restoreRoleArns: [backupRoleArn],
    drillInstanceRoleArns: drWeb ? [drWeb.web.instanceRoleArn] : [],
  }, { provider: primary.provider });

  const primarySizing = {
    instanceType: config.search.instanceType,
    instanceCount: config.search.instanceCount,
    dedicatedMasters: config.search.dedicatedMasters,
    masterInstanceType: config.search.masterInstanceType,
    volumeGb: config.search.volumeGb,
    azCount: config.network.azCount,
  };
  const searchDomain = (foundation: RegionFoundation, web: WebStack, role: "primary" | "dr", sizing: typeof primarySizing) => new SearchDomain(names.component(`${role}-search`), {
    vpcId: foundation.network.vpcId,
    subnetIds: foundation.network.privateSubnetIds,
    webSecurityGroupId: web.web.securityGroupId,
    kmsKeyArn: foundation.keys.keyArn("search"),
    logsKmsKeyArn: foundation.keys.keyArn("logs"),
    webRoleArn: web.web.instanceRoleArn,
    opsRoleArn: ops.roleArn,
    masterRoleArn: ops.roleArn,
    domainName: names.searchDomain(role),
    engineVersion: config.search.engineVersion,
    auditLogs: config.tier === "prod",
    logRetentionDays: ctx.logRetentionDays,
    ...sizing,
  }, { provider: foundation.provider });
  const primarySearch = searchDomain(primary, primaryWeb, "primary", primarySizing);
  const drSearch = dr && drWeb ? searchDomain(dr, drWeb, "dr", standbySearchSizing(primarySizing)) : undefined;

  // --- Runtime configuration the fleets read at start ---------------------------------------------
  new RuntimeConfig(names.component("primary-runtime"), {
    prefix: names.runtimePrefix,
    databaseEndpoint: database.endpoint,
    databaseSecretArn: database.masterUserSecretArn,
    searchEndpoint: pulumi.interpolate`https://${primarySearch.endpoint}`,
  }, { provider: primary.provider });
  if (dr && databaseReplica && drSearch) {
    new RuntimeConfig(names.component("dr-runtime"), {
      prefix: names.runtimePrefix,
      // The replica's endpoint survives its promotion; failover repoints the secret and endpoint
      // parameters and a later `pulumi up` must not undo that.
      databaseEndpoint: databaseReplica.endpoint,
      databaseSecretArn: drSecretArn ?? database.masterUserSecretArn,
      searchEndpoint: pulumi.interpolate`https://${drSearch.endpoint}`,
      failoverManaged: true,
    }, { provider: dr.provider });
  }

  // --- Backups: daily and monthly, copied to the DR vault ---------------------------------------
  const backup = new BackupPlan(names.component("backup"), {
    kmsKeyArn: primary.keys.keyArn("backup"),
    daily: config.backup.daily,
    monthly: { ...config.backup.monthly, ...(config.backup.coldStorageAfterDays !== undefined ? { coldStorageAfterDays: config.backup.coldStorageAfterDays } : {}) },
    vaultLock: { mode: config.backup.vaultLock },
    ...(dr ? { dr: { provider: dr.provider, kmsKeyArn: dr.keys.keyArn("backup") } } : {}),
    resourceArns: [database.arn, assets.bucketArn],
    notificationKmsKeyArn: primary.keys.keyArn("telemetry"),
    notificationEmails: config.alarms.emails,
  }, { provider: primary.provider });
  resolveBackupRoleArn(backup.roleArn);

  // --- Observability per region and at the edge ---------------------------------------------------
  const observability = (foundation: RegionFoundation, web: WebStack, fullFleet: boolean, data: { instanceId: pulumi.Input<string>; isReplica: boolean }, search: SearchDomain, volumeGb: number) =>
    new Observability(names.component(`${foundation.role}-observability`), {
      kmsKeyArn: foundation.keys.keyArn("telemetry"),
      logsKmsKeyArn: foundation.keys.keyArn("logs"),
      alarmEmails: config.alarms.emails,
      // A pilot-light fleet of zero would keep the healthy-hosts alarm in ALARM; leave it out.
      ...(fullFleet ? { web: { loadBalancerArnSuffix: web.lb.arnSuffix, targetGroupArnSuffix: web.lb.targetGroupArnSuffix, autoScalingGroupName: web.web.autoScalingGroupName } } : {}),
      database: { instanceId: data.instanceId, allocatedStorageGb: config.database.allocatedStorageGb, isReplica: data.isReplica },
      search: { domainName: search.domainName, volumeGb },
      rpoSeconds: config.recovery.rpoSeconds,
      logRetentionDays: ctx.logRetentionDays,
      logDeletionProtection: config.tier !== "dev",
    }, { provider: foundation.provider });
  const primaryObservability = observability(primary, primaryWeb, true, { instanceId: database.identifier, isReplica: false }, primarySearch, config.search.volumeGb);
  const drObservability = dr && drWeb && databaseReplica && drSearch
    ? observability(dr, drWeb, config.drStrategy === "warm-standby", { instanceId: databaseReplica.identifier, isReplica: true }, drSearch, standbySearchSizing(primarySizing).volumeGb)
    : undefined;
  new EdgeObservability(names.component("edge-observability"), {
    distributionId: cdn.distributionId,
    webAclMetricName: firewall.metricName,
    kmsKeyArn: edgeKeys.keyArn("telemetry"),
    alarmEmails: config.alarms.emails,
  }, edgeOpts);

  // --- DNS: origin.<domain> fails over from the primary ALB to the DR ALB -----------------------
  const healthAlarm = primaryObservability.healthyHostsAlarm;
  const origin = domain ? new OriginFailover(names.component("origin"), {
    zoneId: domain.zoneId,
    recordName: `origin.${domain.name}`,
    primary: { dnsName: primaryWeb.lb.dnsName, zoneId: primaryWeb.lb.zoneId },
    ...(drWeb && healthAlarm ? {
      secondary: { dnsName: drWeb.lb.dnsName, zoneId: drWeb.lb.zoneId },
      healthAlarmName: healthAlarm.name,
      healthAlarmRegion: primary.region,
    } : {}),
  }, edgeOpts) : undefined;
  if (failoverDns && origin?.healthCheckId) resolveHealthCheckId(origin.healthCheckId);

  const regionOutputs = (foundation: RegionFoundation, web: WebStack, db: { identifier: pulumi.Output<string>; arn: pulumi.Output<string> }, secretArn: pulumi.Input<string>, search: SearchDomain, vault: pulumi.Input<string>, obs: Observability) => ({
    region: foundation.region,
    albDnsName: web.lb.dnsName,
    albArn: web.lb.loadBalancerArn,
    targetGroupArn: web.lb.targetGroupArn,
    asgName: web.web.autoScalingGroupName,
    databaseInstanceId: db.identifier,
    databaseArn: db.arn,
    searchDomainName: search.domainName,
    searchEndpoint: pulumi.interpolate`https://${search.endpoint}`,
    backupVaultName: vault,
    ...(obs.platformUnhealthyAlarm ? { platformAlarmName: obs.platformUnhealthyAlarm.name } : {}),
    ...(obs.healthyHostsAlarm ? { healthyHostsAlarmName: obs.healthyHostsAlarm.name } : {}),
    alarmTopicArn: obs.alarmTopicArn,
    instanceRoleArn: web.web.instanceRoleArn,
    databaseSecretArn: secretArn,
    runtimeParameters: web.runtimeParameterNames,
  });

  return {
    contractVersion: OUTPUTS_CONTRACT_VERSION,
    project: identity.project,
    stack: identity.stack,
    tier: config.tier,
    drStrategy: config.drStrategy,
    siteUrl: cdn.url,
    rpoSeconds: config.recovery.rpoSeconds,
    ...(drWeb ? { drTargetCapacity: config.web.desiredCapacity } : {}),
    primary: regionOutputs(primary, primaryWeb, database, database.masterUserSecretArn, primarySearch, backup.vaultName, primaryObservability),
    ...(dr && drWeb && databaseReplica && drSecretArn && drSearch && drObservability && backup.drVaultName
      ? { dr: regionOutputs(dr, drWeb, databaseReplica, drSecretArn, drSearch, backup.drVaultName, drObservability) }
      : {}),
    ...(domain && origin ? {
      dns: {
        zoneId: domain.zoneId,
        originRecordName: origin.recordName,
        primaryRecordSetId: origin.primaryRecordId,
        ...(origin.secondaryRecordId ? { secondaryRecordSetId: origin.secondaryRecordId } : {}),
        ...(origin.healthCheckId ? { primaryHealthCheckId: origin.healthCheckId } : {}),
      },
    } : {}),
    cdn: { distributionId: cdn.distributionId, domainName: cdn.distributionDomainName, webAclArn: firewall.webAclArn },
    assetBucketName: assets.bucketName,
    opsRoleArn: ops.roleArn,
    databaseName: database.databaseName,
    backupRoleArn: backup.roleArn,
  };
}

export { EDGE_REGION };
