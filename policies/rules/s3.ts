// S3: @pulumi/aws v7 declares a bucket's settings as separate resources (public access block,
// encryption, policy, versioning, lifecycle, logging), so these are stack policies that judge a
// bucket together with the settings that point at it. The deprecated inline arguments of
// aws.s3.Bucket count too.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import { stackPolicy, type ShopPolicy } from "../lib/define.js";
import { conditionValues, statementsOf } from "../lib/policy-document.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, type ResourceClass, type StateOf, type Typed } from "../lib/typed.js";
import { blockOf, blocksOf, isAwsManagedKey, isTrue, stringOf } from "../lib/values.js";

type AnyBucket = aws.s3.Bucket | aws.s3.BucketV2;
const BUCKETS: ResourceClass<AnyBucket, never>[] = [aws.s3.Bucket, aws.s3.BucketV2];

interface Bucket {
  readonly resource: PolicyResource;
  readonly props: StateOf<aws.s3.Bucket>;
}

/**
 * A deprecated inline setting of aws.s3.Bucket (`logging`, `versioning`, ...): v7 still accepts
 * them, so a bucket declared the old way must be judged by them too.
 */
function legacySetting(bucket: Bucket, setting: "logging" | "serverSideEncryptionConfiguration" | "policy" | "versioning" | "lifecycleRules"): unknown {
  return bucket.resource.props[setting];
}

function bucketsOf(args: StackValidationArgs): Bucket[] {
  const buckets: Bucket[] = resourcesOf<AnyBucket>(args.resources, ...BUCKETS);
  if (buckets.length === 0) args.notApplicable("the stack declares no S3 bucket");
  return buckets;
}

/** The settings resources (of any of `classes`) whose `bucket` names `bucket`. */
function settingsOf<T extends pulumi.Resource>(
  args: StackValidationArgs,
  bucket: Bucket,
  ...classes: ResourceClass<T, never>[]
): Typed<T>[] {
  const ids = identifiersOf(bucket.resource, "bucket");
  return resourcesOf<T>(args.resources, ...classes).filter((setting) => refersTo(setting.resource, "bucket", bucket.resource, ids));
}

function nameOf(bucket: Bucket): string {
  return stringOf(bucket.props.bucket) ?? bucket.resource.name;
}

/**
 * Buckets that receive logs: S3 server access logging targets and load balancer log buckets, and
 * the buckets those replicate to (a DR replica holds the same SSE-S3 log objects). AWS delivers to
 * these only with SSE-S3 (AES256) encryption, and they are not logged themselves.
 */
function logBuckets(args: StackValidationArgs, buckets: readonly Bucket[]): Set<string> {
  const targets = new Set<string>();
  for (const logging of resourcesOf<aws.s3.BucketLogging | aws.s3.BucketLoggingV2>(args.resources, aws.s3.BucketLogging, aws.s3.BucketLoggingV2)) {
    const target = stringOf(logging.props.targetBucket);
    if (target !== undefined) targets.add(target);
  }
  for (const bucket of buckets) {
    const inline = stringOf(blockOf(legacySetting(bucket, "logging"))?.targetBucket);
    if (inline !== undefined) targets.add(inline);
  }
  for (const balancer of resourcesOf<aws.lb.LoadBalancer | aws.alb.LoadBalancer>(args.resources, aws.lb.LoadBalancer, aws.alb.LoadBalancer)) {
    for (const logs of [balancer.props.accessLogs, balancer.props.connectionLogs, balancer.props.healthCheckLogs]) {
      const target = stringOf(blockOf(logs)?.bucket);
      if (target !== undefined) targets.add(target);
    }
  }
  const receiving = buckets.filter((bucket) => [...identifiersOf(bucket.resource, "bucket")].some((id) => targets.has(id)));
  for (const replication of resourcesOf<aws.s3.BucketReplicationConfig>(args.resources, aws.s3.BucketReplicationConfig)) {
    const source = stringOf(replication.props.bucket);
    if (source === undefined || !receiving.some((bucket) => identifiersOf(bucket.resource, "bucket").has(source))) continue;
    for (const rule of blocksOf(replication.props.rules)) {
      const destination = stringOf(blockOf(rule.destination)?.bucket);
      if (destination !== undefined) targets.add(destination);
    }
  }
  return new Set(buckets.filter((bucket) => [...identifiersOf(bucket.resource, "bucket")].some((id) => targets.has(id))).map((bucket) => bucket.resource.urn));
}

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

function accountBlocksPublicAccess(resources: PolicyResource[]): boolean {
  return resourcesOf<aws.s3.AccountPublicAccessBlock>(resources, aws.s3.AccountPublicAccessBlock)
    .some((block) => PUBLIC_ACCESS_FLAGS.every((flag) => isTrue(block.props[flag])));
}

export const publicAccessBlocked = stackPolicy({
  name: "s3-public-access-blocked",
  description: "Every S3 bucket blocks public access with all four public access block settings.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "s3",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Declare an aws.s3.BucketPublicAccessBlock for the bucket with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and " +
    "restrictPublicBuckets all true (or one aws.s3.AccountPublicAccessBlock that sets all four). Serve public content through " +
    "CloudFront with origin access control instead of a public bucket.",
  validateStack: (args, report) => {
    const buckets = bucketsOf(args);
    if (accountBlocksPublicAccess(args.resources)) return;
    for (const bucket of buckets) {
      const blocks = settingsOf<aws.s3.BucketPublicAccessBlock>(args, bucket, aws.s3.BucketPublicAccessBlock);
      if (blocks.length === 0) {
        report(`Bucket ${nameOf(bucket)} has no public access block.`, bucket.resource.urn);
        continue;
      }
      const missing = PUBLIC_ACCESS_FLAGS.filter((flag) => !blocks.some((block) => isTrue(block.props[flag])));
      if (missing.length > 0) report(`Bucket ${nameOf(bucket)}'s public access block leaves ${missing.join(", ")} off.`, bucket.resource.urn);
    }
  },
});

/** The default-encryption rules of a bucket: from its encryption resources or the inline argument. */
function encryptionDefaults(args: StackValidationArgs, bucket: Bucket): { algorithm: string | undefined; key: string | undefined }[] {
  const fromResources = settingsOf<aws.s3.BucketServerSideEncryptionConfiguration | aws.s3.BucketServerSideEncryptionConfigurationV2>(
    args, bucket, aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2,
  ).flatMap((config) => blocksOf(config.props.rules));
  const inline = blocksOf(blockOf(legacySetting(bucket, "serverSideEncryptionConfiguration"))?.rule);
  return [...fromResources, ...inline].map((rule) => {
    const defaults = blockOf(rule.applyServerSideEncryptionByDefault);
    return { algorithm: stringOf(defaults?.sseAlgorithm), key: stringOf(defaults?.kmsMasterKeyId) };
  });
}

export const sseKmsCustomerKey = stackPolicy({
  name: "s3-sse-kms-customer-key",
  description: "Every S3 bucket encrypts by default with SSE-KMS under a customer-managed key (log buckets: SSE-S3, which is all AWS log delivery accepts).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "s3",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Declare an aws.s3.BucketServerSideEncryptionConfiguration for the bucket with a rule whose applyServerSideEncryptionByDefault " +
    "has sseAlgorithm \"aws:kms\" and kmsMasterKeyId set to the data class's customer-managed KMS key (components/keys.ts), and " +
    "bucketKeyEnabled true. Buckets that receive S3 access logs or load balancer logs use sseAlgorithm \"AES256\".",
  validateStack: (args, report) => {
    const buckets = bucketsOf(args);
    const logs = logBuckets(args, buckets);
    for (const bucket of buckets) {
      const rules = encryptionDefaults(args, bucket);
      if (rules.length === 0) {
        report(`Bucket ${nameOf(bucket)} declares no default encryption.`, bucket.resource.urn);
        continue;
      }
      for (const { algorithm, key } of rules) {
        if (logs.has(bucket.resource.urn) && (algorithm === "AES256" || (algorithm?.startsWith("aws:kms") === true && key !== undefined))) continue;
        if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
          report(`Bucket ${nameOf(bucket)} encrypts with ${algorithm ?? "no algorithm"}, not SSE-KMS.`, bucket.resource.urn);
        } else if (key === undefined || isAwsManagedKey(key)) {
          report(`Bucket ${nameOf(bucket)} uses SSE-KMS with ${key ?? "the AWS-managed aws/s3 key"}, not a customer-managed key.`, bucket.resource.urn);
        }
      }
    }
  },
});

function bucketPolicies(args: StackValidationArgs, bucket: Bucket): unknown[] {
  const fromResources: unknown[] = settingsOf<aws.s3.BucketPolicy>(args, bucket, aws.s3.BucketPolicy).map((policy) => policy.props.policy);
  const legacy = legacySetting(bucket, "policy");
  return legacy === undefined ? fromResources : [...fromResources, legacy];
}

export const tlsOnlyPolicy = stackPolicy({
  name: "s3-tls-only-policy",
  description: "Every S3 bucket policy denies requests that do not use TLS (aws:SecureTransport false).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "s3",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Add to the bucket's aws.s3.BucketPolicy a statement { Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [bucket ARN, " +
    "bucket ARN + \"/*\"], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }.",
  validateStack: (args, report) => {
    for (const bucket of bucketsOf(args)) {
      const statements = bucketPolicies(args, bucket).flatMap((policy) => statementsOf(policy) ?? []);
      const deniesPlainHttp = statements.some((statement) =>
        statement.effect === "Deny" && conditionValues(statement, /^Bool(IfExists)?$/i, "aws:SecureTransport").includes("false"));
      if (!deniesPlainHttp) report(`Bucket ${nameOf(bucket)} has no bucket policy statement denying requests without TLS (aws:SecureTransport false).`, bucket.resource.urn);
    }
  },
});

function versioningEnabled(args: StackValidationArgs, bucket: Bucket): boolean {
  const fromResources = settingsOf<aws.s3.BucketVersioning | aws.s3.BucketVersioningV2>(args, bucket, aws.s3.BucketVersioning, aws.s3.BucketVersioningV2)
    .some((versioning) => blockOf(versioning.props.versioningConfiguration)?.status === "Enabled");
  return fromResources || isTrue(blockOf(legacySetting(bucket, "versioning"))?.enabled);
}

export const versioning = stackPolicy({
  name: "s3-versioning-enabled",
  description: "Every S3 bucket has versioning enabled, so an overwrite or delete can be undone.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "s3",
  compliance: { pciDss: "10.3.3", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Declare an aws.s3.BucketVersioning for the bucket with versioningConfiguration { status: \"Enabled\" }.",
  validateStack: (args, report) => {
    for (const bucket of bucketsOf(args)) {
      if (!versioningEnabled(args, bucket)) report(`Bucket ${nameOf(bucket)} does not have versioning enabled.`, bucket.resource.urn);
    }
  },
});

interface LifecycleRule {
  enabled: boolean;
  expires: boolean;
  expiresNoncurrent: boolean;
}

function lifecycleRules(args: StackValidationArgs, bucket: Bucket): LifecycleRule[] {
  const fromResources = settingsOf<aws.s3.BucketLifecycleConfiguration | aws.s3.BucketLifecycleConfigurationV2>(
    args, bucket, aws.s3.BucketLifecycleConfiguration, aws.s3.BucketLifecycleConfigurationV2,
  ).flatMap((config) => blocksOf(config.props.rules)).map((rule) => ({
    enabled: rule.status === "Enabled",
    expires: blockOf(rule.expiration) !== undefined || blocksOf(rule.transitions).length > 0,
    expiresNoncurrent: blockOf(rule.noncurrentVersionExpiration) !== undefined,
  }));
  const inline = blocksOf(legacySetting(bucket, "lifecycleRules")).map((rule) => ({
    enabled: isTrue(rule.enabled),
    expires: blockOf(rule.expiration) !== undefined || blocksOf(rule.transitions).length > 0,
    expiresNoncurrent: blockOf(rule.noncurrentVersionExpiration) !== undefined,
  }));
  return [...fromResources, ...inline].filter((rule) => rule.enabled);
}

export const lifecycle = stackPolicy({
  name: "s3-lifecycle-configured",
  description: "Every S3 bucket has an enabled lifecycle rule, and a versioned bucket expires noncurrent versions.",
  enforcementLevel: "advisory",
  advisoryBecause: "How long objects live is a per-bucket business decision (product assets are kept for good); the finding prompts that decision without blocking a deployment.",
  severity: "low",
  service: "s3",
  compliance: { pciDss: "3.2.1", gdpr: "Art. 5(1)(e)" },
  remediationSteps:
    "Declare an aws.s3.BucketLifecycleConfiguration for the bucket with an enabled rule that expires or transitions objects and, " +
    "for a versioned bucket, a noncurrentVersionExpiration (e.g. 90 days) so old versions do not pile up forever.",
  validateStack: (args, report) => {
    for (const bucket of bucketsOf(args)) {
      const rules = lifecycleRules(args, bucket);
      if (rules.length === 0) {
        report(`Bucket ${nameOf(bucket)} has no enabled lifecycle rule.`, bucket.resource.urn);
      } else if (versioningEnabled(args, bucket) && !rules.some((rule) => rule.expiresNoncurrent)) {
        report(`Bucket ${nameOf(bucket)} is versioned but no lifecycle rule expires noncurrent versions.`, bucket.resource.urn);
      } else if (!rules.some((rule) => rule.expires || rule.expiresNoncurrent)) {
        report(`Bucket ${nameOf(bucket)}'s lifecycle rules neither expire nor transition objects.`, bucket.resource.urn);
      }
    }
  },
});

export const accessLogging = stackPolicy({
  name: "s3-access-logging",
  description: "Every S3 bucket except the log buckets themselves has server access logging to a log bucket.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "s3",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Declare an aws.s3.BucketLogging for the bucket with targetBucket set to the stack's access-log bucket and a targetPrefix per bucket.",
  validateStack: (args, report) => {
    const buckets = bucketsOf(args);
    const logs = logBuckets(args, buckets);
    for (const bucket of buckets) {
      if (logs.has(bucket.resource.urn)) continue;
      const logged = settingsOf<aws.s3.BucketLogging | aws.s3.BucketLoggingV2>(args, bucket, aws.s3.BucketLogging, aws.s3.BucketLoggingV2).length > 0
        || stringOf(blockOf(legacySetting(bucket, "logging"))?.targetBucket) !== undefined;
      if (!logged) report(`Bucket ${nameOf(bucket)} has no server access logging.`, bucket.resource.urn);
    }
  },
});

export const s3Policies: readonly ShopPolicy[] = [publicAccessBlocked, sseKmsCustomerKey, tlsOnlyPolicy, versioning, lifecycle, accessLogging];
