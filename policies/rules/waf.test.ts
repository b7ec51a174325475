import { describe } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { wafPolicies } from "./waf.js";

const ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/1";
const visibility = { cloudwatchMetricsEnabled: true, metricName: "m", sampledRequestsEnabled: true };

const managed = (name: string, priority: number, overrideAction: Record<string, unknown> = { none: {} }) => ({
  name, priority, overrideAction, visibilityConfig: visibility,
  statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
});
const rate = (limit: number, action: Record<string, unknown> = { block: {} }) => ({
  name: "rate", priority: 0, action, visibilityConfig: visibility,
  statement: { rateBasedStatement: { limit, aggregateKeyType: "IP" } },
});

const GOOD_RULES = [rate(1000), managed("AWSManagedRulesCommonRuleSet", 1), managed("AWSManagedRulesKnownBadInputsRuleSet", 2)];

function webAcl(rules: unknown[] = GOOD_RULES, extra: Record<string, unknown> = {}) {
  return resource("aws:wafv2/webAcl:WebAcl", "edge-acl", { arn: ACL_ARN, id: "1", scope: "CLOUDFRONT", defaultAction: { allow: {} }, visibilityConfig: visibility, rules, ...extra }, { region: "us-east-1" });
}

function loggingConfiguration(redactedFields: unknown[] = [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "Cookie" } }]) {
  return resource("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge-acl-logging", {
    resourceArn: ACL_ARN,
    logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-shop"],
    redactedFields,
  }, { region: "us-east-1" });
}

describe("WAF policies", () => {
  describePolicies(wafPolicies, {
    "waf-managed-rule-groups": {
      passing: [
        { label: "both default groups, blocking", resources: () => [webAcl()] },
        {
          label: "rules given as ruleJson",
          resources: () => [webAcl(undefined, {
            rules: undefined,
            ruleJson: JSON.stringify(["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"].map((name, index) => ({
              Name: name, Priority: index, OverrideAction: { None: {} }, VisibilityConfig: {},
              Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: name } },
            }))),
          })],
        },
      ],
      violating: [
        { label: "a missing group", resources: () => [webAcl([managed("AWSManagedRulesCommonRuleSet", 1)])], message: /does not run the managed rule group AWSManagedRulesKnownBadInputsRuleSet/ },
        { label: "a group in count mode", resources: () => [webAcl([managed("AWSManagedRulesCommonRuleSet", 1, { count: {} }), managed("AWSManagedRulesKnownBadInputsRuleSet", 2)])], message: /AWSManagedRulesCommonRuleSet runs in count mode/ },
        { label: "a group the config requires", resources: () => [webAcl()], config: { requiredRuleGroups: ["AWSManagedRulesSQLiRuleSet"] }, message: /AWSManagedRulesSQLiRuleSet/ },
      ],
    },
    "waf-rate-rule": {
      passing: [
        { label: "a blocking rate rule at 1000", resources: () => [webAcl()] },
        { label: "a higher configured maximum", resources: () => [webAcl([rate(5000)])], config: { maximumLimit: 10_000 } },
      ],
      violating: [
        { label: "no rate rule", resources: () => [webAcl(GOOD_RULES.slice(1))], message: /has no rate-based rule/ },
        { label: "a counting rate rule", resources: () => [webAcl([rate(1000, { count: {} })])], message: /do not block/ },
        { label: "a limit above the maximum", resources: () => [webAcl([rate(5000)])], message: /\(5000\) is above the maximum of 2000/ },
      ],
    },
    "waf-logging-redacted": {
      passing: [{ label: "logging with authorization and cookie redacted", resources: () => [webAcl(), loggingConfiguration()] }],
      violating: [
        { label: "no logging configuration", resources: () => [webAcl()], message: /Web ACL edge-acl has no logging configuration/ },
        { label: "cookies kept", resources: () => [webAcl(), loggingConfiguration([{ singleHeader: { name: "authorization" } }])], message: /keep the cookie header\(s\) unredacted/ },
      ],
    },
  });
});
