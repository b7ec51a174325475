import * as pulumi from "@pulumi/pulumi";
import { Database, DatabaseReplica } from "../../components/database.js";
import { LoadBalancer } from "../../components/load-balancer.js";
import { Network } from "../../components/network.js";
import { Observability } from "../../components/observability.js";
import { RuntimeConfig } from "../../components/runtime-config.js";
import { SearchDomain, standbySearchSizing, type SearchSizing } from "../../components/search.js";
import { WebTier } from "../../components/web-tier.js";
import type { StackConfig } from "../config/index.js";
import { runtimeParameterNames, type PlatformContext } from "./context.js";
import type { Foundation, RegionFoundation, RegionRole } from "./foundation.js";

/** The header CloudFront adds to every origin request: the ALB forwards only requests carrying it. */
export interface OriginHeader {
  name: string;
  value: pulumi.Input<string>;
}

/** What a region takes from outside itself. */
export interface RegionLinks {
  originHeader: OriginHeader;
  /** The ops role: the search domain's master user. */
  opsRoleArn: pulumi.Input<string>;
}

interface RegionParts {
  site: RegionFoundation;
  network: Network;
  lb: LoadBalancer;
  web: WebTier;
  runtimeParameterNames: ReturnType<typeof runtimeParameterNames>;
  /** The database secret this region's fleet and runtime parameters name, in this region. */
  databaseSecretArn: pulumi.Output<string>;
  search: SearchDomain;
  runtime: RuntimeConfig;
  observability: Observability;
}

export interface PrimaryRegion extends RegionParts {
  role: "primary";
  database: Database;
}

export interface DrRegion extends RegionParts {
  role: "dr";
  /** The cross-region replica of the primary database. */
  database: DatabaseReplica;
}

export type Region = PrimaryRegion | DrRegion;

/**
 * A whole region: the ALB and web fleet, the database (the DR region: a replica of the
 * primary's), OpenSearch, the runtime parameters the fleet reads at start, and the alarms.
 */
export function region(ctx: PlatformContext, foundation: Foundation, role: "primary", links: RegionLinks): PrimaryRegion;
export function region(ctx: PlatformContext, foundation: Foundation, role: "dr", links: RegionLinks, primary: PrimaryRegion): DrRegion;
export function region(ctx: PlatformContext, foundation: Foundation, role: RegionRole, links: RegionLinks, primary?: PrimaryRegion): Region {
  const { config, names } = ctx;
  const site = role === "primary" ? foundation.primary : foundation.dr;
  if (!site) throw new Error(`the stack has no ${role} region`);
  const network = new Network(names.component(`${role}-network`), {
    cidr: config.network.cidr,
    azCount: config.network.azCount,
    nat: config.network.nat,
    interfaceEndpoints: config.network.interfaceEndpoints,
    logsKmsKeyArn: site.keys.keyArn("logs"),
    flowLogRetentionDays: ctx.logRetentionDays,
  }, { provider: site.provider });
  // In the primary region a true cycle: the fleet reads the database's secret and the database
  // admits only the fleet. The DR fleet reads the primary's replica of the secret, known already.
  const source = role === "dr" ? sourceOf(primary) : undefined;
  const [masterSecretArn, resolveMasterSecretArn] = pulumi.deferredOutput<string>();
  const fleetSecretArn = source ? secretReplicaArn(source, site.region) : masterSecretArn;
  const { lb, web, parameters } = webStack(ctx, site, network, links.originHeader, fleetSecretArn);
  const data = source
    ? { role: "dr" as const, database: drDatabase(ctx, site, network, web, source), databaseSecretArn: fleetSecretArn }
    : primaryData(ctx, foundation, network, web);
  if (data.role === "primary") resolveMasterSecretArn(data.databaseSecretArn);
  const sizing = searchSizing(ctx, site.role);
  const search = searchDomain(ctx, site, network, web, links.opsRoleArn, sizing);
  const runtime = new RuntimeConfig(names.component(`${role}-runtime`), {
    prefix: names.runtimePrefix,
    databaseEndpoint: data.database.endpoint,
    databaseSecretArn: data.databaseSecretArn,
    searchEndpoint: pulumi.interpolate`https://${search.endpoint}`,
    // Failover repoints the DR parameters at the promoted replica (whose endpoint survives the
    // promotion); a later `pulumi up` must not undo that.
    ...(role === "dr" ? { failoverManaged: true } : {}),
  }, { provider: site.provider });
  const observability = regionObservability(ctx, site, { lb, web, database: data.database, search, searchVolumeGb: sizing.volumeGb });
  return { ...data, site, network, lb, web, runtimeParameterNames: parameters, search, runtime, observability };
}

/** The ALB (reachable only from CloudFront) and the autoscaled fleet behind it. */
function webStack(ctx: PlatformContext, site: RegionFoundation, network: Network, originHeader: OriginHeader, databaseSecretArn: pulumi.Input<string>) {
  const { config, names, domain } = ctx;
  const opts = { provider: site.provider };
  const lb = new LoadBalancer(names.component(`${site.role}-lb`), {
    vpcId: network.vpcId,
    subnetIds: network.publicSubnetIds,
    appPort: config.web.appPort,
    targetProtocol: config.web.tlsToTargets ? "HTTPS" : "HTTP",
    ...(domain ? { domainName: `origin.${domain.name}`, hostedZoneId: domain.zoneId } : { allowHttpOrigin: true }),
    originHeaderName: originHeader.name,
    originHeaderValue: originHeader.value,
    accessLogsBucket: site.logs.bucketName,
    accessLogsPrefix: site.logs.albLogPrefix,
    idleTimeoutSeconds: config.web.idleTimeoutSeconds,
    deletionProtection: config.tier !== "dev",
  }, opts);
  const parameters = runtimeParameterNames(names.runtimePrefix);
  const web = new WebTier(names.component(`${site.role}-web`), {
    vpcId: network.vpcId,
    vpcCidr: network.cidrBlock,
    subnetIds: network.privateSubnetIds,
    albSecurityGroupId: lb.securityGroupId,
    targetGroupArn: lb.targetGroupArn,
    loadBalancerArnSuffix: lb.arnSuffix,
    targetGroupArnSuffix: lb.targetGroupArnSuffix,
    appPort: config.web.appPort,
    tlsToTargets: config.web.tlsToTargets,
    instanceType: config.web.instanceType,
    ...fleetSize(ctx, site.role),
    cpuTarget: config.web.cpuTarget,
    volumeKmsKeyArn: site.keys.keyArn("logs"),
    logsKmsKeyArn: site.keys.keyArn("logs"),
    appLogRetentionDays: ctx.logRetentionDays,
    artifact: { bucket: site.assets.bucketName, key: names.artifactKey, kmsKeyArn: site.keys.keyArn("assets") },
    runtimeParameters: {
      databaseEndpoint: parameters.databaseEndpoint,
      databaseSecretArn: parameters.databaseSecretArn,
      searchEndpoint: parameters.searchEndpoint,
      searchIndexAlias: parameters.indexAlias,
    },
    databaseSecretArn,
    secretsKmsKeyArn: site.keys.keyArn("secrets"),
  }, opts);
  return { lb, web, parameters };
}

/** The primary fleet as configured; pilot light keeps the DR fleet at zero, warm standby runs a small one. */
function fleetSize(ctx: PlatformContext, role: RegionRole): Pick<StackConfig["web"], "minSize" | "maxSize" | "desiredCapacity"> {
  const { web, drStrategy } = ctx.config;
  if (role === "primary") return { minSize: web.minSize, maxSize: web.maxSize, desiredCapacity: web.desiredCapacity };
  const standby = drStrategy === "warm-standby" ? web.standbyCapacity : 0;
  return { minSize: standby, maxSize: web.maxSize, desiredCapacity: standby };
}

function primaryData(ctx: PlatformContext, foundation: Foundation, network: Network, web: WebTier) {
  const { config, names } = ctx;
  const { primary, dr } = foundation;
  const database = new Database(names.component("primary-db"), {
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    webSecurityGroupId: web.securityGroupId,
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
    masterPassword: dr ? "write-only" : "rds-managed",
    ...(dr ? { secretReplicas: [{ region: dr.region, kmsKeyArn: dr.keys.keyArn("secrets") }] } : {}),
  }, { provider: primary.provider });
  return { role: "primary" as const, database, databaseSecretArn: database.masterUserSecretArn };
}

function drDatabase(ctx: PlatformContext, site: RegionFoundation, network: Network, web: WebTier, source: Database): DatabaseReplica {
  const { config, names } = ctx;
  return new DatabaseReplica(names.component("dr-db"), {
    sourceDbArn: source.arn,
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    webSecurityGroupId: web.securityGroupId,
    kmsKeyArn: site.keys.keyArn("database"),
    logsKmsKeyArn: site.keys.keyArn("logs"),
    identifier: names.replicaIdentifier,
    engineVersion: config.database.engineVersion,
    instanceClass: config.database.instanceClass,
    maxAllocatedStorageGb: config.database.maxAllocatedStorageGb,
    multiAz: config.drStrategy === "warm-standby",
    backupRetentionDays: config.database.backupRetentionDays,
    deletionProtection: config.database.deletionProtection,
    logRetentionDays: ctx.logRetentionDays,
  }, { provider: site.provider });
}

/** The primary's master secret as replicated into `region`, under that region's key. */
function secretReplicaArn(source: Database, region: string): pulumi.Output<string> {
  return source.masterUserSecretReplicaArns.apply((arns) => {
    const arn = arns[region];
    if (arn === undefined) throw new Error(`the master secret has no replica in ${region}`);
    return arn;
  });
}

/** The DR region replicates the primary's database, so the primary region comes first. */
function sourceOf(primary: PrimaryRegion | undefined): Database {
  if (!primary) throw new Error("the DR region replicates the primary region's database: build the primary region first");
  return primary.database;
}

/** The configured domain in the primary region; a smaller standby domain in the DR region. */
function searchSizing(ctx: PlatformContext, role: RegionRole): Required<SearchSizing> {
  const { search, network } = ctx.config;
  const configured = {
    instanceType: search.instanceType,
    instanceCount: search.instanceCount,
    dedicatedMasters: search.dedicatedMasters,
    masterInstanceType: search.masterInstanceType,
    volumeGb: search.volumeGb,
    azCount: network.azCount,
  };
  return role === "primary" ? configured : standbySearchSizing(configured);
}

function searchDomain(ctx: PlatformContext, site: RegionFoundation, network: Network, web: WebTier, opsRoleArn: pulumi.Input<string>, sizing: Required<SearchSizing>): SearchDomain {
  const { config, names } = ctx;
  return new SearchDomain(names.component(`${site.role}-search`), {
    vpcId: network.vpcId,
    subnetIds: network.privateSubnetIds,
    webSecurityGroupId: web.securityGroupId,
    kmsKeyArn: site.keys.keyArn("search"),
    logsKmsKeyArn: site.keys.keyArn("logs"),
    webRoleArn: web.instanceRoleArn,
    opsRoleArn,
    masterRoleArn: opsRoleArn,
    domainName: names.searchDomain(site.role),
    engineVersion: config.search.engineVersion,
    auditLogs: config.tier === "prod",
    logRetentionDays: ctx.logRetentionDays,
    ...sizing,
  }, { provider: site.provider });
}

interface Watched {
  lb: LoadBalancer;
  web: WebTier;
  database: Database | DatabaseReplica;
  search: SearchDomain;
  searchVolumeGb: number;
}

function regionObservability(ctx: PlatformContext, site: RegionFoundation, watched: Watched): Observability {
  const { config, names } = ctx;
  const { lb, web, database, search } = watched;
  // A pilot-light fleet of zero would keep the healthy-hosts alarm in ALARM; leave it out.
  const fullFleet = site.role === "primary" || config.drStrategy === "warm-standby";
  return new Observability(names.component(`${site.role}-observability`), {
    kmsKeyArn: site.keys.keyArn("telemetry"),
    logsKmsKeyArn: site.keys.keyArn("logs"),
    alarmEmails: config.alarms.emails,
    ...(fullFleet ? { web: { loadBalancerArnSuffix: lb.arnSuffix, targetGroupArnSuffix: lb.targetGroupArnSuffix, autoScalingGroupName: web.autoScalingGroupName } } : {}),
    database: { instanceId: database.identifier, allocatedStorageGb: config.database.allocatedStorageGb, isReplica: site.role === "dr" },
    search: { domainName: search.domainName, volumeGb: watched.searchVolumeGb },
    rpoSeconds: config.recovery.rpoSeconds,
    logRetentionDays: ctx.logRetentionDays,
    logDeletionProtection: config.tier !== "dev",
  }, { provider: site.provider });
}
