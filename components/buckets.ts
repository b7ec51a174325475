import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, type DataClass } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { EDGE_REGION } from "./common/edge-region.js";
import { type Transform, transform } from "./common/transform.js";

type PolicyStatement = aws.types.input.iam.GetPolicyDocumentStatementArgs;
type Tier = "dev" | "staging" | "prod";

/** Where each log delivery writes inside a LogBucket; the LogBucket's policy admits only these. */
export const LOG_PREFIXES = {
  /** The ALB's `accessLogs.prefix` (ELB wants it without a trailing slash). */
  alb: "alb",
  /** S3 server access logs: each source bucket writes below `s3-access/<source>/`. */
  s3Access: "s3-access/",
  /** CloudFront standard logging (v2): the delivery destination is `<bucket ARN>/cloudfront`. */
  cloudFront: "cloudfront",
} as const;

/** The log deliveries a LogBucket can receive. */
export const LOG_SOURCES = ["alb", "s3-access", "cloudfront"] as const;
export type LogSource = (typeof LOG_SOURCES)[number];

/** Changes to the children both buckets create (see Transform). */
export interface BucketTransforms {
  /** The bucket (`<name>-bucket`). */
  bucket?: Transform<aws.s3.BucketArgs>;
  /** Its public access block. */
  publicAccessBlock?: Transform<aws.s3.BucketPublicAccessBlockArgs>;
  /** Its ownership controls (ACLs disabled). */
  ownershipControls?: Transform<aws.s3.BucketOwnershipControlsArgs>;
  /** Its default encryption. */
  encryption?: Transform<aws.s3.BucketServerSideEncryptionConfigurationArgs>;
  /** Its versioning. */
  versioning?: Transform<aws.s3.BucketVersioningArgs>;
  /** Its lifecycle rules. */
  lifecycle?: Transform<aws.s3.BucketLifecycleConfigurationArgs>;
  /** Rewrites the bucket policy's statements before they are rendered. */
  policyStatements?: (statements: PolicyStatement[]) => PolicyStatement[];
  /** The bucket policy. */
  policy?: Transform<aws.s3.BucketPolicyArgs>;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

interface PrivateBucketSettings {
  forceDestroy: boolean;
  dataClass: DataClass;
  encryption: aws.types.input.s3.BucketServerSideEncryptionConfigurationRule;
}

interface PrivateBucket {
  bucket: aws.s3.Bucket;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  versioning: aws.s3.BucketVersioning;
}

/** A versioned bucket nobody outside the account can reach: no ACLs, no public access, encrypted by default. */
function privateBucket(name: string, settings: PrivateBucketSettings, transforms: BucketTransforms | undefined, parent: pulumi.Resource): PrivateBucket {
  const bucket = new aws.s3.Bucket(...transform<aws.s3.BucketArgs>(
    transforms?.bucket,
    childName(name, "bucket"),
    { forceDestroy: settings.forceDestroy, tags: { DataClass: settings.dataClass } },
    { parent },
  ));
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(...transform<aws.s3.BucketPublicAccessBlockArgs>(
    transforms?.publicAccessBlock,
    childName(name, "public-access-block"),
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    { parent },
  ));
  new aws.s3.BucketOwnershipControls(...transform<aws.s3.BucketOwnershipControlsArgs>(
    transforms?.ownershipControls,
    childName(name, "ownership"),
    { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
    { parent },
  ));
  new aws.s3.BucketServerSideEncryptionConfiguration(...transform<aws.s3.BucketServerSideEncryptionConfigurationArgs>(
    transforms?.encryption,
    childName(name, "encryption"),
    { bucket: bucket.id, rules: [settings.encryption] },
    { parent },
  ));
  const versioning = new aws.s3.BucketVersioning(...transform<aws.s3.BucketVersioningArgs>(
    transforms?.versioning,
    childName(name, "versioning"),
    { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
    { parent },
  ));
  return { bucket, publicAccessBlock, versioning };
}

/** Lifecycle rules; S3 wants versioning on first. */
function lifecycleRules(
  name: string,
  target: PrivateBucket,
  rules: aws.types.input.s3.BucketLifecycleConfigurationRule[],
  transforms: BucketTransforms | undefined,
  parent: pulumi.Resource,
): aws.s3.BucketLifecycleConfiguration {
  return new aws.s3.BucketLifecycleConfiguration(...transform<aws.s3.BucketLifecycleConfigurationArgs>(
    transforms?.lifecycle,
    childName(name, "lifecycle"),
    { bucket: target.bucket.id, rules },
    { parent, dependsOn: [target.versioning] },
  ));
}

/** Expired delete markers are left behind once every version has expired; nothing needs them. */
const REMOVE_EXPIRED_DELETE_MARKERS: aws.types.input.s3.BucketLifecycleConfigurationRule = {
  id: "remove-expired-delete-markers",
  status: "Enabled",
  filter: {},
  expiration: { expiredObjectDeleteMarker: true },
};

/** Deny plain HTTP and TLS older than 1.2, to everyone, on the bucket and its objects. */
function tlsOnlyStatements(bucketArn: pulumi.Input<string>): PolicyStatement[] {
  const everyone = [{ type: "*", identifiers: ["*"] }];
  const resources = [bucketArn, pulumi.interpolate`${bucketArn}/*`];
  return [
    {
      sid: "DenyInsecureTransport",
      effect: "Deny",
      principals: everyone,
      actions: ["s3:*"],
      resources,
      conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    },
    {
      sid: "DenyOutdatedTls",
      effect: "Deny",
      principals: everyone,
      actions: ["s3:*"],
      resources,
      conditions: [{ test: "NumericLessThan", variable: "s3:TlsVersion", values: ["1.2"] }],
    },
  ];
}

function bucketPolicy(name: string, target: PrivateBucket, statements: PolicyStatement[], transforms: BucketTransforms | undefined, parent: pulumi.Resource): aws.s3.BucketPolicy {
  const rendered = aws.iam.getPolicyDocumentOutput({ statements: transforms?.policyStatements?.(statements) ?? statements }, { parent });
  // After the public access block: S3 judges the policy against the block settings in force.
  return new aws.s3.BucketPolicy(...transform<aws.s3.BucketPolicyArgs>(
    transforms?.policy,
    childName(name, "policy"),
    { bucket: target.bucket.id, policy: rendered.json },
    { parent, dependsOn: [target.publicAccessBlock] },
  ));
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,40}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/.+$/;

function checkName(check: ArgsChecker, name: string): void {
  check.require(BUCKET_NAME.test(name), "name", name,
    "the component name becomes the bucket's name and must be 2 to 41 lower-case letters, digits or hyphens, starting with a letter or digit");
}

/** Args arrive from JavaScript and YAML too, so enumerations are checked at run time. */
function tierOf(check: ArgsChecker, value: unknown): Tier {
  if (value === undefined) return "prod";
  if (value === "dev" || value === "staging" || value === "prod") return value;
  return check.reject("tier", value, `tier must be dev, staging or prod, got ${JSON.stringify(value)}`);
}

function wholeDays(check: ArgsChecker, key: string, value: number, min: number, max: number): number {
  check.require(Number.isInteger(value) && value >= min && value <= max, key, value, `${key} must be a whole number of days from ${min} to ${max}, got ${value}`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Replication to a DR replica (AssetBucket with SSE-KMS, LogBucket with SSE-S3)

/** Changes to the children cross-region replication creates. */
export interface ReplicationTransforms {
  /** The role S3 replicates with (`<name>-replication`). */
  replicationRole?: Transform<aws.iam.RoleArgs>;
  /** That role's inline policy. */
  replicationPolicy?: Transform<aws.iam.RolePolicyArgs>;
  /** The replication configuration. */
  replication?: Transform<aws.s3.BucketReplicationConfigArgs>;
}

interface DrReplication {
  destinationBucketArn: pulumi.Input<string>;
  /** Each side's KMS key, for SSE-KMS buckets; undefined for SSE-S3 (nothing to decrypt or encrypt with). */
  kms: { sourceKeyArn: pulumi.Input<string>; destinationKeyArn: pulumi.Input<string> } | undefined;
  replicationTimeControl: boolean;
  replicateDeleteMarkers: boolean;
}

/** A role S3 assumes, its inline policy and the one-rule replication configuration; returns the role's ARN. */
function replicateToDr(name: string, source: PrivateBucket, replication: DrReplication, transforms: ReplicationTransforms | undefined, parent: pulumi.Resource): pulumi.Output<string> {
  const role = replicationRole(name, source, transforms, parent);
  new aws.iam.RolePolicy(...transform<aws.iam.RolePolicyArgs>(
    transforms?.replicationPolicy,
    childName(name, "replication"),
    { role: role.id, policy: replicationPermissions(replication, source, parent) },
    { parent },
  ));
  const { kms, replicationTimeControl: rtc } = replication;
  new aws.s3.BucketReplicationConfig(...transform<aws.s3.BucketReplicationConfigArgs>(transforms?.replication, childName(name, "replication"), {
    bucket: source.bucket.id,
    role: role.arn,
    rules: [
      {
        id: "dr-replica",
        status: "Enabled",
        priority: 1,
        filter: {},
        deleteMarkerReplication: { status: replication.replicateDeleteMarkers ? "Enabled" : "Disabled" },
        ...(kms ? { sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } } } : {}),
        destination: {
          bucket: replication.destinationBucketArn,
          storageClass: "STANDARD",
          ...(kms ? { encryptionConfiguration: { replicaKmsKeyId: kms.destinationKeyArn } } : {}),
          ...(rtc
            ? { replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } }
            : {}),
        },
      },
    ],
  // S3 refuses a replication configuration before versioning is on.
  }, { parent, dependsOn: [source.versioning] }));
  return role.arn;
}

/** The role S3 assumes to replicate, only on behalf of this bucket in this account. */
function replicationRole(name: string, source: PrivateBucket, transforms: ReplicationTransforms | undefined, parent: pulumi.Resource): aws.iam.Role {
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const trust = aws.iam.getPolicyDocumentOutput(
    {
      statements: [
        {
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["s3.amazonaws.com"] }],
          conditions: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
            { test: "ArnLike", variable: "aws:SourceArn", values: [source.bucket.arn] },
          ],
        },
      ],
    },
    { parent },
  );
  return new aws.iam.Role(...transform<aws.iam.RoleArgs>(
    transforms?.replicationRole,
    childName(name, "replication"),
    { assumeRolePolicy: trust.json, description: pulumi.interpolate`S3 replication of ${source.bucket.id} to its DR replica` },
    { parent },
  ));
}

/** Read the source's versions, write the replica, and (SSE-KMS) use each side's key through S3 in its region only. */
function replicationPermissions(replication: DrReplication, source: PrivateBucket, parent: pulumi.Resource): pulumi.Output<string> {
  const sourceArn = source.bucket.arn;
  const destinationArn = pulumi.output(replication.destinationBucketArn);
  const statements: PolicyStatement[] = [
    { sid: "ReadReplicationConfiguration", actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"], resources: [sourceArn] },
    {
      sid: "ReadSourceVersions",
      actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      resources: [pulumi.interpolate`${sourceArn}/*`],
    },
    {
      sid: "WriteReplica",
      actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      resources: [pulumi.interpolate`${destinationArn}/*`],
    },
  ];
  if (replication.kms) statements.push(...kmsReplicationStatements(replication.kms, sourceArn, destinationArn, parent));
  return aws.iam.getPolicyDocumentOutput({ statements }, { parent }).json;
}

function kmsReplicationStatements(
  kms: NonNullable<DrReplication["kms"]>,
  sourceArn: pulumi.Output<string>,
  destinationArn: pulumi.Output<string>,
  parent: pulumi.Resource,
): PolicyStatement[] {
  const sourceRegion = aws.getRegionOutput({}, { parent }).region;
  const dnsSuffix = aws.getPartitionOutput({}, { parent }).dnsSuffix;
  // A key ARN carries its region: arn:<partition>:kms:<region>:<account>:key/<id>.
  const destinationRegion = pulumi.output(kms.destinationKeyArn).apply((arn) => arn.split(":")[3] ?? "");
  // With bucket keys on, S3 uses the bucket ARN as encryption context; without, the object ARN.
  const encryptionContext = (bucketArn: pulumi.Input<string>) => ({
    test: "StringLike",
    variable: "kms:EncryptionContext:aws:s3:arn",
    values: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
  });
  return [
    {
      sid: "DecryptSource",
      actions: ["kms:Decrypt"],
      resources: [kms.sourceKeyArn],
      conditions: [{ test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${sourceRegion}.${dnsSuffix}`] }, encryptionContext(sourceArn)],
    },
    {
      sid: "EncryptReplica",
      actions: ["kms:Encrypt", "kms:GenerateDataKey"],
      resources: [kms.destinationKeyArn],
      conditions: [
        { test: "StringEquals", variable: "kms:ViaService", values: [pulumi.interpolate`s3.${destinationRegion}.${dnsSuffix}`] },
        encryptionContext(destinationArn),
      ],
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// AssetBucket

export interface AssetAccessLogs {
  /** The LogBucket (same region) that receives S3 server access logs. */
  bucket: pulumi.Input<string>;
  /**
   * Key prefix inside the log bucket; must stay under LogBucket's `s3-access/`, whose policy admits only that.
   * @default "s3-access/<component name>/"
   */
  prefix?: string;
}

export interface AssetReplication {
  /** ARN of the replica bucket in the DR region: another AssetBucket created with the DR provider. */
  destinationBucketArn: pulumi.Input<string>;
  /** The replica's own KMS key: the DR KeyRing's `assets` key. */
  destinationKmsKeyArn: pulumi.Input<string>;
  /**
   * S3 Replication Time Control: 99.99% of objects replicated within 15 minutes, with replication
   * metrics (extra cost).
   * @default false
   */
  replicationTimeControl?: boolean;
  /**
   * Replicate delete markers, so that an object deleted here is also gone from the replica's
   * current view (its versions stay until lifecycle removes them).
   * @default true
   */
  replicateDeleteMarkers?: boolean;
}

export interface AssetBucketArgs {
  /**
   * The stack's tier; only `dev` lets `pulumi destroy` empty the bucket (forceDestroy).
   * @default "prod"
   */
  tier?: Tier;
  /** The KMS key objects are encrypted with (SSE-KMS, bucket key on): the KeyRing's `assets` key. */
  kmsKeyArn: pulumi.Input<string>;
  /** Server access logging into a LogBucket in the same region. */
  accessLogs: AssetAccessLogs;
  /**
   * ARN of the one CloudFront distribution allowed to read objects (through Origin Access
   * Control, checked by `AWS:SourceArn`). The distribution needs this bucket's domain name, so
   * wire it with `pulumi.deferredOutput()` (see docs/components.md, "LogBucket and AssetBucket"). Without it no CloudFront can read.
   * @default undefined (no read access for CloudFront)
   */
  distributionArn?: pulumi.Input<string>;
  /**
   * Days a replaced or deleted object's old version is kept before lifecycle removes it.
   * @default 90
   */
  noncurrentVersionExpirationDays?: number;
  /** Cross-region replication to a DR replica bucket. @default undefined (no replication) */
  replication?: AssetReplication;
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  transforms?: AssetBucketTransforms;
}

export interface AssetBucketTransforms extends BucketTransforms, ReplicationTransforms {
  /** Server access logging. */
  logging?: Transform<aws.s3.BucketLoggingArgs>;
}

interface AssetSettings {
  tier: Tier;
  noncurrentDays: number;
  accessLogPrefix: string;
}

/**
 * The storefront's static assets: private, SSE-KMS, versioned, TLS 1.2+ only, readable by one
 * CloudFront distribution through OAC, access-logged, optionally replicated to a DR replica.
 *
 * @example
 * ```ts
 * const assets = new AssetBucket("shop-prod-assets", {
 *   tier: "prod",
 *   kmsKeyArn: keys.keyArn("assets"),
 *   accessLogs: { bucket: logs.bucketName },
 *   distributionArn: cdnArn,
 *   replication: { destinationBucketArn: replica.bucketArn, destinationKmsKeyArn: drKeys.keyArn("assets") },
 * }, { provider: primary });
 * ```
 */
export class AssetBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** The regional endpoint a CloudFront S3 origin uses. */
  public readonly bucketRegionalDomainName: pulumi.Output<string>;
  public readonly policyId: pulumi.Output<string>;
  /** The IAM role S3 replicates with; undefined without replication. */
  public readonly replicationRoleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: AssetBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:storage:AssetBucket", name, {}, opts);
    const settings = validateAssetArgs(name, args);

    const target = privateBucket(name, {
      forceDestroy: settings.tier === "dev",
      dataClass: "assets",
      encryption: {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
        bucketKeyEnabled: true,
        blockedEncryptionTypes: ["SSE-C"],
      },
    }, args.transforms, this);
    this.expireOldVersions(name, target, settings, args.transforms);
    this.logAccess(name, target, settings, args);
    const policy = bucketPolicy(name, target, this.policyStatements(target, args.distributionArn), args.transforms, this);
    this.replicationRoleArn = args.replication === undefined ? undefined : this.replicate(name, args.replication, args, target);

    this.bucketName = target.bucket.id;
    this.bucketArn = target.bucket.arn;
    this.bucketRegionalDomainName = target.bucket.bucketRegionalDomainName;
    this.policyId = policy.id;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      bucketRegionalDomainName: this.bucketRegionalDomainName,
      policyId: this.policyId,
      replicationRoleArn: this.replicationRoleArn,
    });
  }

  /** Old versions expire after `noncurrentVersionExpirationDays`; stalled uploads after 7 days. */
  private expireOldVersions(name: string, target: PrivateBucket, settings: AssetSettings, transforms: AssetBucketTransforms | undefined): void {
    lifecycleRules(name, target, [
      {
        id: "expire-noncurrent-versions",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      REMOVE_EXPIRED_DELETE_MARKERS,
    ], transforms, this);
  }

  /** S3 server access logs into the region's LogBucket, partitioned by event time. */
  private logAccess(name: string, target: PrivateBucket, settings: AssetSettings, args: AssetBucketArgs): void {
    new aws.s3.BucketLogging(...transform<aws.s3.BucketLoggingArgs>(args.transforms?.logging, childName(name, "logging"), {
      bucket: target.bucket.id,
      targetBucket: args.accessLogs.bucket,
      targetPrefix: settings.accessLogPrefix,
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    }, { parent: this }));
  }

  /** TLS only, and reads by the one distribution through Origin Access Control. */
  private policyStatements(target: PrivateBucket, distributionArn: pulumi.Input<string> | undefined): PolicyStatement[] {
    const statements = tlsOnlyStatements(target.bucket.arn);
    if (distributionArn !== undefined) {
      statements.push({
        sid: "AllowCloudFrontOriginAccessControl",
        principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
        actions: ["s3:GetObject"],
        resources: [pulumi.interpolate`${target.bucket.arn}/*`],
        conditions: [{ test: "StringEquals", variable: "AWS:SourceArn", values: [distributionArn] }],
      });
    }
    return statements;
  }

  /** Replication to the DR replica: a role S3 assumes, scoped to the two buckets and their keys. */
  private replicate(name: string, replication: AssetReplication, args: AssetBucketArgs, source: PrivateBucket): pulumi.Output<string> {
    return replicateToDr(name, source, {
      destinationBucketArn: replication.destinationBucketArn,
      kms: { sourceKeyArn: args.kmsKeyArn, destinationKeyArn: replication.destinationKmsKeyArn },
      replicationTimeControl: replication.replicationTimeControl ?? false,
      replicateDeleteMarkers: replication.replicateDeleteMarkers ?? true,
    }, args.transforms, this);
  }
}

function validateAssetArgs(name: string, args: AssetBucketArgs): AssetSettings {
  const check = new ArgsChecker(`AssetBucket ${name}`);
  checkName(check, name);
  const tier = tierOf(check, args.tier);
  if (typeof args.kmsKeyArn === "string") {
    check.require(KMS_KEY_ARN.test(args.kmsKeyArn), "kmsKeyArn", args.kmsKeyArn,
      `kmsKeyArn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got "${args.kmsKeyArn}"`);
  }
  check.require((args.accessLogs as AssetAccessLogs | undefined)?.bucket !== undefined, "accessLogs.bucket", undefined,
    "accessLogs.bucket is required: the LogBucket in this region that receives S3 server access logs");
  const accessLogPrefix = args.accessLogs.prefix ?? `${LOG_PREFIXES.s3Access}${name}/`;
  check.require(accessLogPrefix.startsWith(LOG_PREFIXES.s3Access) && accessLogPrefix.endsWith("/"), "accessLogs.prefix", accessLogPrefix,
    `accessLogs.prefix must start with "${LOG_PREFIXES.s3Access}" (the only prefix a LogBucket admits S3 access logs under) and end with "/", got "${accessLogPrefix}"`);
  const noncurrentDays = wholeDays(check, "noncurrentVersionExpirationDays", args.noncurrentVersionExpirationDays ?? 90, 1, 3650);
  const destinationKey = args.replication?.destinationKmsKeyArn;
  if (typeof destinationKey === "string") {
    check.require(destinationKey !== args.kmsKeyArn, "replication.destinationKmsKeyArn", destinationKey,
      "replication.destinationKmsKeyArn is the source bucket's key; the replica needs its own key in the DR region (the DR KeyRing's assets key)");
    check.require(KMS_KEY_ARN.test(destinationKey), "replication.destinationKmsKeyArn", destinationKey,
      `replication.destinationKmsKeyArn must be a KMS key ARN (its region scopes the replica's encryption), got "${destinationKey}"`);
  }
  return { tier, noncurrentDays, accessLogPrefix };
}

// ---------------------------------------------------------------------------------------------
// LogBucket

export interface LogBucketArgs {
  /**
   * The stack's tier; only `dev` lets `pulumi destroy` empty the bucket (forceDestroy).
   * @default "prod"
   */
  tier?: Tier;
  /**
   * Days a log object is kept. Logs hold client IP addresses (personal data under the GDPR, so
   * not kept forever) and audit trails (PCI DSS 10.5.1 asks for 12 months).
   * @default 365
   */
  retentionDays?: number;
  /**
   * Move logs to S3 Standard-IA after this many days (at least 30; skipped when not below
   * retentionDays).
   * @default 30
   */
  infrequentAccessAfterDays?: number;
  /**
   * Move logs to Glacier Instant Retrieval (still readable in milliseconds) after this many days
   * (at least 30 after the Standard-IA move; skipped when not below retentionDays).
   * @default 90
   */
  archiveAfterDays?: number;
  /**
   * Days an overwritten or expired log version survives before it is deleted for good.
   * @default 30
   */
  noncurrentVersionExpirationDays?: number;
  /**
   * The deliveries the bucket policy admits: `alb` (ALB access logs), `s3-access` (S3 server
   * access logs), `cloudfront` (CloudFront standard logging v2).
   * @default ["alb", "s3-access", "cloudfront"]
   */
  sources?: readonly LogSource[];
  /**
   * Cross-region replication to a replica log bucket in the DR region, so that audit logs survive
   * the loss or tampering of this region's copy (PCI DSS 10.5.1). Give the replica the same
   * retention and transitions: S3 replicates objects, not lifecycle.
   * @default undefined (no replication)
   */
  replication?: LogReplication;
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  transforms?: LogBucketTransforms;
}

export interface LogReplication {
  /**
   * ARN of the replica bucket in the DR region: another LogBucket created with the DR provider,
   * with `sources: []` (nothing delivers to it directly) and this bucket's lifecycle. Log buckets use
   * SSE-S3, so the replication needs no KMS key.
   */
  destinationBucketArn: pulumi.Input<string>;
  /**
   * Replicate delete markers. Off by default: a log deleted here stays current in the replica,
   * which is the point of keeping a second copy of audit logs. (Lifecycle expirations are never
   * replicated; the replica's own lifecycle expires its copies.)
   * @default false
   */
  replicateDeleteMarkers?: boolean;
}

/** Changes to a LogBucket's children: the bucket's settings and, with `replication`, the replication's. */
export type LogBucketTransforms = BucketTransforms & ReplicationTransforms;

/**
 * The region's log bucket: ALB access logs, S3 server access logs and CloudFront standard logs
 * (v2) land here. Encrypted with SSE-S3 because ALB access logs and S3 server access logs support
 * no other default encryption; ACLs disabled, TLS 1.2+ only, versioned, expired on a schedule.
 *
 * @example
 * ```ts
 * const logs = new LogBucket("shop-prod-logs", { tier: "prod", retentionDays: 400 }, { provider: primary });
 * new AssetBucket("shop-prod-assets", { ...assetArgs, accessLogs: { bucket: logs.bucketName } });
 * ```
 */
export class LogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  /** Pass as the ALB's `accessLogs.prefix`. */
  public readonly albLogPrefix: string;
  /** S3 server access logs go below this prefix. */
  public readonly s3AccessLogPrefix: string;
  /** CloudFront's v2 delivery destination: `<bucketArn>/<cloudFrontLogPrefix>`. */
  public readonly cloudFrontLogPrefix: string;
  public readonly policyId: pulumi.Output<string>;
  /** The IAM role S3 replicates with; undefined without replication. */
  public readonly replicationRoleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: LogBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("shop:storage:LogBucket", name, {}, opts);
    const settings = validateLogArgs(name, args);

    const target = privateBucket(name, {
      forceDestroy: settings.tier === "dev",
      dataClass: "logs",
      encryption: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] },
    }, args.transforms, this);
    this.expireLogs(name, target, settings, args.transforms);
    const policy = bucketPolicy(name, target, this.policyStatements(target, settings.sources), args.transforms, this);
    this.replicationRoleArn = args.replication === undefined ? undefined : replicateToDr(name, target, {
      destinationBucketArn: args.replication.destinationBucketArn,
      kms: undefined,
      replicationTimeControl: false,
      replicateDeleteMarkers: args.replication.replicateDeleteMarkers ?? false,
    }, args.transforms, this);

    this.bucketName = target.bucket.id;
    this.bucketArn = target.bucket.arn;
    this.albLogPrefix = LOG_PREFIXES.alb;
    this.s3AccessLogPrefix = LOG_PREFIXES.s3Access;
    this.cloudFrontLogPrefix = LOG_PREFIXES.cloudFront;
    this.policyId = policy.id;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      albLogPrefix: this.albLogPrefix,
      s3AccessLogPrefix: this.s3AccessLogPrefix,
      cloudFrontLogPrefix: this.cloudFrontLogPrefix,
      policyId: this.policyId,
      replicationRoleArn: this.replicationRoleArn,
    });
  }

  /** Logs move to cheaper storage classes, then expire after `retentionDays`. */
  private expireLogs(name: string, target: PrivateBucket, settings: LogSettings, transforms: LogBucketTransforms | undefined): void {
    lifecycleRules(name, target, [
      {
        id: "expire-logs",
        status: "Enabled",
        filter: {},
        transitions: settings.transitions,
        expiration: { days: settings.retentionDays },
        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      REMOVE_EXPIRED_DELETE_MARKERS,
    ], transforms, this);
  }

  /** TLS only, and writes by each admitted log delivery under its own prefix. */
  private policyStatements(target: PrivateBucket, sources: readonly LogSource[]): PolicyStatement[] {
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    return [...tlsOnlyStatements(target.bucket.arn), ...deliveryStatements(target.bucket.arn, account, partition, sources)];
  }
}

/** One statement set per log delivery, each limited to its own prefix and, where AWS sends them, to this account. */
function deliveryStatements(
  bucketArn: pulumi.Output<string>,
  account: pulumi.Output<string>,
  partition: pulumi.Output<string>,
  sources: readonly LogSource[],
): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const sourceAccount = { test: "StringEquals", variable: "aws:SourceAccount", values: [account] };
  if (sources.includes("alb")) {
    // ELB's log-delivery service principal; the legacy per-region ELB accounts are not needed.
    statements.push({
      sid: "AlbAccessLogsWrite",
      principals: [{ type: "Service", identifiers: ["logdelivery.elasticloadbalancing.amazonaws.com"] }],
      actions: ["s3:PutObject"],
      resources: [pulumi.interpolate`${bucketArn}/${LOG_PREFIXES.alb}/AWSLogs/${account}/*`],
    });
  }
  if (sources.includes("s3-access")) {
    statements.push({
      sid: "S3ServerAccessLogsWrite",
      principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
      actions: ["s3:PutObject"],
      resources: [pulumi.interpolate`${bucketArn}/${LOG_PREFIXES.s3Access}*`],
      conditions: [sourceAccount],
    });
  }
  if (sources.includes("cloudfront")) {
    // CloudFront's log delivery source lives in the edge region, so its deliveries carry that region's source ARN.
    const deliverySource = { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:logs:${EDGE_REGION}:${account}:*`] };
    const logDelivery = [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }];
    statements.push(
      {
        sid: "CloudFrontLogsWrite",
        principals: logDelivery,
        actions: ["s3:PutObject"],
        resources: [pulumi.interpolate`${bucketArn}/${LOG_PREFIXES.cloudFront}/*`],
        conditions: [sourceAccount, { test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }, deliverySource],
      },
      {
        sid: "CloudFrontLogsAclCheck",
        principals: logDelivery,
        actions: ["s3:GetBucketAcl", "s3:ListBucket"],
        resources: [bucketArn],
        conditions: [sourceAccount, deliverySource],
      },
    );
  }
  return statements;
}

interface LogSettings {
  tier: Tier;
  retentionDays: number;
  noncurrentDays: number;
  transitions: aws.types.input.s3.BucketLifecycleConfigurationRuleTransition[];
  sources: readonly LogSource[];
}

function validateLogArgs(name: string, args: LogBucketArgs): LogSettings {
  const check = new ArgsChecker(`LogBucket ${name}`);
  checkName(check, name);
  const tier = tierOf(check, args.tier);
  const retentionDays = wholeDays(check, "retentionDays", args.retentionDays ?? 365, 1, 3650);
  const noncurrentDays = wholeDays(check, "noncurrentVersionExpirationDays", args.noncurrentVersionExpirationDays ?? 30, 1, 3650);
  const transitions = logTransitions(check, args, retentionDays);
  const sources = args.sources ?? LOG_SOURCES;
  for (const source of sources as readonly unknown[]) {
    check.require((LOG_SOURCES as readonly unknown[]).includes(source), "sources", source,
      `unknown log source ${JSON.stringify(source)} in sources; expected any of ${LOG_SOURCES.join(", ")}`);
  }
  return { tier, retentionDays, noncurrentDays, transitions, sources };
}

/** Defaults drop out quietly when retention is too short for them; explicit values must fit. */
function logTransitions(check: ArgsChecker, args: LogBucketArgs, retentionDays: number): aws.types.input.s3.BucketLifecycleConfigurationRuleTransition[] {
  const transitions: aws.types.input.s3.BucketLifecycleConfigurationRuleTransition[] = [];
  const infrequent = wholeDays(check, "infrequentAccessAfterDays", args.infrequentAccessAfterDays ?? 30, 30, 3650);
  if (infrequent < retentionDays) transitions.push({ days: infrequent, storageClass: "STANDARD_IA" });
  else if (args.infrequentAccessAfterDays !== undefined) {
    check.reject("infrequentAccessAfterDays", infrequent, `infrequentAccessAfterDays (${infrequent}) must be below retentionDays (${retentionDays})`);
  }
  const archive = wholeDays(check, "archiveAfterDays", args.archiveAfterDays ?? 90, 1, 3650);
  check.require(archive >= infrequent + 30, "archiveAfterDays", archive,
    `archiveAfterDays (${archive}) must be at least 30 days after infrequentAccessAfterDays (${infrequent}); S3 refuses earlier moves out of Standard-IA`);
  if (archive < retentionDays) transitions.push({ days: archive, storageClass: "GLACIER_IR" });
  else if (args.archiveAfterDays !== undefined) {
    check.reject("archiveAfterDays", archive, `archiveAfterDays (${archive}) must be below retentionDays (${retentionDays})`);
  }
  return transitions;
}
