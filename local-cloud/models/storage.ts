import { s3HostedZoneId } from "../aws-facts.js";
import type { ModelTable, ResourceModel } from "../resource-model.js";

// S3 in @pulumi/aws v7: `aws:s3/bucket:Bucket` is the bucket (the old BucketV2 is deprecated) and
// every bucket setting is its own resource, identified by the bucket name.

/** A bucket-setting resource: its id is the bucket it configures. */
const bucketSetting: ResourceModel = {
  create(r) {
    return { id: r.required("bucket") };
  },
};

export const storageModels: ModelTable = {
  "aws:s3/bucket:Bucket": {
    tagged: true,
    autoName: { property: "bucket", prefixProperty: "bucketPrefix", maxLength: 63, lowercase: true },
    defaults: { forceDestroy: false, objectLockEnabled: false },
    create(r) {
      const bucket = r.physicalName;
      const { dnsSuffix } = r.partition;
      return {
        id: bucket,
        outputs: {
          arn: r.arn("s3", bucket, { region: "", account: "" }),
          bucketDomainName: `${bucket}.s3.${dnsSuffix}`,
          bucketRegionalDomainName: `${bucket}.s3.${r.region}.${dnsSuffix}`,
          bucketRegion: r.region,
          hostedZoneId: s3HostedZoneId(r.region),
          requestPayer: "BucketOwner",
          // The deprecated inline settings (versioning, serverSideEncryptionConfiguration, ...) are
          // left out: in v7 they belong to the separate bucket-setting resources.
        },
      };
    },
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    defaults: { blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false },
    create: bucketSetting.create,
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": bucketSetting,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": bucketSetting,
  "aws:s3/bucketVersioning:BucketVersioning": bucketSetting,
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": bucketSetting,
  "aws:s3/bucketPolicy:BucketPolicy": bucketSetting,
  "aws:s3/bucketLogging:BucketLogging": bucketSetting,
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": bucketSetting,
  "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": bucketSetting,
  "aws:s3/bucketNotification:BucketNotification": {
    defaults: { eventbridge: false },
    create: bucketSetting.create,
  },
  "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration": bucketSetting,
  "aws:s3/bucketAccelerateConfiguration:BucketAccelerateConfiguration": bucketSetting,
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    tagged: true,
    defaults: { forceDestroy: false, storageClass: "STANDARD" },
    create(r) {
      const bucket = r.inputs.string("bucket") ?? "";
      const key = r.inputs.string("key") ?? r.name;
      return {
        id: key,
        outputs: { arn: r.arn("s3", `${bucket}/${key}`, { region: "", account: "" }), etag: r.hex(32, "etag"), versionId: "" },
      };
    },
  },
  "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": {
    create(r) {
      const bucket = r.required("bucket");
      return {
        id: bucket,
        outputs: {
          websiteDomain: `s3-website-${r.region}.${r.dnsSuffix}`,
          websiteEndpoint: `${bucket}.s3-website-${r.region}.${r.dnsSuffix}`,
        },
      };
    },
  },
};

/** The v6 spellings that v7 deprecated, and what to use instead. */
export const deprecatedStorageTypes: Readonly<Record<string, string>> = {
  "aws:s3/bucketV2:BucketV2": "aws.s3.Bucket (aws:s3/bucket:Bucket)",
  "aws:s3/bucketVersioningV2:BucketVersioningV2": "aws.s3.BucketVersioning",
  "aws:s3/bucketLoggingV2:BucketLoggingV2": "aws.s3.BucketLogging",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
    "aws.s3.BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": "aws.s3.BucketLifecycleConfiguration",
  "aws:s3/bucketAclV2:BucketAclV2": "aws.s3.BucketAcl",
  "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2": "aws.s3.BucketCorsConfiguration",
  "aws:s3/bucketWebsiteConfigurationV2:BucketWebsiteConfigurationV2": "aws.s3.BucketWebsiteConfiguration",
  "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2": "aws.s3.BucketObjectLockConfiguration",
  "aws:s3/bucketAccelerateConfigurationV2:BucketAccelerateConfigurationV2": "aws.s3.BucketAccelerateConfiguration",
  "aws:s3/bucketRequestPaymentConfigurationV2:BucketRequestPaymentConfigurationV2":
    "aws.s3.BucketRequestPaymentConfiguration",
};
