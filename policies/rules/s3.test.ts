import { describe } from "vitest";
import type { EvaluationResource } from "../evaluator/resource.js";
import { describePolicies, resource, urnOf } from "../testing.js";
import { s3Policies } from "./s3.js";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/1111-assets";
const TLS_ONLY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{
    Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-assets/*"],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  }],
});

const bucket = (name = "shop-assets", extra: Record<string, unknown> = {}) =>
  resource("aws:s3/bucket:Bucket", name, { bucket: name, id: name, arn: `arn:aws:s3:::${name}`, ...extra });

interface Settings {
  publicAccess?: Record<string, unknown> | false;
  encryption?: Record<string, unknown> | false;
  policy?: string | false;
  versioning?: string | false;
  lifecycle?: Record<string, unknown>[] | false;
  logging?: boolean;
}

/** A bucket with every setting a secure bucket has, each overridable or removable. */
function securedBucket(name: string, settings: Settings = {}): EvaluationResource[] {
  const resources = [bucket(name)];
  const add = (type: string, suffix: string, props: Record<string, unknown>) => resources.push(resource(type, `${name}-${suffix}`, { bucket: name, ...props }));
  if (settings.publicAccess !== false) {
    add("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access", settings.publicAccess ?? { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  }
  if (settings.encryption !== false) {
    add("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "encryption", {
      rules: [{ applyServerSideEncryptionByDefault: settings.encryption ?? { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true }],
    });
  }
  if (settings.policy !== false) add("aws:s3/bucketPolicy:BucketPolicy", "policy", { policy: settings.policy ?? TLS_ONLY });
  if (settings.versioning !== false) add("aws:s3/bucketVersioning:BucketVersioning", "versioning", { versioningConfiguration: { status: settings.versioning ?? "Enabled" } });
  if (settings.lifecycle !== false) {
    add("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", {
      rules: settings.lifecycle ?? [{ id: "expire-old-versions", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } }],
    });
  }
  if (settings.logging !== false) add("aws:s3/bucketLogging:BucketLogging", "logging", { targetBucket: "shop-logs", targetPrefix: `${name}/` });
  return resources;
}

/** The access-log bucket: SSE-S3, as S3 log delivery requires; not logged itself. */
function logBucket(): EvaluationResource[] {
  return securedBucket("shop-logs", { encryption: { sseAlgorithm: "AES256" }, logging: false });
}

const withLogs = (settings: Settings = {}) => () => [...securedBucket("shop-assets", settings), ...logBucket()];
/** The log bucket and its DR replica (SSE-S3 like its source, not logged itself). */
const withLogReplica = () => [
  ...withLogs()(),
  ...securedBucket("shop-logs-replica", { encryption: { sseAlgorithm: "AES256" }, logging: false }),
  resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "shop-logs-replication", {
    bucket: "shop-logs", role: "arn:aws:iam::123456789012:role/replication", rules: [{ id: "dr-replica", status: "Enabled", destination: { bucket: "arn:aws:s3:::shop-logs-replica" } }],
  }),
];
const ASSETS = urnOf("aws:s3/bucket:Bucket", "shop-assets");

describe("S3 policies", () => {
  describePolicies(s3Policies, {
    "s3-public-access-blocked": {
      passing: [
        { label: "a public access block with all four settings", resources: withLogs() },
        {
          label: "an account-level public access block",
          resources: () => [
            ...securedBucket("shop-assets", { publicAccess: false }),
            resource("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
          ],
        },
      ],
      violating: [
        { label: "no public access block", resources: withLogs({ publicAccess: false }), message: /shop-assets has no public access block/, urn: ASSETS },
        {
          label: "a block that allows public policies",
          resources: withLogs({ publicAccess: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: false } }),
          message: /leaves blockPublicPolicy, restrictPublicBuckets off/,
        },
      ],
    },
    "s3-sse-kms-customer-key": {
      passing: [
        { label: "SSE-KMS with a customer key; the log bucket on SSE-S3", resources: withLogs() },
        { label: "a log bucket's DR replica on SSE-S3", resources: withLogReplica },
        { label: "the deprecated inline encryption argument", resources: () => [bucket("legacy", { serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } } } })] },
      ],
      violating: [
        { label: "no default encryption", resources: withLogs({ encryption: false }), message: /declares no default encryption/ },
        { label: "SSE-S3 on a data bucket", resources: withLogs({ encryption: { sseAlgorithm: "AES256" } }), message: /encrypts with AES256, not SSE-KMS/ },
        { label: "the AWS-managed aws/s3 key", resources: withLogs({ encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }), message: /alias\/aws\/s3, not a customer-managed key/ },
        { label: "SSE-KMS without a key", resources: withLogs({ encryption: { sseAlgorithm: "aws:kms" } }), message: /AWS-managed aws\/s3 key/ },
      ],
    },
    "s3-tls-only-policy": {
      passing: [{ label: "a policy denying aws:SecureTransport false", resources: withLogs() }],
      violating: [
        { label: "no bucket policy", resources: withLogs({ policy: false }), message: /shop-assets has no bucket policy statement denying/ },
        {
          label: "a policy without the TLS condition",
          resources: withLogs({ policy: JSON.stringify({ Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: "*" }] }) }),
          message: /without TLS/,
        },
      ],
    },
    "s3-versioning-enabled": {
      passing: [{ label: "versioning Enabled", resources: withLogs() }],
      violating: [
        { label: "no versioning resource", resources: withLogs({ versioning: false }), message: /shop-assets does not have versioning enabled/ },
        { label: "versioning Suspended", resources: withLogs({ versioning: "Suspended" }), message: /does not have versioning enabled/ },
      ],
    },
    "s3-lifecycle-configured": {
      passing: [
        { label: "noncurrent versions expire on a versioned bucket", resources: withLogs() },
        { label: "an unversioned bucket whose objects expire", resources: () => [...securedBucket("tmp", { versioning: false, lifecycle: [{ id: "expire", status: "Enabled", expiration: { days: 30 } }] }), ...logBucket()] },
      ],
      violating: [
        { label: "no lifecycle", resources: withLogs({ lifecycle: false }), message: /shop-assets has no enabled lifecycle rule/ },
        { label: "only a disabled rule", resources: withLogs({ lifecycle: [{ id: "off", status: "Disabled", expiration: { days: 30 } }] }), message: /no enabled lifecycle rule/ },
        { label: "versioned without noncurrent expiry", resources: withLogs({ lifecycle: [{ id: "expire", status: "Enabled", expiration: { days: 365 } }] }), message: /versioned but no lifecycle rule expires noncurrent versions/ },
      ],
    },
    "s3-access-logging": {
      passing: [
        { label: "a data bucket logging to the log bucket (which is exempt)", resources: withLogs() },
        { label: "a log bucket's DR replica is exempt too", resources: withLogReplica },
        { label: "an ALB log bucket is exempt", resources: () => [...securedBucket("alb-logs", { logging: false, encryption: { sseAlgorithm: "AES256" } }), resource("aws:lb/loadBalancer:LoadBalancer", "alb", { accessLogs: { bucket: "alb-logs", enabled: true } })] },
      ],
      violating: [{ label: "a data bucket without logging", resources: withLogs({ logging: false }), message: /shop-assets has no server access logging/, urn: ASSETS }],
    },
  });
});
