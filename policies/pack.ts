// The shop-guardrails pack: its policies (grouped by service under rules/), its metadata and its
// initial config. Only index.ts constructs the PolicyPack, because the constructor starts the
// analyzer's gRPC server; the offline evaluator and the tests import this module instead.
import type { PolicyPackConfig } from "@pulumi/policy";
import manifest from "./package.json" with { type: "json" };
import type { ShopPolicy } from "./lib/define.js";
import { backupPolicies } from "./rules/backup.js";
import { cloudfrontPolicies } from "./rules/cloudfront.js";
import { computePolicies } from "./rules/compute.js";
import { governancePolicies } from "./rules/governance.js";
import { iamPolicies } from "./rules/iam.js";
import { kmsPolicies } from "./rules/kms.js";
import { loadBalancerPolicies } from "./rules/load-balancer.js";
import { networkPolicies } from "./rules/network.js";
import { observabilityPolicies } from "./rules/observability.js";
import { opensearchPolicies } from "./rules/opensearch.js";
import { rdsPolicies } from "./rules/rds.js";
import { s3Policies } from "./rules/s3.js";
import { wafPolicies } from "./rules/waf.js";

export const PACK_NAME = "shop-guardrails";
export const PACK_VERSION: string = manifest.version;
export const PACK_DESCRIPTION =
  "Guardrails of shop-platform: PCI DSS v4.0 and GDPR controls for the e-commerce platform on AWS (edge, web tier, data stores, backups, observability, residency).";

export const policies: readonly ShopPolicy[] = [
  ...s3Policies,
  ...cloudfrontPolicies,
  ...wafPolicies,
  ...loadBalancerPolicies,
  ...computePolicies,
  ...rdsPolicies,
  ...opensearchPolicies,
  ...kmsPolicies,
  ...observabilityPolicies,
  ...backupPolicies,
  ...networkPolicies,
  ...iamPolicies,
  ...governancePolicies,
];

/**
 * The pack's initial config: this platform's choices where a policy's schema default is the
 * generic one. Applied after the schema defaults and before any config file, as the engine does.
 */
export const initialConfig: PolicyPackConfig = {
  "required-tags": { tags: ["Project", "Environment", "Owner", "CostCenter"] },
  "waf-managed-rule-groups": {
    requiredRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"],
  },
};

/** The policy with `name`, for reports that print its metadata. */
export function policyNamed(name: string): ShopPolicy | undefined {
  return policies.find((policy) => policy.name === name);
}
