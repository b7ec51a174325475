import * as pulumi from "@pulumi/pulumi";
import type { BackupPlan } from "../../components/backup.js";
import type { OpsRole } from "../../components/ops-role.js";
import type { OriginFailover } from "../../components/origin-failover.js";
import { OUTPUTS_CONTRACT_VERSION, type StackOutputs } from "../outputs.js";
import type { PlatformContext } from "./context.js";
import type { Edge } from "./edge.js";
import type { Foundation } from "./foundation.js";
import type { DrRegion, PrimaryRegion, Region } from "./region.js";

/** The outputs contract with every leaf still a Pulumi Input: what the program exports. */
export type PlatformOutputs = DeepInput<StackOutputs>;
type DeepInput<T> = T extends string | number | boolean ? pulumi.Input<T>
  : T extends (infer U)[] ? pulumi.Input<DeepInput<U>[]>
  : { [K in keyof T]: DeepInput<T[K]> };

export interface Platform {
  foundation: Foundation;
  edge: Edge;
  primary: PrimaryRegion;
  dr: DrRegion | undefined;
  origin: OriginFailover | undefined;
  backup: BackupPlan;
  ops: OpsRole;
}

/** What shopctl reads back: see stacks/outputs.ts for the contract. */
export function stackOutputs(ctx: PlatformContext, platform: Platform): PlatformOutputs {
  const { config, identity, domain } = ctx;
  const { foundation, edge, primary, dr, origin, backup, ops } = platform;
  return {
    contractVersion: OUTPUTS_CONTRACT_VERSION,
    project: identity.project,
    stack: identity.stack,
    tier: config.tier,
    drStrategy: config.drStrategy,
    siteUrl: edge.cdn.url,
    rpoSeconds: config.recovery.rpoSeconds,
    ...(dr ? { drTargetCapacity: config.web.desiredCapacity } : {}),
    primary: regionOutputs(primary, backup.vaultName),
    ...(dr && backup.drVaultName ? { dr: regionOutputs(dr, backup.drVaultName) } : {}),
    ...(domain && origin ? {
      dns: {
        zoneId: domain.zoneId,
        originRecordName: origin.recordName,
        primaryRecordSetId: origin.primaryRecordId,
        ...(origin.secondaryRecordId ? { secondaryRecordSetId: origin.secondaryRecordId } : {}),
        ...(origin.healthCheckId ? { primaryHealthCheckId: origin.healthCheckId } : {}),
      },
    } : {}),
    cdn: { distributionId: edge.cdn.distributionId, domainName: edge.cdn.distributionDomainName, webAclArn: edge.firewall.webAclArn },
    assetBucketName: foundation.primary.assets.bucketName,
    opsRoleArn: ops.roleArn,
    databaseName: primary.database.databaseName,
    backupRoleArn: backup.roleArn,
  };
}

function regionOutputs(region: Region, backupVaultName: pulumi.Output<string>): PlatformOutputs["primary"] {
  const { site, lb, web, database, search, observability } = region;
  return {
    region: site.region,
    albDnsName: lb.dnsName,
    albArn: lb.loadBalancerArn,
    targetGroupArn: lb.targetGroupArn,
    asgName: web.autoScalingGroupName,
    databaseInstanceId: database.identifier,
    databaseArn: database.arn,
    searchDomainName: search.domainName,
    searchEndpoint: pulumi.interpolate`https://${search.endpoint}`,
    backupVaultName,
    ...(observability.platformUnhealthyAlarm ? { platformAlarmName: observability.platformUnhealthyAlarm.name } : {}),
    ...(observability.healthyHostsAlarm ? { healthyHostsAlarmName: observability.healthyHostsAlarm.name } : {}),
    alarmTopicArn: observability.alarmTopicArn,
    instanceRoleArn: web.instanceRoleArn,
    databaseSecretArn: region.databaseSecretArn,
    runtimeParameters: region.runtimeParameterNames,
  };
}
