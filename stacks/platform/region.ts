import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LogBucket } from "../../components/buckets.js";
import { KeyRing } from "../../components/keys.js";
import { LoadBalancer } from "../../components/load-balancer.js";
import { Network } from "../../components/network.js";
import { WebTier } from "../../components/web-tier.js";
import { runtimeParameterNames, type PlatformContext } from "./context.js";

export type RegionRole = "primary" | "dr";

/** What every region has before its data tier: keys, a VPC and a log bucket. */
export interface RegionFoundation {
  role: RegionRole;
  region: string;
  provider: aws.Provider;
  keys: KeyRing;
  network: Network;
  logs: LogBucket;
}

export function regionFoundation(ctx: PlatformContext, role: RegionRole, provider: aws.Provider, region: string): RegionFoundation {
  const { config, names } = ctx;
  const opts = { provider };
  const asgServiceLinkedRole = pulumi.interpolate`arn:${ctx.account.partition}:iam::${ctx.account.id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  const keys = new KeyRing(names.component(`${role}-keys`), {
    // The fleet's root volumes use the logs key; Auto Scaling launches instances through its
    // service-linked role, which therefore needs the key (AWS: "required KMS key policy for use
    // with encrypted volumes").
    keyUsers: { logs: [asgServiceLinkedRole] },
  }, opts);
  const network = new Network(names.component(`${role}-network`), {
    cidr: config.network.cidr,
    azCount: config.network.azCount,
    nat: config.network.nat,
    interfaceEndpoints: config.network.interfaceEndpoints,
    logsKmsKeyArn: keys.keyArn("logs"),
    flowLogRetentionDays: ctx.logRetentionDays,
  }, opts);
  const logs = new LogBucket(names.component(`${role}-logs`), {
    tier: config.tier,
    retentionDays: ctx.logRetentionDays === 400 ? 400 : 90,
  }, opts);
  return { role, region, provider, keys, network, logs };
}

export interface WebStackArgs {
  originHeaderName: pulumi.Input<string>;
  originHeaderValue: pulumi.Input<string>;
  assetBucketName: pulumi.Input<string>;
  assetKmsKeyArn: pulumi.Input<string>;
  databaseSecretArn: pulumi.Input<string>;
  secretsKmsKeyArn: pulumi.Input<string>;
  capacity: { min: number; max: number; desired: number };
}

export interface WebStack {
  lb: LoadBalancer;
  web: WebTier;
  runtimeParameterNames: ReturnType<typeof runtimeParameterNames>;
}

/** The ALB (reachable only from CloudFront) and the autoscaled fleet behind it. */
export function webStack(ctx: PlatformContext, foundation: RegionFoundation, args: WebStackArgs): WebStack {
  const { config, names } = ctx;
  const opts = { provider: foundation.provider };
  const lb = new LoadBalancer(names.component(`${foundation.role}-lb`), {
    vpcId: foundation.network.vpcId,
    subnetIds: foundation.network.publicSubnetIds,
    appPort: config.web.appPort,
    ...(config.domain && config.hostedZoneId ? { domainName: `origin.${config.domain}`, hostedZoneId: config.hostedZoneId } : { allowHttpOrigin: true }),
    originHeaderName: args.originHeaderName,
    originHeaderValue: args.originHeaderValue,
    accessLogsBucket: foundation.logs.bucketName,
    accessLogsPrefix: foundation.logs.albLogPrefix,
    idleTimeoutSeconds: config.web.idleTimeoutSeconds,
    deletionProtection: config.tier !== "dev",
  }, opts);
  const parameters = runtimeParameterNames(names.runtimePrefix);
  const web = new WebTier(names.component(`${foundation.role}-web`), {
    vpcId: foundation.network.vpcId,
    vpcCidr: foundation.network.cidrBlock,
    subnetIds: foundation.network.privateSubnetIds,
    albSecurityGroupId: lb.securityGroupId,
    targetGroupArn: lb.targetGroupArn,
    loadBalancerArnSuffix: lb.arnSuffix,
    targetGroupArnSuffix: lb.targetGroupArnSuffix,
    appPort: config.web.appPort,
    instanceType: config.web.instanceType,
    minSize: args.capacity.min,
    maxSize: args.capacity.max,
    desiredCapacity: args.capacity.desired,
    cpuTargetPercent: config.web.cpuTarget,
    volumeKmsKeyArn: foundation.keys.keyArn("logs"),
    logsKmsKeyArn: foundation.keys.keyArn("logs"),
    appLogRetentionDays: ctx.logRetentionDays,
    artifact: { bucket: args.assetBucketName, key: names.artifactKey, kmsKeyArn: args.assetKmsKeyArn },
    runtimeParameters: {
      databaseEndpoint: parameters.databaseEndpoint,
      databaseSecretArn: parameters.databaseSecretArn,
      searchEndpoint: parameters.searchEndpoint,
      searchIndexAlias: parameters.indexAlias,
    },
    databaseSecretArn: args.databaseSecretArn,
    secretsKmsKeyArn: args.secretsKmsKeyArn,
  }, opts);
  return { lb, web, runtimeParameterNames: parameters };
}
