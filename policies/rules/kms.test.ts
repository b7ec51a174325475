import { describe } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { kmsPolicies } from "./kms.js";

const ROOT = { Sid: "AccountRoot", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };
const LOGS = {
  Sid: "CloudWatchLogs", Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" }, Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], Resource: "*",
  Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:*" } },
};
const VIA_EBS = {
  Sid: "EbsForAccount", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:CreateGrant", "kms:Decrypt"], Resource: "*",
  Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "ec2.eu-west-1.amazonaws.com" } },
};
const policyOf = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const key = (overrides: Record<string, unknown> = {}) =>
  resource("aws:kms/key:Key", "logs-key", { description: "logs", enableKeyRotation: true, policy: policyOf(ROOT, LOGS, VIA_EBS), ...overrides });

describe("KMS policies", () => {
  describePolicies(kmsPolicies, {
    "kms-key-rotation": {
      passing: [
        { label: "rotation on", resources: () => [key()] },
        { label: "not applicable to an asymmetric signing key", resources: () => [key({ enableKeyRotation: false, customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })] },
      ],
      violating: [{ label: "rotation off", resources: () => [key({ enableKeyRotation: false })], message: /does not rotate automatically/ }],
    },
    "kms-no-wildcard-principal": {
      passing: [
        { label: "named principals and a wildcard pinned by kms:CallerAccount", resources: () => [key()] },
        { label: "no policy (the default key policy)", resources: () => [key({ policy: undefined })] },
        { label: "a separate key policy", resources: () => [resource("aws:kms/keyPolicy:KeyPolicy", "db-key-policy", { keyId: "k", policy: policyOf(ROOT) })] },
      ],
      violating: [
        { label: "Principal *", resources: () => [key({ policy: policyOf(ROOT, { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }) })], message: /allows any principal \("\*"\) without pinning the caller's account: Anyone/ },
        { label: "AWS * in a separate key policy", resources: () => [resource("aws:kms/keyPolicy:KeyPolicy", "db-key-policy", { keyId: "k", policy: policyOf({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "kms:*", Resource: "*" }) })], message: /statement 1/ },
        { label: "an unreadable policy", resources: () => [key({ policy: "not json" })], message: /not a readable policy document/ },
      ],
    },
  });
});
