// A stack's policy config, derived from what the stack is: its tier, the regions its data
// residency allows, its DR region and whether it has a domain. `shopctl policy check --stack`
// applies it as the config file; `shopctl policy config --stack` writes it for the real CLI
// (`pulumi preview --policy-pack policies --policy-pack-config <file>`).
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

/** Minimums that grow with the tier: dev keeps days, prod keeps the PCI year of audit logs. */
const TIER_MINIMUMS: Readonly<Record<StackTier, { logRetentionDays: number; databaseBackupDays: number; backupRetentionDays: number; searchLogTypes: string[] }>> = {
  dev: { logRetentionDays: 7, databaseBackupDays: 1, backupRetentionDays: 7, searchLogTypes: ["ES_APPLICATION_LOGS"] },
  staging: { logRetentionDays: 30, databaseBackupDays: 7, backupRetentionDays: 14, searchLogTypes: ["ES_APPLICATION_LOGS"] },
  // Prod holds the real cardholder and personal data: its search domain keeps an audit trail too.
  prod: { logRetentionDays: 365, databaseBackupDays: 30, backupRetentionDays: 35, searchLogTypes: ["AUDIT_LOGS", "ES_APPLICATION_LOGS"] },
};

/** Advisory policies (where dev legitimately differs) that a tier makes mandatory. */
const MANDATORY_FROM: Readonly<Record<string, StackTier>> = {
  "rds-multi-az": "staging",
  "rds-deletion-protection": "staging",
  "alb-deletion-protection": "staging",
  "opensearch-zone-awareness": "staging",
  "opensearch-dedicated-masters": "prod",
};

/** Advisory policies that a stack with a domain (so with certificates) makes mandatory. */
const MANDATORY_WITH_DOMAIN = ["cloudfront-custom-certificate", "cloudfront-origin-https", "alb-https-only"];

const TIER_ORDER: readonly StackTier[] = ["dev", "staging", "prod"];

export function packConfigFor(profile: StackProfile): PolicyPackConfig {
  const minimums = TIER_MINIMUMS[profile.tier];
  const dr = { drRegion: profile.drRegion ?? "" };
  const config: PolicyPackConfig = {
    "log-group-retention": { minimumDays: minimums.logRetentionDays },
    "rds-backup-retention": { minimumDays: minimums.databaseBackupDays },
    "backup-plan-retention": { minimumDays: minimums.backupRetentionDays },
    "opensearch-logs": { requiredLogTypes: minimums.searchLogTypes },
    "opensearch-dedicated-masters": dr,
    "rds-cross-region-replica": dr,
    "rds-backups-replicated-to-dr": dr,
    "backup-cross-region-copy": dr,
  };
  if (profile.allowedRegions !== undefined) config["data-residency"] = { allowedRegions: [...profile.allowedRegions] };
  for (const [policy, from] of Object.entries(MANDATORY_FROM)) {
    if (TIER_ORDER.indexOf(profile.tier) < TIER_ORDER.indexOf(from)) continue;
    const current = config[policy];
    config[policy] = typeof current === "object" ? { ...current, enforcementLevel: "mandatory" } : "mandatory";
  }
  if (profile.hasDomain) for (const policy of MANDATORY_WITH_DOMAIN) config[policy] = "mandatory";
  return config;
}
