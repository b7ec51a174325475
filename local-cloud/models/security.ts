import type { ModelTable, ResourceContext } from "../resource-model.js";
import { kmsKeyArnOf, parseArn } from "./shared.js";

// KMS, IAM, Secrets Manager and SSM Parameter Store.

/** The key policy AWS attaches when CreateKey gets none: the account root may do everything. */
function defaultKeyPolicy(r: ResourceContext): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "key-default-1",
    Statement: [
      {
        Sid: "Enable IAM User Permissions",
        Effect: "Allow",
        Principal: { AWS: r.arn("iam", "root", { region: "" }) },
        Action: "kms:*",
        Resource: "*",
      },
    ],
  });
}

function iamPath(r: ResourceContext): string {
  return r.inputs.string("path") ?? "/";
}

/** IAM unique ids: a 4-letter kind prefix (AROA role, ANPA policy, AIPA instance profile) + 17. */
function iamUniqueId(r: ResourceContext, prefix: string): string {
  return `${prefix}${r.upper(17, "unique-id")}`;
}

export const securityModels: ModelTable = {
  "aws:kms/key:Key": {
    tagged: true,
    defaults: {
      bypassPolicyLockoutSafetyCheck: false,
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: false,
      isEnabled: true,
      keyUsage: "ENCRYPT_DECRYPT",
      multiRegion: false,
    },
    create(r) {
      const keyId = r.inputs.boolean("multiRegion") === true ? `mrk-${r.hex(32, "key-id")}` : r.uuid("key-id");
      const rotation = r.inputs.boolean("enableKeyRotation") === true;
      return {
        id: keyId,
        outputs: {
          keyId,
          arn: r.arn("kms", `key/${keyId}`),
          policy: r.inputs.string("policy") ?? defaultKeyPolicy(r),
          ...(rotation && !r.inputs.has("rotationPeriodInDays") ? { rotationPeriodInDays: 365 } : {}),
        },
      };
    },
  },
  "aws:kms/replicaKey:ReplicaKey": {
    tagged: true,
    defaults: { bypassPolicyLockoutSafetyCheck: false, enabled: true },
    create(r) {
      // A replica shares its primary's multi-Region key id; only the ARN's region differs.
      const primary = parseArn(r.inputs.string("primaryKeyArn"));
      const keyId = primary?.resource.replace(/^key\//, "") ?? `mrk-${r.hex(32, "key-id")}`;
      return {
        id: keyId,
        outputs: {
          keyId,
          arn: r.arn("kms", `key/${keyId}`),
          keyRotationEnabled: false,
          keySpec: "SYMMETRIC_DEFAULT",
          keyUsage: "ENCRYPT_DECRYPT",
          policy: r.inputs.string("policy") ?? defaultKeyPolicy(r),
        },
      };
    },
  },
  "aws:kms/alias:Alias": {
    autoName: { property: "name", prefixProperty: "namePrefix", fixedPrefix: "alias/", maxLength: 256 },
    create(r) {
      return {
        id: r.physicalName,
        outputs: {
          arn: r.arn("kms", r.physicalName),
          targetKeyArn: kmsKeyArnOf(r, r.inputs.string("targetKeyId")),
        },
      };
    },
  },
  "aws:kms/keyPolicy:KeyPolicy": {
    defaults: { bypassPolicyLockoutSafetyCheck: false },
    create(r) {
      return { id: r.inputs.string("keyId") ?? r.uuid("key-id") };
    },
  },

  "aws:iam/role:Role": {
    scope: "global",
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 64 },
    defaults: { description: "", forceDetachPolicies: false, maxSessionDuration: 3600, path: "/" },
    create(r) {
      return {
        id: r.physicalName,
        outputs: {
          arn: r.globalArn("iam", `role${iamPath(r)}${r.physicalName}`),
          uniqueId: iamUniqueId(r, "AROA"),
          createDate: r.createdAt,
        },
      };
    },
  },
  "aws:iam/policy:Policy": {
    scope: "global",
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 128 },
    defaults: { description: "", path: "/" },
    create(r) {
      const arn = r.globalArn("iam", `policy${iamPath(r)}${r.physicalName}`);
      return { id: arn, outputs: { arn, policyId: iamUniqueId(r, "ANPA"), attachmentCount: 0 } };
    },
  },
  "aws:iam/rolePolicy:RolePolicy": {
    scope: "global",
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 128 },
    create(r) {
      return { id: `${r.inputs.string("role") ?? ""}:${r.physicalName}` };
    },
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    scope: "global",
    create(r) {
      // Terraform's PrefixedUniqueId: "<role>-" followed by a 26-digit timestamp+counter.
      return { id: `${r.inputs.string("role") ?? ""}-${r.digits(26)}` };
    },
  },
  "aws:iam/instanceProfile:InstanceProfile": {
    scope: "global",
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 128 },
    defaults: { path: "/" },
    create(r) {
      return {
        id: r.physicalName,
        outputs: {
          arn: r.globalArn("iam", `instance-profile${iamPath(r)}${r.physicalName}`),
          uniqueId: iamUniqueId(r, "AIPA"),
          createDate: r.createdAt,
        },
      };
    },
  },
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": {
    scope: "global",
    tagged: true,
    create(r) {
      const service = r.inputs.string("awsServiceName") ?? "service.amazonaws.com";
      const suffix = r.inputs.string("customSuffix");
      const pascal = service
        .replace(/\.amazonaws\.com$/, "")
        .split(/[.-]/)
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");
      const name = `AWSServiceRoleFor${pascal}${suffix === undefined ? "" : `_${suffix}`}`;
      const path = `/aws-service-role/${service}/`;
      const arn = r.globalArn("iam", `role${path}${name}`);
      return { id: arn, outputs: { arn, name, path, uniqueId: iamUniqueId(r, "AROA"), createDate: r.createdAt } };
    },
  },

  "aws:secretsmanager/secret:Secret": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 512 },
    defaults: { forceOverwriteReplicaSecret: false, recoveryWindowInDays: 30 },
    create(r) {
      // Secrets Manager appends a hyphen and six random characters to every secret ARN.
      const arn = r.arn("secretsmanager", `secret:${r.physicalName}-${r.lower(6, "arn-suffix")}`);
      return { id: arn, outputs: { arn } };
    },
  },
  "aws:secretsmanager/secretVersion:SecretVersion": {
    create(r) {
      const versionId = r.uuid("version");
      const secretId = r.required("secretId");
      const named = r.inventory.find("aws:secretsmanager/secret:Secret", (secret) => secret.state.name === secretId)?.state.arn;
      const arn =
        r.inventory.stringOf(secretId, "arn") ??
        (typeof named === "string" ? named : undefined) ??
        (secretId.startsWith("arn:") ? secretId : r.arn("secretsmanager", `secret:${secretId}-${r.lower(6, "arn-suffix")}`));
      return {
        id: `${arn}|${versionId}`,
        outputs: { arn, versionId, versionStages: r.inputs.strings("versionStages").length > 0 ? r.inputs.strings("versionStages") : ["AWSCURRENT"] },
      };
    },
  },
  "aws:secretsmanager/secretPolicy:SecretPolicy": {
    create(r) {
      return { id: r.required("secretArn") };
    },
  },
  "aws:secretsmanager/secretRotation:SecretRotation": {
    create(r) {
      return { id: r.required("secretId"), outputs: { rotationEnabled: true } };
    },
  },

  "aws:ssm/parameter:Parameter": {
    tagged: true,
    autoName: { property: "name", maxLength: 2048 },
    defaults: { dataType: "text", tier: "Standard" },
    create(r) {
      return {
        id: r.physicalName,
        outputs: { arn: r.arn("ssm", `parameter/${r.physicalName.replace(/^\//, "")}`), version: 1 },
      };
    },
  },
};
