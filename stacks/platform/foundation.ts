import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AssetBucket, LogBucket } from "../../components/buckets.js";
import { KeyRing } from "../../components/keys.js";
import type { PlatformContext } from "./context.js";

export type RegionRole = "primary" | "dr";

/** What a region holds before anything runs in it: its keys, its log bucket and its asset bucket. */
export interface RegionFoundation {
  role: RegionRole;
  region: string;
  provider: aws.Provider;
  keys: KeyRing;
  logs: LogBucket;
  /** The asset bucket in the primary region; its replica in the DR region. */
  assets: AssetBucket;
}

/** The stack-wide layer the regions and the edge build on. */
export interface Foundation {
  primary: RegionFoundation;
  /** Present when the stack has a DR strategy. */
  dr: RegionFoundation | undefined;
  /** Name the one distribution allowed to read the asset bucket, once it exists. */
  allowAssetReadsFrom(distributionArn: pulumi.Output<string>): void;
}

/**
 * Each region's keys and log bucket, and the asset bucket, replicated to the DR region; the
 * primary region's audit logs are replicated there too. Every region's keys come first: the
 * primary database replicates its secret under the DR key.
 */
export function stackFoundation(ctx: PlatformContext): Foundation {
  const { config, names, providers } = ctx;
  const dr = providers.dr && config.drRegion ? keysAndLogs(ctx, "dr", providers.dr, config.drRegion) : undefined;
  const replica = dr ? new AssetBucket(names.component("assets-replica"), {
    tier: config.tier,
    kmsKeyArn: dr.keys.keyArn("assets"),
    accessLogs: { bucket: dr.logs.bucketName },
  }, { provider: dr.provider }) : undefined;
  const primary = keysAndLogs(ctx, "primary", providers.primary, config.primaryRegion, dr ? logsReplica(ctx, dr) : undefined);
  // A true cycle: the bucket policy names the distribution, which reads from the bucket.
  const [distributionArn, resolveDistributionArn] = pulumi.deferredOutput<string>();
  const assets = new AssetBucket(names.component("assets"), {
    tier: config.tier,
    kmsKeyArn: primary.keys.keyArn("assets"),
    accessLogs: { bucket: primary.logs.bucketName },
    distributionArn,
    ...(dr && replica ? { replication: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: dr.keys.keyArn("assets") } } : {}),
  }, { provider: primary.provider });
  return {
    primary: { ...primary, assets },
    dr: dr && replica ? { ...dr, assets: replica } : undefined,
    allowAssetReadsFrom: resolveDistributionArn,
  };
}

/** The primary log bucket's lifecycle, which its DR replica must match. */
function logLifecycle(ctx: PlatformContext): { retentionDays: number } {
  return { retentionDays: ctx.logRetentionDays === 400 ? 400 : 90 };
}

/**
 * A dedicated replica of the primary region's log bucket in the DR region (PCI DSS 10.5.1: audit
 * logs survive the loss of the primary's copy). Not the DR region's own log bucket: that would mix
 * two regions' logs under one lifecycle and one set of deliveries. Nothing delivers to the replica
 * directly (`sources: []`); it keeps the primary's lifecycle, since S3 does not replicate lifecycle.
 */
function logsReplica(ctx: PlatformContext, dr: Omit<RegionFoundation, "assets">): LogBucket {
  return new LogBucket(ctx.names.component("primary-logs-replica"), {
    tier: ctx.config.tier,
    ...logLifecycle(ctx),
    sources: [],
  }, { provider: dr.provider });
}

function keysAndLogs(
  ctx: PlatformContext,
  role: RegionRole,
  provider: aws.Provider,
  region: string,
  logReplica?: LogBucket,
): Omit<RegionFoundation, "assets"> {
  const { config, names } = ctx;
  const opts = { provider };
  const asgServiceLinkedRole = pulumi.interpolate`arn:${ctx.account.partition}:iam::${ctx.account.id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
  const keys = new KeyRing(names.component(`${role}-keys`), {
    // The fleet's root volumes use the logs key; Auto Scaling launches instances through its
    // service-linked role, which therefore needs the key (AWS: "required KMS key policy for use
    // with encrypted volumes").
    keyUsers: { logs: [asgServiceLinkedRole] },
  }, opts);
  const logs = new LogBucket(names.component(`${role}-logs`), {
    tier: config.tier,
    ...logLifecycle(ctx),
    ...(logReplica ? { replication: { destinationBucketArn: logReplica.bucketArn } } : {}),
  }, opts);
  return { role, region, provider, keys, logs };
}
