import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { AssetBucketArgs, LogBucketArgs } from "./buckets.js";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-8444-555555555555";
const DR_KEY = "arn:aws:kms:eu-central-1:123456789012:key/66666666-7777-4888-9999-000000000000";
const DISTRIBUTION = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL";

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function policyOf(resources: CollectedResource[], type: string, name?: string): Statement[] {
  return (JSON.parse(String(findResource(resources, type, name).inputs.policy)) as { Statement: Statement[] }).Statement;
}

function bySid(statements: Statement[], sid: string): Statement {
  const found = statements.find((statement) => statement.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}; have ${statements.map((s) => s.Sid ?? "?").join(", ")}`);
  return found;
}

const baseAssets: AssetBucketArgs = { kmsKeyArn: KEY, accessLogs: { bucket: "logs-bucket-1234567" }, distributionArn: DISTRIBUTION };

async function assets(args: AssetBucketArgs = baseAssets, name = "assets") {
  return runUnderMocks(
    async () => {
      const { AssetBucket } = await import("./buckets.js");
      const provider = new aws.Provider("primary", { region: "eu-west-1", defaultTags: { tags: { Project: "shop-platform" } } });
      const bucket = new AssetBucket(name, args, { provider });
      return { name: bucket.bucketName, arn: bucket.bucketArn, domain: bucket.bucketRegionalDomainName, role: bucket.replicationRoleArn ?? "none" };
    },
    { stack: "prod" },
  );
}

async function logs(args: LogBucketArgs = {}, name = "logs") {
  return runUnderMocks(
    async () => {
      const { LogBucket } = await import("./buckets.js");
      const provider = new aws.Provider("primary", { region: "eu-west-1" });
      const bucket = new LogBucket(name, args, { provider });
      return { name: bucket.bucketName, arn: bucket.bucketArn, alb: bucket.albLogPrefix, cloudFront: bucket.cloudFrontLogPrefix, role: bucket.replicationRoleArn ?? "none" };
    },
    { stack: "prod" },
  );
}

const BUCKET = "aws:s3/bucket:Bucket";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

describe("AssetBucket", () => {
  it("blocks public access, disables ACLs, encrypts with the assets key and keeps versions", async () => {
    const run = await assets();
    const component = findResource(run.resources, "shop:storage:AssetBucket");
    const bucket = findResource(run.resources, BUCKET);
    expect(bucket.parent).toBe(component.urn);
    expect(bucket.region).toBe("eu-west-1");
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(bucket.outputs.tagsAll).toEqual({ Project: "shop-platform", DataClass: "assets" });
    expect(findResource(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    });
    expect(findResource(run.resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(findResource(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY }, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] },
    ]);
    expect(findResource(run.resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    for (const child of run.resources.filter((resource) => resource.type.startsWith("aws:s3/"))) expect(child.parent, child.type).toBe(component.urn);
    expect(run.outputs.domain).toBe(`${run.outputs.name}.s3.eu-west-1.amazonaws.com`);
    expect(component.outputs).toMatchObject({ bucketName: run.outputs.name, bucketArn: run.outputs.arn });
  });

  it("expires noncurrent versions and logs server access into the log bucket's s3-access/ prefix", async () => {
    const run = await assets();
    const lifecycle = findResource(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
    expect(lifecycle[0]).toMatchObject({ status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } });
    expect(lifecycle[1]).toMatchObject({ expiration: { expiredObjectDeleteMarker: true } });
    expect(findResource(run.resources, "aws:s3/bucketLogging:BucketLogging").inputs).toMatchObject({
      targetBucket: "logs-bucket-1234567",
      targetPrefix: "s3-access/assets/",
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
    });
  });

  it("denies plain HTTP and TLS below 1.2, and lets only the one distribution read through OAC", async () => {
    const run = await assets();
    const arn = run.outputs.arn;
    const statements = policyOf(run.resources, POLICY);
    const insecure = bySid(statements, "DenyInsecureTransport");
    expect(insecure).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(list(insecure.Resource).sort()).toEqual([arn, `${arn}/*`]);
    expect(bySid(statements, "DenyOutdatedTls")).toMatchObject({ Effect: "Deny", Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } });
    const oac = bySid(statements, "AllowCloudFrontOriginAccessControl");
    expect(oac).toEqual({
      Sid: "AllowCloudFrontOriginAccessControl",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: `${arn}/*`,
      Principal: { Service: "cloudfront.amazonaws.com" },
      Condition: { StringEquals: { "AWS:SourceArn": DISTRIBUTION } },
    });
    // Nothing is allowed to everyone.
    expect(statements.filter((s) => s.Effect === "Allow" && (s.Principal === "*" || JSON.stringify(s.Principal).includes('"*"')))).toEqual([]);
  });

  it("gives CloudFront no read access without a distribution ARN (a replica)", async () => {
    const run = await assets({ kmsKeyArn: DR_KEY, accessLogs: { bucket: "dr-logs" } }, "assets-replica");
    expect(policyOf(run.resources, POLICY).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  it("lets destroy empty the bucket in dev only", async () => {
    const dev = await assets({ ...baseAssets, tier: "dev" });
    expect(findResource(dev.resources, BUCKET).inputs.forceDestroy).toBe(true);
    const staging = await assets({ ...baseAssets, tier: "staging" });
    expect(findResource(staging.resources, BUCKET).inputs.forceDestroy).toBe(false);
  });

  it("replicates to the DR replica with its own key, a scoped role and no RTC by default", async () => {
    const replicaArn = "arn:aws:s3:::assets-replica-bucket-7654321";
    const run = await assets({ ...baseAssets, replication: { destinationBucketArn: replicaArn, destinationKmsKeyArn: DR_KEY } });
    const arn = run.outputs.arn;
    const config = findResource(run.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    const role = findResource(run.resources, "aws:iam/role:Role");
    expect(config.inputs.role).toBe(role.outputs.arn);
    expect(run.outputs.role).toBe(role.outputs.arn);
    const [rule] = config.inputs.rules as Record<string, unknown>[];
    expect(rule).toMatchObject({
      status: "Enabled",
      deleteMarkerReplication: { status: "Enabled" },
      sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
      destination: { bucket: replicaArn, encryptionConfiguration: { replicaKmsKeyId: DR_KEY } },
    });
    expect((rule?.destination as Record<string, unknown>).replicationTime).toBeUndefined();

    const trust = (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: Statement[] }).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: "s3.amazonaws.com" }, Condition: { ArnLike: { "aws:SourceArn": arn }, StringEquals: { "aws:SourceAccount": "123456789012" } } });
    const permissions = policyOf(run.resources, "aws:iam/rolePolicy:RolePolicy");
    expect(bySid(permissions, "WriteReplica").Resource).toBe(`${replicaArn}/*`);
    expect(bySid(permissions, "DecryptSource")).toMatchObject({ Action: "kms:Decrypt", Resource: KEY, Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } });
    const encrypt = bySid(permissions, "EncryptReplica");
    expect(encrypt).toMatchObject({ Resource: DR_KEY, Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } } });
    expect(list(encrypt.Condition?.StringLike?.["kms:EncryptionContext:aws:s3:arn"]).sort()).toEqual([replicaArn, `${replicaArn}/*`]);
    expect(permissions.flatMap((s) => list(s.Action))).not.toContain("s3:*");
  });

  it("turns on replication time control and its metrics when asked", async () => {
    const run = await assets({ ...baseAssets, replication: { destinationBucketArn: "arn:aws:s3:::replica", destinationKmsKeyArn: DR_KEY, replicationTimeControl: true, replicateDeleteMarkers: false } });
    const [rule] = findResource(run.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules as Record<string, unknown>[];
    expect(rule).toMatchObject({
      deleteMarkerReplication: { status: "Disabled" },
      destination: { replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } },
    });
  });

  it("applies transform hooks to the bucket, lifecycle and policy", async () => {
    const run = await assets({
      ...baseAssets,
      transforms: {
        bucket: { bucket: "shop-prod-assets" },
        lifecycle: { rules: [{ id: "only", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 7 } }] },
        policyStatements: (statements) => [...statements, { sid: "Audit", principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/audit"] }], actions: ["s3:ListBucket"], resources: ["arn:aws:s3:::shop-prod-assets"] }],
      },
    });
    expect(run.outputs.name).toBe("shop-prod-assets");
    expect(findResource(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).toHaveLength(1);
    expect(bySid(policyOf(run.resources, POLICY), "Audit").Action).toBe("s3:ListBucket");
    expect(findResource(run.resources, "aws:s3/bucket:Bucket").inputs.tags).toMatchObject({ DataClass: "assets" });
  });

  it("lets a function transform rename a child, edit its args and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await assets({
      ...baseAssets,
      transforms: {
        logging: (args, opts, name) => {
          args.targetPrefix = "s3-access/custom/";
          opts.protect = true;
          seen.push(opts);
          return `${name}-v2`;
        },
      },
    });
    expect(findResource(run.resources, "aws:s3/bucketLogging:BucketLogging", "assets-logging-v2").inputs.targetPrefix).toBe("s3-access/custom/");
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });

  it.each<[string, AssetBucketArgs, string, RegExp]>([
    ["an upper-case name", baseAssets, "Assets", /AssetBucket Assets: the component name becomes the bucket's name and must be 2 to 41 lower-case/],
    ["an unknown tier", { ...baseAssets, tier: "qa" as never }, "assets", /tier must be dev, staging or prod, got "qa"/],
    ["a key id instead of an ARN", { ...baseAssets, kmsKeyArn: "alias/assets" }, "assets", /kmsKeyArn must be a KMS key ARN .*got "alias\/assets"/],
    ["no access log bucket", { kmsKeyArn: KEY } as AssetBucketArgs, "assets", /accessLogs.bucket is required/],
    ["a log prefix outside s3-access/", { ...baseAssets, accessLogs: { bucket: "logs", prefix: "assets/" } }, "assets", /accessLogs.prefix must start with "s3-access\/"/],
    ["zero noncurrent days", { ...baseAssets, noncurrentVersionExpirationDays: 0 }, "assets", /noncurrentVersionExpirationDays must be a whole number of days from 1 to 3650, got 0/],
    ["the source key for the replica", { ...baseAssets, replication: { destinationBucketArn: "arn:aws:s3:::r", destinationKmsKeyArn: KEY } }, "assets", /the replica needs its own key/],
    ["a replica key alias", { ...baseAssets, replication: { destinationBucketArn: "arn:aws:s3:::r", destinationKmsKeyArn: "alias/dr" } }, "assets", /replication.destinationKmsKeyArn must be a KMS key ARN/],
  ])("rejects %s with a clear error", async (_what, args, name, message) => {
    await expect(assets(args, name)).rejects.toThrow(message);
  });
});

describe("LogBucket", () => {
  it("uses SSE-S3 (what ALB and S3 access log delivery support), no ACLs, no public access and versioning", async () => {
    const run = await logs();
    const bucket = findResource(run.resources, BUCKET);
    expect(bucket.outputs.tagsAll).toMatchObject({ DataClass: "logs" });
    expect(bucket.inputs.forceDestroy).toBe(false);
    expect(findResource(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] },
    ]);
    expect(findResource(run.resources, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(findResource(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
    expect(findResource(run.resources, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    expect(run.outputs).toMatchObject({ alb: "alb", cloudFront: "cloudfront" });
  });

  it("expires logs after 12 months, moving them to cheaper classes on the way", async () => {
    const run = await logs();
    const [rule] = findResource(run.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
    expect(rule).toMatchObject({
      expiration: { days: 365 },
      transitions: [{ days: 30, storageClass: "STANDARD_IA" }, { days: 90, storageClass: "GLACIER_IR" }],
      noncurrentVersionExpiration: { noncurrentDays: 30 },
    });
  });

  it("drops default transitions that a short retention leaves no room for", async () => {
    const shortest = await logs({ retentionDays: 30, tier: "dev" });
    const [rule] = findResource(shortest.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
    expect(rule).toMatchObject({ expiration: { days: 30 }, transitions: [] });
    expect(findResource(shortest.resources, BUCKET).inputs.forceDestroy).toBe(true);
    const short = await logs({ retentionDays: 60 });
    const [middle] = findResource(short.resources, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules as Record<string, unknown>[];
    expect(middle?.transitions).toEqual([{ days: 30, storageClass: "STANDARD_IA" }]);
  });

  it("admits each log delivery only under its own prefix, scoped to this account", async () => {
    const run = await logs();
    const arn = run.outputs.arn;
    const statements = policyOf(run.resources, POLICY);
    expect(bySid(statements, "DenyInsecureTransport").Effect).toBe("Deny");
    expect(bySid(statements, "DenyOutdatedTls").Condition).toEqual({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    expect(bySid(statements, "AlbAccessLogsWrite")).toMatchObject({
      Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `${arn}/alb/AWSLogs/123456789012/*`,
    });
    expect(bySid(statements, "S3ServerAccessLogsWrite")).toMatchObject({
      Principal: { Service: "logging.s3.amazonaws.com" },
      Resource: `${arn}/s3-access/*`,
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    });
    expect(bySid(statements, "CloudFrontLogsWrite")).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Resource: `${arn}/cloudfront/*`,
      Condition: {
        StringEquals: { "aws:SourceAccount": "123456789012", "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" },
      },
    });
    expect(bySid(statements, "CloudFrontLogsAclCheck").Resource).toBe(arn);
  });

  it("admits only the sources it is given", async () => {
    const run = await logs({ sources: ["alb"] });
    expect(policyOf(run.resources, POLICY).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls", "AlbAccessLogsWrite"]);
    // A DR replica receives no delivery of its own, only replication.
    const replica = await logs({ sources: [] }, "logs-replica");
    expect(policyOf(replica.resources, POLICY).map((s) => s.Sid)).toEqual(["DenyInsecureTransport", "DenyOutdatedTls"]);
  });

  it("does not replicate by default", async () => {
    const run = await logs();
    expect(run.resources.filter((resource) => resource.type.startsWith("aws:iam/") || resource.type.includes("Replication"))).toEqual([]);
    expect(run.outputs.role).toBe("none");
  });

  it("replicates to the DR replica with a scoped role and no KMS (SSE-S3), keeping deleted logs in the replica", async () => {
    const replicaArn = "arn:aws:s3:::logs-replica-bucket-7654321";
    const run = await logs({ replication: { destinationBucketArn: replicaArn } });
    const config = findResource(run.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "logs-replication");
    const role = findResource(run.resources, "aws:iam/role:Role", "logs-replication");
    expect(config.inputs.bucket).toBe(run.outputs.name);
    expect(config.inputs.role).toBe(role.outputs.arn);
    expect(run.outputs.role).toBe(role.outputs.arn);
    expect(config.inputs.rules).toEqual([
      { id: "dr-replica", status: "Enabled", priority: 1, filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: replicaArn, storageClass: "STANDARD" } },
    ]);
    const trust = (JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: Statement[] }).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: "s3.amazonaws.com" }, Condition: { ArnLike: { "aws:SourceArn": run.outputs.arn } } });
    const permissions = policyOf(run.resources, "aws:iam/rolePolicy:RolePolicy");
    expect(permissions.map((s) => s.Sid)).toEqual(["ReadReplicationConfiguration", "ReadSourceVersions", "WriteReplica"]);
    expect(bySid(permissions, "WriteReplica").Resource).toBe(`${replicaArn}/*`);

    const withDeletes = await logs({ replication: { destinationBucketArn: replicaArn, replicateDeleteMarkers: true } });
    const [rule] = findResource(withDeletes.resources, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs.rules as Record<string, unknown>[];
    expect(rule?.deleteMarkerReplication).toEqual({ status: "Enabled" });
  });

  it("lets a function transform rename the policy and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await logs({
      transforms: {
        policy: (_args, opts, name) => {
          opts.protect = true;
          seen.push(opts);
          return `${name}-v2`;
        },
      },
    });
    expect(findResource(run.resources, POLICY, "logs-policy-v2").inputs.policy).toBeDefined();
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });

  it("applies transform hooks", async () => {
    const run = await logs({ transforms: { encryption: { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] } } });
    expect(findResource(run.resources, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } },
    ]);
    expect(findResources(run.resources, POLICY)).toHaveLength(1);
  });

  it.each<[string, LogBucketArgs, RegExp]>([
    ["no retention", { retentionDays: 0 }, /LogBucket logs: retentionDays must be a whole number of days from 1 to 3650, got 0/],
    ["a Standard-IA move before 30 days", { infrequentAccessAfterDays: 10 }, /infrequentAccessAfterDays must be a whole number of days from 30/],
    ["an archive move too soon after Standard-IA", { archiveAfterDays: 45 }, /archiveAfterDays \(45\) must be at least 30 days after infrequentAccessAfterDays \(30\)/],
    ["an explicit move after expiry", { retentionDays: 60, infrequentAccessAfterDays: 60 }, /infrequentAccessAfterDays \(60\) must be below retentionDays \(60\)/],
    ["an explicit archive after expiry", { retentionDays: 100, archiveAfterDays: 120 }, /archiveAfterDays \(120\) must be below retentionDays \(100\)/],
    ["an unknown source", { sources: ["vpc-flow" as never] }, /unknown log source "vpc-flow" in sources; expected any of alb, s3-access, cloudfront/],
  ])("rejects %s with a clear error", async (_what, args, message) => {
    await expect(logs(args)).rejects.toThrow(message);
  });
});
