// A stack's policy config, derived from what the stack is: its tier, the regions its data
// residency allows, its DR region and whether it has a domain. `shopctl policy check --stack`
// applies it as the config file; `shopctl policy config --stack` writes it for the real CLI
// (`pulumi preview --policy-pack policies --policy-pack-config <file>`).
//
// The pack's own defaults are prod's (pack.ts): with no config a stack is judged as prod is. A
// profile lowers a policy only through RELAXATIONS below, each with the reason it is acceptable,
// so everything a dev stack is let off is listed in one place.
import type { PolicyPackConfig } from "@pulumi/policy";

export type StackTier = "dev" | "staging" | "prod";

/** What the pack needs to know about a stack (cli/ derives it from the validated stack config). */
export interface StackProfile {
  readonly tier: StackTier;
  /** Regions the stack's data may live in; undefined when its data residency is `any`. */
  readonly allowedRegions?: readonly string[] | undefined;
  /** The DR region; undefined when the stack's DR strategy is `none`. */
  readonly drRegion?: string | undefined;
  /** Whether the stack has its own domain (and so certificates for CloudFront and the ALB). */
  readonly hasDomain: boolean;
}

/** One way a profile lowers the pack's strict default: a level, or settings, or both. */
export interface Relaxation {
  readonly policy: string;
  /** The tiers it applies to, or "no domain": any tier whose stack has no domain of its own. */
  readonly when: readonly StackTier[] | "no domain";
  readonly enforcementLevel?: "advisory" | "disabled";
  /** Properties replacing the pack's (prod's) values, e.g. a shorter minimum. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly reason: string;
}

const NO_CERTIFICATE = "The stack has no domain, so it has no ACM certificate";
const BELOW_PROD = "Only prod holds real cardholder and personal data";

/** Everything a stack may be let off, and why. Nothing here applies to prod with a domain. */
export const RELAXATIONS: readonly Relaxation[] = [
  { policy: "cloudfront-custom-certificate", when: "no domain", enforcementLevel: "advisory", reason: `${NO_CERTIFICATE}: CloudFront can only serve its default *.cloudfront.net certificate.` },
  { policy: "cloudfront-origin-https", when: "no domain", enforcementLevel: "advisory", reason: `${NO_CERTIFICATE} for the ALB: CloudFront reaches the ALB over plain HTTP (the ALB still admits only CloudFront's prefix list).` },
  { policy: "alb-https-only", when: "no domain", enforcementLevel: "advisory", reason: `${NO_CERTIFICATE} for the ALB: its listener forwards plain HTTP from CloudFront (the ALB still admits only CloudFront's prefix list).` },
  { policy: "rds-multi-az", when: ["dev"], enforcementLevel: "advisory", reason: "Dev runs a single-AZ db.t4g.micro to keep costs down (database.multiAz is false for the dev tier)." },
  { policy: "rds-deletion-protection", when: ["dev"], enforcementLevel: "advisory", reason: "Dev databases are disposable (database.deletionProtection is false for the dev tier)." },
  { policy: "alb-deletion-protection", when: ["dev"], enforcementLevel: "advisory", reason: "Dev stacks are torn down and rebuilt freely, their load balancer with them." },
  { policy: "opensearch-zone-awareness", when: ["dev"], enforcementLevel: "advisory", reason: "Dev runs a single t3.small.search node (search.instanceCount is 1 for the dev tier)." },
  { policy: "target-group-https", when: ["dev", "staging"], enforcementLevel: "advisory", reason: `${BELOW_PROD}; below prod the ALB forwards plain HTTP inside the VPC (web.tlsToTargets is false for dev and staging), still only from the ALB's security group.` },
  { policy: "opensearch-dedicated-masters", when: ["dev", "staging"], enforcementLevel: "advisory", reason: "Dedicated masters are a production-scale control (search.dedicatedMasters is 0 below prod)." },
  { policy: "log-group-retention", when: ["dev"], settings: { minimumDays: 7 }, reason: `${BELOW_PROD}, which keeps the PCI DSS year of audit logs; a week of dev logs is enough to debug.` },
  { policy: "log-group-retention", when: ["staging"], settings: { minimumDays: 30 }, reason: `${BELOW_PROD}, which keeps the PCI DSS year of audit logs; staging keeps a month for release testing.` },
  { policy: "rds-backup-retention", when: ["dev"], settings: { minimumDays: 1 }, reason: `${BELOW_PROD}: a dev database is rebuilt from migrations and seed data, not restored.` },
  { policy: "rds-backup-retention", when: ["staging"], settings: { minimumDays: 7 }, reason: `${BELOW_PROD}: a week of staging backups covers a release cycle.` },
  { policy: "backup-plan-retention", when: ["dev"], settings: { minimumDays: 7 }, reason: `${BELOW_PROD}: a week of dev recovery points is enough to rehearse a restore.` },
  { policy: "backup-plan-retention", when: ["staging"], settings: { minimumDays: 14 }, reason: `${BELOW_PROD}: two weeks of staging recovery points cover a release cycle.` },
  { policy: "opensearch-logs", when: ["dev", "staging"], settings: { requiredLogTypes: ["ES_APPLICATION_LOGS"] }, reason: `${BELOW_PROD}, so only prod's search domain needs an audit trail of who read it.` },
];

/** The relaxations that apply to a stack with this profile, in RELAXATIONS order. */
export function relaxationsFor(profile: StackProfile): readonly Relaxation[] {
  return RELAXATIONS.filter((relaxation) => relaxation.when === "no domain" ? !profile.hasDomain : relaxation.when.includes(profile.tier));
}

/** The policies that take the stack's DR region (empty when it has none: they then do not apply). */
const DR_POLICIES = ["opensearch-dedicated-masters", "rds-cross-region-replica", "rds-backups-replicated-to-dr", "backup-cross-region-copy", "log-buckets-replicated-to-dr"];

/** The stack's facts (its DR region and residency regions), then its relaxations. */
export function packConfigFor(profile: StackProfile): PolicyPackConfig {
  const config: PolicyPackConfig = {};
  for (const policy of DR_POLICIES) config[policy] = { drRegion: profile.drRegion ?? "" };
  if (profile.allowedRegions !== undefined) config["data-residency"] = { allowedRegions: [...profile.allowedRegions] };
  for (const { policy, enforcementLevel, settings } of relaxationsFor(profile)) {
    const current = config[policy];
    const properties = { ...(typeof current === "object" ? current : {}), ...settings };
    if (Object.keys(properties).length === 0) {
      if (enforcementLevel !== undefined) config[policy] = enforcementLevel;
      continue;
    }
    config[policy] = enforcementLevel === undefined ? properties : { ...properties, enforcementLevel };
  }
  return config;
}
