// Audit logs kept in two regions: in a stack with a DR region, the log buckets outside it replicate
// to a bucket in the DR region, so that losing (or tampering with) one region's copy does not lose
// the audit trail. A log bucket is one tagged `DataClass: logs` (LogBucket in components/buckets.ts).
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, type ShopPolicy } from "../lib/define.js";
import { effectiveTags, identifiersOf, refersTo, regionOf } from "../lib/references.js";
import { resourcesOf, type ResourceClass } from "../lib/typed.js";
import { blockOf, blocksOf, stringOf } from "../lib/values.js";

type AnyBucket = aws.s3.Bucket | aws.s3.BucketV2;
const BUCKETS: ResourceClass<AnyBucket, never>[] = [aws.s3.Bucket, aws.s3.BucketV2];

/** The tag value LogBucket gives its bucket (`DataClass: logs`). */
const LOG_DATA_CLASS = "logs";

function bucketName(bucket: PolicyResource): string {
  return stringOf(bucket.props.bucket) ?? bucket.name;
}

/** Whether an enabled rule of `replication` writes to one of `targets` (by ARN or name, or by a recorded dependency). */
function replicatesTo(replication: PolicyResource, targets: readonly PolicyResource[]): boolean {
  const destinations = blocksOf(replication.props.rules)
    .filter((rule) => stringOf(rule.status) === "Enabled")
    .map((rule) => stringOf(blockOf(rule.destination)?.bucket));
  return targets.some((target) => {
    const ids = identifiersOf(target, "bucket");
    const named = destinations.some((destination) => destination !== undefined && (ids.has(destination) || ids.has(destination.replace(/^arn:[^:]+:s3:::/, ""))));
    return named || (destinations.length > 0 && refersTo(replication, "rules", target, new Set()));
  });
}

export const logBucketsReplicatedToDr = stackPolicy({
  name: "log-buckets-replicated-to-dr",
  description:
    "In a stack with a DR region, every log bucket (tagged DataClass logs) outside that region replicates its objects to a bucket in the DR region, so that the audit trail survives the loss or tampering of one region's copy.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "s3",
  compliance: { pciDss: "10.5.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps:
    "Give the LogBucket `replication: { destinationBucketArn }` naming a replica LogBucket created with the DR provider (same retention, `sources: []`); " +
    "stacks/platform/foundation.ts does this for the primary log bucket whenever the stack has a DR region. Replication needs versioning on both buckets (LogBucket turns it on).",
  configSchema: {
    properties: { drRegion: { type: "string", default: "", description: "The stack's DR region; empty when the stack has no DR strategy (the policy then does not apply)." } },
  },
  validateStack: (args, report) => {
    const { drRegion } = args.getConfig<{ drRegion: string }>();
    if (drRegion === "") args.notApplicable("the stack has no DR region (drRegion is empty)");
    const buckets = resourcesOf<AnyBucket>(args.resources, ...BUCKETS).map((bucket) => bucket.resource);
    const logBuckets = buckets.filter((bucket) => effectiveTags(bucket)?.DataClass === LOG_DATA_CLASS);
    if (logBuckets.length === 0) args.notApplicable(`the stack declares no log bucket (no bucket tagged DataClass ${LOG_DATA_CLASS})`);
    const inDrRegion = buckets.filter((bucket) => regionOf(bucket) === drRegion);
    const replications = resourcesOf<aws.s3.BucketReplicationConfig>(args.resources, aws.s3.BucketReplicationConfig).map((replication) => replication.resource);
    // The DR region's own log buckets (its log bucket, the replicas) are the second copy's side.
    for (const bucket of logBuckets.filter((candidate) => regionOf(candidate) !== drRegion)) {
      const ids = identifiersOf(bucket, "bucket");
      const own = replications.filter((replication) => refersTo(replication, "bucket", bucket, ids));
      if (own.length === 0) report(`Log bucket ${bucketName(bucket)} has no replication configuration; its logs exist only in ${regionOf(bucket) ?? "one region"}.`, bucket.urn);
      else if (!own.some((replication) => replicatesTo(replication, inDrRegion))) {
        report(`Log bucket ${bucketName(bucket)} does not replicate to a bucket in the DR region ${drRegion} (no enabled rule names one).`, bucket.urn);
      }
    }
  },
});

export const logReplicationPolicies: readonly ShopPolicy[] = [logBucketsReplicatedToDr];
