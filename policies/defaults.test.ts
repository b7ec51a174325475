// Strict by default, relaxed by profile: with no config the pack judges a stack as it judges prod,
// and only a stack profile (dev, no domain) lowers a policy, each time with a stated reason.
import { describe, expect, it } from "vitest";
import { initialConfigLayer, parsePackConfig, reconcileConfig, type PackConfigLayer } from "./evaluator/config.js";
import { evaluate } from "./evaluator/evaluate.js";
import { initialConfig, PACK_NAME, PACK_VERSION, policies } from "./pack.js";
import { packConfigFor, relaxationsFor, type StackProfile } from "./stack-profile.js";
import { resource, withProviders } from "./testing.js";

const ALB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/abc";

/** What a stack without a domain declares: an ALB whose only listener forwards plain HTTP, and CloudFront reaching it over HTTP. */
function plainHttpEdge() {
  return withProviders([
    resource("aws:lb/loadBalancer:LoadBalancer", "web-alb", {
      arn: ALB_ARN, id: ALB_ARN, loadBalancerType: "application", internal: false, securityGroups: ["sg-alb"],
      accessLogs: { bucket: "shop-alb-logs", enabled: true }, dropInvalidHeaderFields: true, enableDeletionProtection: true,
    }),
    resource("aws:lb/listener:Listener", "http", { loadBalancerArn: ALB_ARN, port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "arn:tg" }] }),
    resource("aws:cloudfront/distribution:Distribution", "cdn", {
      id: "E2ABCDEF", enabled: true, webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/1",
      origins: [{ originId: "alb", domainName: "shop-dev-123.eu-west-1.elb.amazonaws.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "http-only", originSslProtocols: ["TLSv1.2"] } }],
      defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
      viewerCertificate: { cloudfrontDefaultCertificate: true },
    }, { region: "us-east-1" }),
  ]);
}

const EDGE_POLICIES = ["alb-https-only", "cloudfront-origin-https", "cloudfront-custom-certificate"];

async function edgeLevels(layers: PackConfigLayer[]): Promise<Record<string, string[]>> {
  const evaluation = await evaluate(plainHttpEdge(), { pack: { name: PACK_NAME, version: PACK_VERSION }, policies, initialConfig, configLayers: layers });
  const levels: Record<string, string[]> = {};
  for (const finding of evaluation.findings) {
    if (!EDGE_POLICIES.includes(finding.policy)) continue;
    // alb-https-only reports both the missing HTTPS listener and the plain-HTTP one: the levels matter, not the count.
    const seen = (levels[finding.policy] ??= []);
    if (!seen.includes(finding.enforcementLevel)) seen.push(finding.enforcementLevel);
  }
  return levels;
}

const profiles = {
  dev: { tier: "dev", allowedRegions: ["eu-west-1"], hasDomain: false },
  staging: { tier: "staging", allowedRegions: ["eu-west-1", "eu-central-1"], drRegion: "eu-central-1", hasDomain: true },
  prod: { tier: "prod", drRegion: "eu-central-1", hasDomain: true },
  // A prod stack that has not got its domain yet: only the edge relaxes.
  prodWithoutDomain: { tier: "prod", hasDomain: false },
} satisfies Record<string, StackProfile>;

const derived = (profile: StackProfile): PackConfigLayer => parsePackConfig(packConfigFor(profile), "derived");
const resolved = (layers: PackConfigLayer[]) => reconcileConfig(policies, "mandatory", [initialConfigLayer(initialConfig), ...layers]);

describe("with no config, the pack is prod's", () => {
  it("a plain-HTTP listener that forwards traffic and a plain-HTTP CloudFront origin are mandatory violations", async () => {
    expect(await edgeLevels([])).toEqual({
      "alb-https-only": ["mandatory"],
      "cloudfront-origin-https": ["mandatory"],
      "cloudfront-custom-certificate": ["mandatory"],
    });
  });

  it("every policy has the level and the settings it has for prod (the stack's own regions aside)", () => {
    const noConfig = resolved([]);
    // drRegion and allowedRegions are facts about one stack, not strictness: without them the DR and residency policies stay as their schemas say.
    const prod = resolved([derived({ tier: "prod", hasDomain: true })]);
    expect(Object.fromEntries(noConfig)).toEqual(Object.fromEntries(prod));
    expect(noConfig.get("rds-backup-retention")?.properties.minimumDays).toBe(30);
    expect(noConfig.get("log-group-retention")?.properties.minimumDays).toBe(365);
    expect(noConfig.get("opensearch-dedicated-masters")?.enforcementLevel).toBe("mandatory");
  });

  it("declares every policy mandatory except the ones advisory in prod too", () => {
    const advisory = policies.filter((policy) => policy.enforcementLevel !== "mandatory").map((policy) => policy.name).sort();
    expect(advisory).toEqual(["data-class-tag", "s3-lifecycle-configured"]);
  });
});

describe("a profile relaxes only what it must, and says why", () => {
  it("dev (no domain): the plain-HTTP listener and origin are advisory, for the stated reason", async () => {
    expect(await edgeLevels([derived(profiles.dev)])).toEqual({
      "alb-https-only": ["advisory"],
      "cloudfront-origin-https": ["advisory"],
      "cloudfront-custom-certificate": ["advisory"],
    });
    const reasons = new Map(relaxationsFor(profiles.dev).map((relaxation) => [relaxation.policy, relaxation.reason]));
    for (const policy of EDGE_POLICIES) expect(reasons.get(policy), policy).toMatch(/no domain/);
  });

  it("a prod stack without a domain relaxes the edge and nothing else", async () => {
    expect(await edgeLevels([derived(profiles.prodWithoutDomain)])).toEqual({
      "alb-https-only": ["advisory"],
      "cloudfront-origin-https": ["advisory"],
      "cloudfront-custom-certificate": ["advisory"],
    });
    expect(relaxationsFor(profiles.prodWithoutDomain).map((relaxation) => relaxation.policy).sort()).toEqual([...EDGE_POLICIES].sort());
  });

  it("a stack with a domain keeps the edge policies mandatory", async () => {
    expect(await edgeLevels([derived(profiles.staging)])).toEqual({
      "alb-https-only": ["mandatory"],
      "cloudfront-origin-https": ["mandatory"],
      "cloudfront-custom-certificate": ["mandatory"],
    });
  });

  it("prod relaxes nothing: its config carries only the stack's regions", () => {
    expect(relaxationsFor(profiles.prod)).toEqual([]);
    expect(packConfigFor(profiles.prod)).toEqual({
      "opensearch-dedicated-masters": { drRegion: "eu-central-1" },
      "rds-cross-region-replica": { drRegion: "eu-central-1" },
      "rds-backups-replicated-to-dr": { drRegion: "eu-central-1" },
      "backup-cross-region-copy": { drRegion: "eu-central-1" },
      "log-buckets-replicated-to-dr": { drRegion: "eu-central-1" },
    });
  });

  it("dev and staging relax the tier's levels and retention lengths, each with a reason", () => {
    const relaxed = (profile: StackProfile) => relaxationsFor(profile).map((relaxation) => relaxation.policy).sort();
    expect(relaxed(profiles.dev)).toEqual([
      "alb-deletion-protection", "alb-https-only", "backup-plan-retention", "cloudfront-custom-certificate", "cloudfront-origin-https",
      "log-group-retention", "opensearch-dedicated-masters", "opensearch-logs", "opensearch-zone-awareness", "rds-backup-retention",
      "rds-deletion-protection", "rds-multi-az", "target-group-https",
    ]);
    expect(relaxed(profiles.staging)).toEqual(["backup-plan-retention", "log-group-retention", "opensearch-dedicated-masters", "opensearch-logs", "rds-backup-retention", "target-group-https"]);
    for (const relaxation of [...relaxationsFor(profiles.dev), ...relaxationsFor(profiles.staging)]) expect(relaxation.reason.length, relaxation.policy).toBeGreaterThan(30);
  });

  it("every relaxation is one: a lower level, a shorter minimum or fewer required log types than with no config", () => {
    const strict = resolved([]);
    for (const profile of [profiles.dev, profiles.staging, profiles.prodWithoutDomain]) {
      const config = resolved([derived(profile)]);
      for (const { policy } of relaxationsFor(profile)) {
        const before = strict.get(policy);
        const after = config.get(policy);
        expect(after, policy).not.toEqual(before);
        if (after?.enforcementLevel !== before?.enforcementLevel) expect([before?.enforcementLevel, after?.enforcementLevel], policy).toEqual(["mandatory", expect.stringMatching(/^(advisory|disabled)$/) as unknown]);
        const { minimumDays, requiredLogTypes } = after?.properties ?? {};
        if (typeof minimumDays === "number") expect(minimumDays, policy).toBeLessThanOrEqual(before?.properties.minimumDays as number);
        if (Array.isArray(requiredLogTypes)) expect(before?.properties.requiredLogTypes, policy).toEqual(expect.arrayContaining(requiredLogTypes));
      }
    }
  });
});
