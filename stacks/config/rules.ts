import type { ConfigIssue } from "./errors.js";
import { getPath } from "./merge.js";
import { AWS_REGIONS, RESIDENCY_REGIONS, isRegionAllowed, partitionOf, type DataResidency } from "./regions.js";

const isKnownRegion = (region: string) => (AWS_REGIONS as readonly string[]).includes(region);

/** The merged config, read defensively, and the list each rule adds its issues to. */
interface RuleInput {
  tier: string | undefined;
  at: (...path: (string | number)[]) => unknown;
  num: (...path: string[]) => number | undefined;
  str: (...path: string[]) => string | undefined;
  /** Whether the stack file itself sets the key (rather than the tier defaults). */
  isSet: (...path: string[]) => boolean;
  /** " (the <tier> default)" for a key the stack file leaves to the tier defaults. */
  origin: (...path: string[]) => string;
  add: (path: string, found: unknown, expected: string) => void;
}

type Rule = (config: RuleInput) => void;

/**
 * Checks that span several keys. They read the merged config defensively (a key may itself be
 * invalid, which the schema reports) so that one run lists every problem at once.
 */
export function crossFieldIssues(
  merged: Record<string, unknown>,
  raw: Record<string, unknown>,
  tier: string | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const at = (...path: (string | number)[]) => getPath(merged, path);
  const isSet = (...path: string[]) => getPath(raw, path) !== undefined;
  const input: RuleInput = {
    tier,
    at,
    num: (...path) => { const v = at(...path); return typeof v === "number" && Number.isInteger(v) ? v : undefined; },
    str: (...path) => { const v = at(...path); return typeof v === "string" ? v : undefined; },
    isSet,
    origin: (...path) => (isSet(...path) ? "" : ` (the ${tier ?? "tier"} default)`),
    add: (path, found, expected) => issues.push({ path: `shop:${path}`, found, expected }),
  };
  const rules: Rule[] = [drRegionRule, dataResidencyRule, domainRule, fleetSizeRule, storageAutoscalingRule, searchZoneRule, coldStorageRule, alarmEmailRule, opsRoleTrustRule];
  for (const rule of rules) rule(input);
  return issues;
}

/** A DR strategy needs a DR region in another region of the same partition; `none` takes none. */
function drRegionRule({ tier, at, str, isSet, origin, add }: RuleInput): void {
  const primary = str("primaryRegion");
  const drRegion = str("drRegion");
  const strategy = str("drStrategy");
  if (strategy !== undefined && strategy !== "none") {
    // With an invalid tier the strategy is only a guess unless the file sets it.
    if (at("drRegion") === undefined && (tier !== undefined || isSet("drStrategy"))) {
      add("drRegion", undefined, `a DR region other than the primary region, required when drStrategy is ${strategy}${origin("drStrategy")}; or set drStrategy: none`);
    } else if (drRegion !== undefined && drRegion === primary) {
      add("drRegion", drRegion, `a region other than primaryRegion (${primary}): a DR copy in the same region does not survive a regional outage`);
    }
  } else if (strategy === "none" && drRegion !== undefined) {
    add("drRegion", drRegion, "no DR region when drStrategy is none; set drStrategy to pilot-light or warm-standby, or remove drRegion");
  }
  if (primary !== undefined && drRegion !== undefined && isKnownRegion(primary) && isKnownRegion(drRegion) && partitionOf(primary) !== partitionOf(drRegion)) {
    add("drRegion", drRegion, `a region in the same AWS partition as ${primary} (${partitionOf(primary)}): replication does not cross partitions`);
  }
}

function dataResidencyRule({ str, add }: RuleInput): void {
  const residency = str("dataResidency");
  if (residency === undefined || !(residency in RESIDENCY_REGIONS)) return;
  const allowed = RESIDENCY_REGIONS[residency as DataResidency];
  for (const key of ["primaryRegion", "drRegion"] as const) {
    const region = str(key);
    if (region !== undefined && isKnownRegion(region) && !isRegionAllowed(residency as DataResidency, region)) {
      add(key, region, `a region allowed by dataResidency ${residency}: ${allowed.join(", ")}`);
    }
  }
}

/** Outside dev the storefront has a domain and its hosted zone; a zone alone is meaningless. */
function domainRule({ tier, at, add }: RuleInput): void {
  if (tier !== undefined && tier !== "dev") {
    if (at("domain") === undefined) add("domain", undefined, `a DNS name such as shop.example.com: a domain is required outside dev (tier is ${tier})`);
    if (at("hostedZoneId") === undefined) add("hostedZoneId", undefined, `the Route 53 hosted zone id of the domain: required outside dev (tier is ${tier})`);
  } else if (at("hostedZoneId") !== undefined && at("domain") === undefined) {
    add("domain", undefined, "a DNS name such as shop.example.com, since hostedZoneId is set");
  }
}

/** minSize <= desiredCapacity <= maxSize, and the DR standby fleet within maxSize. */
function fleetSizeRule({ num, origin, add }: RuleInput): void {
  const min = num("web", "minSize");
  const max = num("web", "maxSize");
  const desired = num("web", "desiredCapacity");
  if (min !== undefined && max !== undefined && min > max) {
    add("web.minSize", min, `at most web.maxSize (${max}${origin("web", "maxSize")})`);
  }
  if (desired !== undefined && min !== undefined && max !== undefined && min <= max && (desired < min || desired > max)) {
    add("web.desiredCapacity", desired, `between web.minSize (${min}${origin("web", "minSize")}) and web.maxSize (${max}${origin("web", "maxSize")})`);
  }
  const standby = num("web", "standbyCapacity");
  if (standby !== undefined && max !== undefined && standby > max) {
    add("web.standbyCapacity", standby, `at most web.maxSize (${max}${origin("web", "maxSize")})`);
  }
}

function storageAutoscalingRule({ num, origin, add }: RuleInput): void {
  const storage = num("database", "allocatedStorageGb");
  const maxStorage = num("database", "maxAllocatedStorageGb");
  if (storage !== undefined && maxStorage !== undefined && maxStorage < Math.ceil((storage * 11) / 10)) {
    add("database.maxAllocatedStorageGb", maxStorage,
      `at least ${Math.ceil((storage * 11) / 10)}: RDS storage autoscaling needs a maximum 10% above allocatedStorageGb (${storage}${origin("database", "allocatedStorageGb")})`);
  }
}

function searchZoneRule({ num, add }: RuleInput): void {
  const azCount = num("network", "azCount");
  const nodes = num("search", "instanceCount");
  if (azCount === undefined || nodes === undefined || nodes <= 1) return;
  const zones = Math.min(azCount, 3);
  if (nodes % zones !== 0) {
    add("search.instanceCount", nodes, `a multiple of ${zones}: zone awareness spreads data nodes evenly over ${zones} availability zones`);
  }
}

function coldStorageRule({ num, add }: RuleInput): void {
  const cold = num("backup", "coldStorageAfterDays");
  if (cold === undefined) return;
  for (const key of ["retentionDays", "copyRetentionDays"]) {
    const retention = num("backup", "monthly", key);
    if (retention !== undefined && retention < cold + 90) {
      add(`backup.monthly.${key}`, retention,
        `at least ${cold + 90}: AWS Backup keeps a recovery point in cold storage for 90 days at least, and coldStorageAfterDays is ${cold}`);
    }
  }
}

function alarmEmailRule({ tier, at, add }: RuleInput): void {
  const emails = at("alarms", "emails");
  if (tier === "prod" && Array.isArray(emails) && emails.length === 0) {
    add("alarms.emails", emails, "at least one email address: a prod stack must page somebody");
  }
}

/** The ops role must be assumable: by a named principal, or by the account's people with MFA. */
function opsRoleTrustRule({ tier, at, isSet, origin, add }: RuleInput): void {
  // With an invalid tier the defaults are only a guess unless the file sets the role's trust.
  if (tier === undefined && !isSet("opsRole")) return;
  const principals = at("opsRole", "trustedPrincipalArns");
  const accountWithMfa = at("opsRole", "allowAccountWithMfa");
  if (Array.isArray(principals) && principals.length === 0 && accountWithMfa === false) {
    add("opsRole.trustedPrincipalArns", principals,
      `at least one role or user ARN (such as the CI role) allowed to assume the ops role, since opsRole.allowAccountWithMfa is false${origin("opsRole", "allowAccountWithMfa")}: otherwise nobody could run shopctl status, failover or drills`);
  }
}
