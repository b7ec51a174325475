import { describe, expect, it } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { iamScopingPolicies, isAccountWideAction } from "./iam-scoping.js";

const document = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ASSUME_EC2 = document({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
const trust = (statement: object) => document({ Effect: "Allow", Action: "sts:AssumeRole", ...statement });

describe("IAM scoping policies", () => {
  describePolicies(iamScopingPolicies, {
    "iam-resource-scoped-actions": {
      passing: [
        { label: "describe/list-all reads on *, scoped reads on their ARNs", resources: () => [resource("aws:iam/rolePolicy:RolePolicy", "ops", { role: "ops", policy: document(
          { Sid: "ReadPlatformState", Effect: "Allow", Action: ["ec2:DescribeInstances", "autoscaling:Describe*", "cloudwatch:GetMetricData", "kms:ListAliases", "sts:GetCallerIdentity"], Resource: "*" },
          { Sid: "ReadDatabases", Effect: "Allow", Action: ["rds:DescribeDBInstances"], Resource: ["arn:aws:rds:eu-west-1:123456789012:db:shop-prod-db"] },
        ) })] },
        { label: "PutMetricData held to a namespace, and X-Ray", resources: () => [resource("aws:iam/policy:Policy", "agent", { policy: document(
          { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "Shop/WebTier" } } },
          { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:GetSamplingRules"], Resource: ["*"] },
        ) })] },
        { label: "a Deny on * is not a grant", resources: () => [resource("aws:iam/userPolicy:UserPolicy", "guard", { user: "ops", policy: document({ Effect: "Deny", Action: "rds:DeleteDBInstance", Resource: "*" }) })] },
        { label: "an account-scoped pattern is not *", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME_EC2, inlinePolicies: [{ name: "tags", policy: document({ Effect: "Allow", Action: "cloudwatch:ListTagsForResource", Resource: "arn:aws:cloudwatch:*:123456789012:alarm:*" }) }] })] },
      ],
      violating: [
        { label: "rds:Describe* and route53 reads on * (the ops role before scoping)", resources: () => [resource("aws:iam/rolePolicy:RolePolicy", "ops", { role: "ops", policy: document(
          { Sid: "ReadPlatformState", Effect: "Allow", Action: ["rds:Describe*", "route53:GetHealthCheck", "ec2:DescribeInstances"], Resource: "*" },
        ) })], message: /The inline role policy allows rds:Describe\*, route53:GetHealthCheck on Resource "\*" \(ReadPlatformState\): these actions support resource-level permissions/ },
        { label: "a single scopable action on * (Resource as a string)", resources: () => [resource("aws:iam/policy:Policy", "reader", { policy: document({ Effect: "Allow", Action: "backup:DescribeBackupVault", Resource: "*" }) })], message: /The policy allows backup:DescribeBackupVault on Resource "\*" \(statement 1\)/ },
        { label: "a service wildcard that is not wholly account-wide", resources: () => [resource("aws:iam/groupPolicy:GroupPolicy", "ops", { group: "ops", policy: document({ Sid: "AllEc2", Effect: "Allow", Action: "ec2:*", Resource: ["*"] }) })], message: /inline group policy allows ec2:\* on Resource "\*" \(AllEc2\)/ },
        { label: "in a role's inline policy", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME_EC2, inlinePolicies: [{ name: "search", policy: document({ Effect: "Allow", Action: ["es:DescribeDomain", "es:ListDomainNames"], Resource: "*" }) }] })], message: /Inline policy search allows es:DescribeDomain on Resource "\*"/ },
      ],
    },
    "iam-no-account-trust-without-condition": {
      passing: [
        { label: "the account with MFA, and a named CI role", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: document(
          { Sid: "AccountPrincipalsWithMfa", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
          { Sid: "TrustedAutomation", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::123456789012:role/shop-prod-deployer"] }, Action: "sts:AssumeRole" },
        ) })] },
        { label: "another account with an external id", resources: () => [resource("aws:iam/role:Role", "vendor", { assumeRolePolicy: trust({ Principal: { AWS: "210987654321" }, Condition: { StringEquals: { "sts:ExternalId": "shop-7f3a" } } }) })] },
        { label: "a service principal", resources: () => [resource("aws:iam/role:Role", "web", { assumeRolePolicy: ASSUME_EC2 })] },
      ],
      violating: [
        { label: "the account root without a condition", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: trust({ Sid: "Account", Principal: { AWS: "arn:aws:iam::123456789012:root" } }) })], message: /lets arn:aws:iam::123456789012:root assume the role with no condition \(Account\)/ },
        { label: "a bare account id among role ARNs", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: trust({ Principal: { AWS: ["arn:aws:iam::123456789012:role/ci", "210987654321"] } }) })], message: /lets 210987654321 assume the role with no condition \(statement 1\)/ },
        { label: "an empty Condition is no condition", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: trust({ Principal: { AWS: "arn:aws-us-gov:iam::123456789012:root" }, Condition: {} }) })], message: /lets arn:aws-us-gov:iam::123456789012:root assume the role/ },
        { label: "every account", resources: () => [resource("aws:iam/role:Role", "open", { assumeRolePolicy: trust({ Principal: { AWS: "*" } }) })], message: /lets \* assume the role with no condition/ },
      ],
    },
  });
});

describe("isAccountWideAction", () => {
  it("accepts listed actions and narrower patterns of a listed family, case-insensitively", () => {
    expect(isAccountWideAction("ec2:DescribeInstances")).toBe(true);
    expect(isAccountWideAction("EC2:describeinst*")).toBe(true);
    expect(isAccountWideAction("kms:ListAliases")).toBe(true);
  });

  it("refuses scopable actions and patterns broader than a listed entry", () => {
    expect(isAccountWideAction("rds:DescribeDBInstances")).toBe(false);
    expect(isAccountWideAction("ec2:*")).toBe(false);
    expect(isAccountWideAction("kms:List*")).toBe(false);
    expect(isAccountWideAction("route53:Get*")).toBe(false);
  });
});
