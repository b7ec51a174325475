import type * as aws from "@pulumi/aws";
import type { ScopedRateLimit } from "../waf.js";
import type { FirewallSettings } from "./settings.js";

type Rule = aws.types.input.wafv2.WebAclRule;
type ScopeDown = aws.types.input.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatement;

/** AWS managed rule groups, in evaluation order after the rate rules. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
  "AWSManagedRulesLinuxRuleSet",
] as const;

const BOT_CONTROL_GROUP = "AWSManagedRulesBotControlRuleSet";

export function visibility(metricName: string): aws.types.input.wafv2.WebAclRuleVisibilityConfig {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function scopeDown(limit: ScopedRateLimit): ScopeDown {
  const path: ScopeDown = {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: "STARTS_WITH",
      searchString: limit.pathPrefix.toLowerCase(),
      textTransformations: [{ priority: 0, type: "LOWERCASE" }],
    },
  };
  const methods = (limit.methods ?? []).map(
    (method): ScopeDown => ({
      byteMatchStatement: {
        fieldToMatch: { method: {} },
        positionalConstraint: "EXACTLY",
        searchString: method,
        textTransformations: [{ priority: 0, type: "NONE" }],
      },
    }),
  );
  const [onlyMethod] = methods;
  if (methods.length === 0) return path;
  const method = methods.length === 1 && onlyMethod !== undefined ? onlyMethod : { orStatement: { statements: methods } };
  return { andStatement: { statements: [path, method] } };
}

/** A rule before its priority is set; named with a plain string so the order can be reported. */
export type NamedRule = Omit<Rule, "priority" | "name"> & { name: string };

/** The rules in evaluation order: site-wide rate limit, scoped rate limits, managed groups, Bot Control. */
export function firewallRules(settings: FirewallSettings): NamedRule[] {
  const block: aws.types.input.wafv2.WebAclRuleAction = settings.countOnly ? { count: {} } : { block: { customResponse: { responseCode: 429 } } };
  const overrideAction: aws.types.input.wafv2.WebAclRuleOverrideAction = settings.countOnly ? { count: {} } : { none: {} };
  const rateRule = (ruleName: string, limit: number, scope?: ScopeDown): NamedRule => ({
    name: ruleName,
    action: block,
    statement: {
      rateBasedStatement: {
        aggregateKeyType: "IP",
        limit,
        evaluationWindowSec: settings.rateWindowSeconds,
        ...(scope === undefined ? {} : { scopeDownStatement: scope }),
      },
    },
    visibilityConfig: visibility(ruleName),
  });
  const managed = (group: string, extra: Partial<aws.types.input.wafv2.WebAclRuleStatementManagedRuleGroupStatement> = {}): NamedRule => ({
    name: group,
    overrideAction,
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group, ...extra } },
    visibilityConfig: visibility(group),
  });

  return [
    rateRule("RateLimitPerIp", settings.rateLimit),
    ...settings.scopedRateLimits.map((limit) => rateRule(`RateLimit-${limit.name}`, limit.limit, scopeDown(limit))),
    ...MANAGED_RULE_GROUPS.map((group) =>
      group === "AWSManagedRulesCommonRuleSet"
        ? // Checkout and account forms can exceed the 8 KB body limit; count instead of block.
          managed(group, { ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] })
        : managed(group),
    ),
    ...(settings.botControl
      ? [managed(BOT_CONTROL_GROUP, { managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: "COMMON" } }] })]
      : []),
  ];
}
