// The shop-guardrails pack: its policies (grouped by service under rules/), its metadata and its
// initial config. Only index.ts constructs the PolicyPack, because the constructor starts the
// analyzer's gRPC server; the offline evaluator and the tests import this module instead.
//
// Strict by default: with no config (`pulumi preview --policy-pack policies`, `shopctl policy check
// --from-export`) every policy runs at the level and with the settings it has for prod. Only a stack
// profile lowers them, through the relaxations listed in stack-profile.ts.
import type { PolicyPackConfig } from "@pulumi/policy";
import manifest from "./package.json" with { type: "json" };
import type { DeclaredEnforcement, ShopPolicy } from "./lib/define.js";
import { backupPolicies } from "./rules/backup.js";
import { cloudfrontPolicies } from "./rules/cloudfront.js";
import { computePolicies } from "./rules/compute.js";
import { governancePolicies } from "./rules/governance.js";
import { iamPolicies } from "./rules/iam.js";
import { iamScopingPolicies } from "./rules/iam-scoping.js";
import { kmsPolicies } from "./rules/kms.js";
import { loadBalancerPolicies } from "./rules/load-balancer.js";
import { logReplicationPolicies } from "./rules/log-replication.js";
import { networkPolicies } from "./rules/network.js";
import { observabilityPolicies } from "./rules/observability.js";
import { opensearchPolicies } from "./rules/opensearch.js";
import { rdsPolicies } from "./rules/rds.js";
import { s3Policies } from "./rules/s3.js";
import { subnetPolicies } from "./rules/subnets.js";
import { targetGroupHttpsPolicies } from "./rules/target-group-https.js";
import { wafPolicies } from "./rules/waf.js";
import { RELAXATIONS } from "./stack-profile.js";

export const PACK_NAME = "shop-guardrails";
export const PACK_VERSION: string = manifest.version;
export const PACK_DESCRIPTION =
  "Guardrails of shop-platform: PCI DSS v4.0 and GDPR controls for the e-commerce platform on AWS (edge, web tier, data stores, backups, observability, residency).";

/** The level of a policy that declares none (every policy declares one; strict all the same). */
export const PACK_ENFORCEMENT_LEVEL: DeclaredEnforcement = "mandatory";

/** Policies whose level a profile may lower: prod runs them mandatory, so the default does too. */
const LOWERED_BY_A_PROFILE = new Set(RELAXATIONS.filter((relaxation) => relaxation.enforcementLevel !== undefined).map((relaxation) => relaxation.policy));

/**
 * A policy at prod's level. A module may still declare such a policy advisory, with the reason dev
 * differs; that reason now lives with the relaxation, so it is dropped here.
 */
function atProdLevel(policy: ShopPolicy): ShopPolicy {
  if (!LOWERED_BY_A_PROFILE.has(policy.name) || policy.enforcementLevel === "mandatory") return policy;
  const { advisoryBecause: _reason, ...rest } = policy;
  return { ...rest, enforcementLevel: "mandatory" };
}

export const policies: readonly ShopPolicy[] = [
  ...s3Policies,
  ...logReplicationPolicies,
  ...cloudfrontPolicies,
  ...wafPolicies,
  ...loadBalancerPolicies,
  ...targetGroupHttpsPolicies,
  ...computePolicies,
  ...rdsPolicies,
  ...opensearchPolicies,
  ...kmsPolicies,
  ...observabilityPolicies,
  ...backupPolicies,
  ...networkPolicies,
  ...subnetPolicies,
  ...iamPolicies,
  ...iamScopingPolicies,
  ...governancePolicies,
].map(atProdLevel);

/**
 * The pack's initial config: this platform's choices where a policy's schema default is the
 * generic one. Applied after the schema defaults and before any config file, as the engine does.
 */
export const initialConfig: PolicyPackConfig = {
  "required-tags": { tags: ["Project", "Environment", "Owner", "CostCenter"] },
  "waf-managed-rule-groups": {
    requiredRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"],
  },
  // Prod's minimums, stated even where the schema default agrees, so the strict tier reads in one
  // place: PCI DSS's year of audit logs, a month of database backups, 35 days of recovery points,
  // and an audit trail of the search domain holding personal data.
  "log-group-retention": { minimumDays: 365 },
  "rds-backup-retention": { minimumDays: 30 },
  "backup-plan-retention": { minimumDays: 35 },
  "opensearch-logs": { requiredLogTypes: ["AUDIT_LOGS", "ES_APPLICATION_LOGS"] },
};

/** The policy with `name`, for reports that print its metadata. */
export function policyNamed(name: string): ShopPolicy | undefined {
  return policies.find((policy) => policy.name === name);
}
