import { describe, expect, it } from "vitest";
import { initialConfigLayer, parsePackConfig, reconcileConfig } from "./evaluator/config.js";
import { GDPR_ARTICLES, PCI_DSS_V4 } from "./lib/compliance.js";
import { isStackPolicy } from "./lib/define.js";
import { initialConfig, PACK_NAME, PACK_VERSION, policies } from "./pack.js";
import { backupPolicies } from "./rules/backup.js";
import { cloudfrontPolicies } from "./rules/cloudfront.js";
import { computePolicies } from "./rules/compute.js";
import { governancePolicies } from "./rules/governance.js";
import { iamPolicies } from "./rules/iam.js";
import { iamScopingPolicies } from "./rules/iam-scoping.js";
import { kmsPolicies } from "./rules/kms.js";
import { loadBalancerPolicies } from "./rules/load-balancer.js";
import { targetGroupHttpsPolicies } from "./rules/target-group-https.js";
import { logReplicationPolicies } from "./rules/log-replication.js";
import { networkPolicies } from "./rules/network.js";
import { observabilityPolicies } from "./rules/observability.js";
import { opensearchPolicies } from "./rules/opensearch.js";
import { rdsPolicies } from "./rules/rds.js";
import { s3Policies } from "./rules/s3.js";
import { subnetPolicies } from "./rules/subnets.js";
import { wafPolicies } from "./rules/waf.js";
import { packConfigFor, RELAXATIONS, type StackProfile } from "./stack-profile.js";

const SERVICE_MODULES = [
  s3Policies, logReplicationPolicies, cloudfrontPolicies, wafPolicies, loadBalancerPolicies, targetGroupHttpsPolicies, computePolicies, rdsPolicies, opensearchPolicies,
  kmsPolicies, observabilityPolicies, backupPolicies, networkPolicies, subnetPolicies, iamPolicies, iamScopingPolicies, governancePolicies,
];

describe("the shop-guardrails pack", () => {
  it("is named, versioned from its package.json, and holds at least 40 policies", () => {
    expect(PACK_NAME).toMatch(/^[a-zA-Z0-9-_.]{1,100}$/);
    expect(PACK_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(policies.length).toBeGreaterThanOrEqual(40);
  });

  it("is exactly the service modules' policies, so every policy is covered by its module's cases", () => {
    expect(policies.map((policy) => policy.name)).toEqual(SERVICE_MODULES.flat().map((policy) => policy.name));
    // The only change the pack makes: a level a profile may lower runs at prod's (mandatory) by default.
    SERVICE_MODULES.flat().forEach((declared, index) => {
      const served = policies[index];
      if (served?.enforcementLevel === declared.enforcementLevel) expect(served, declared.name).toBe(declared);
      else expect(RELAXATIONS.some((relaxation) => relaxation.policy === declared.name && relaxation.enforcementLevel !== undefined), declared.name).toBe(true);
    });
  });

  it("has resource and stack policies with unique names, none called \"all\" (reserved)", () => {
    const names = policies.map((policy) => policy.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain("all");
    expect(policies.some(isStackPolicy)).toBe(true);
    expect(policies.some((policy) => !isStackPolicy(policy))).toBe(true);
  });

  it("gives every policy the metadata reports print", () => {
    for (const policy of policies) {
      expect(policy.description, policy.name).toMatch(/\.$/);
      expect(policy.remediationSteps.length, policy.name).toBeGreaterThan(20);
      expect(["mandatory", "advisory"], policy.name).toContain(policy.enforcementLevel);
      expect(["low", "medium", "high", "critical"], policy.name).toContain(policy.severity);
      expect(PCI_DSS_V4, policy.name).toHaveProperty([policy.compliance.pciDss]);
      expect(GDPR_ARTICLES, policy.name).toHaveProperty([policy.compliance.gdpr]);
      expect(policy.framework).toEqual({ name: "PCI DSS", version: "4.0", reference: policy.compliance.pciDss, specification: PCI_DSS_V4[policy.compliance.pciDss] });
      if (policy.enforcementLevel === "advisory") expect(policy.advisoryBecause, policy.name).toBeDefined();
      // The analyzer refuses a pack whose schema declares enforcementLevel.
      expect(Object.keys(policy.configSchema?.properties ?? {}), policy.name).not.toContain("enforcementLevel");
    }
  });

  it("has an initial config that its schemas accept", () => {
    const config = reconcileConfig(policies, "advisory", [initialConfigLayer(initialConfig)]);
    expect(config.get("required-tags")?.properties.tags).toEqual(["Project", "Environment", "Owner", "CostCenter"]);
    expect(config.get("log-group-retention")).toEqual({ enforcementLevel: "mandatory", properties: { minimumDays: 365 } });
  });
});

describe("a stack's policy config", () => {
  const profiles: Record<string, StackProfile> = {
    dev: { tier: "dev", allowedRegions: ["eu-west-1"], hasDomain: false },
    staging: { tier: "staging", allowedRegions: ["eu-west-1", "eu-central-1"], drRegion: "eu-central-1", hasDomain: true },
    prod: { tier: "prod", drRegion: "eu-central-1", hasDomain: true },
  };
  const resolved = (profile: StackProfile) => reconcileConfig(policies, "advisory", [initialConfigLayer(initialConfig), parsePackConfig(packConfigFor(profile), "derived")]);

  it("is accepted by every policy's schema", () => {
    for (const profile of Object.values(profiles)) expect(() => resolved(profile)).not.toThrow();
  });

  it("keeps dev's legitimate differences advisory and makes them mandatory where the tier or a domain requires", () => {
    const level = (stack: string, policy: string) => resolved(profiles[stack]!).get(policy)?.enforcementLevel;
    expect(["rds-multi-az", "opensearch-dedicated-masters", "cloudfront-origin-https", "alb-https-only"].map((policy) => level("dev", policy))).toEqual(["advisory", "advisory", "advisory", "advisory"]);
    expect(["rds-multi-az", "opensearch-dedicated-masters", "cloudfront-origin-https", "alb-https-only"].map((policy) => level("staging", policy))).toEqual(["mandatory", "advisory", "mandatory", "mandatory"]);
    expect(level("prod", "opensearch-dedicated-masters")).toBe("mandatory");
  });

  it("carries the residency regions and the DR region, and the tier's minimums", () => {
    const staging = resolved(profiles.staging!);
    expect(staging.get("data-residency")?.properties.allowedRegions).toEqual(["eu-west-1", "eu-central-1"]);
    expect(staging.get("rds-cross-region-replica")?.properties.drRegion).toBe("eu-central-1");
    expect(resolved(profiles.dev!).get("backup-cross-region-copy")?.properties.drRegion).toBe("");
    expect(resolved(profiles.prod!).get("data-residency")?.properties.allowedRegions).toEqual([]);
    expect(["dev", "staging", "prod"].map((stack) => resolved(profiles[stack]!).get("log-group-retention")?.properties.minimumDays)).toEqual([7, 30, 365]);
    expect(["dev", "prod"].map((stack) => resolved(profiles[stack]!).get("opensearch-logs")?.properties.requiredLogTypes)).toEqual([["ES_APPLICATION_LOGS"], ["AUDIT_LOGS", "ES_APPLICATION_LOGS"]]);
    expect(resolved(profiles.prod!).get("opensearch-dedicated-masters")).toEqual({ enforcementLevel: "mandatory", properties: { drRegion: "eu-central-1" } });
  });
});
