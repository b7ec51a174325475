// WAFv2: the web ACL in front of CloudFront. Rules may be given as `rules` blocks or as
// `ruleJson` (the WAF API's own PascalCase JSON); both are read.
import * as aws from "@pulumi/aws";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped, type InputsOf } from "../lib/typed.js";
import { blockOf, blocksOf, isRecord, jsonOf, numberOf, stringOf, stringsOf, type Json } from "../lib/values.js";

/** `{ Name: { ManagedRuleGroupStatement: ... } }` → `{ name: { managedRuleGroupStatement: ... } }`. */
function camelCased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCased);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key.charAt(0).toLowerCase() + key.slice(1), camelCased(item)]));
}

/** A web ACL's rules, from `rules` or from `ruleJson`. */
export function webAclRules(acl: InputsOf<aws.wafv2.WebAclArgs>): Json[] {
  const fromJson = blocksOf(camelCased(jsonOf(acl.ruleJson)));
  return [...blocksOf(acl.rules), ...fromJson];
}

function managedGroupOf(rule: Json): { vendor: string | undefined; name: string | undefined } | undefined {
  const statement = blockOf(blockOf(rule.statement)?.managedRuleGroupStatement);
  return statement === undefined ? undefined : { vendor: stringOf(statement.vendorName), name: stringOf(statement.name) };
}

export const managedRuleGroups = resourcePolicy({
  name: "waf-managed-rule-groups",
  description: "Every web ACL runs the required AWS managed rule groups, blocking (not in count mode).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "waf",
  compliance: { pciDss: "6.4.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps:
    "Add a rule per required group to the aws.wafv2.WebAcl with statement.managedRuleGroupStatement { vendorName: \"AWS\", name } and " +
    "overrideAction { none: {} } (components/waf.ts); count mode is for tuning only.",
  configSchema: {
    properties: {
      requiredRuleGroups: {
        type: "array",
        items: { type: "string" },
        uniqueItems: true,
        default: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
        description: "AWS managed rule groups every web ACL must run.",
      },
    },
  },
  validateResource: validateTyped(aws.wafv2.WebAcl, (acl, args, report) => {
    const { requiredRuleGroups } = args.getConfig<{ requiredRuleGroups: string[] }>();
    const rules = webAclRules(acl);
    for (const group of requiredRuleGroups) {
      const rule = rules.find((candidate) => {
        const managed = managedGroupOf(candidate);
        return managed?.vendor === "AWS" && managed.name === group;
      });
      if (rule === undefined) report(`The web ACL does not run the managed rule group ${group}.`);
      else if (blockOf(blockOf(rule.overrideAction)?.count) !== undefined) report(`The managed rule group ${group} runs in count mode (overrideAction count), so it blocks nothing.`);
    }
  }),
});

export const rateRule = resourcePolicy({
  name: "waf-rate-rule",
  description: "Every web ACL has a rate-based rule that blocks a client above the configured request rate.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "waf",
  compliance: { pciDss: "6.4.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps:
    "Add a rule with statement.rateBasedStatement { limit, aggregateKeyType: \"IP\" } and action { block: {} } to the aws.wafv2.WebAcl, " +
    "with a limit at or below the configured maximum.",
  configSchema: {
    properties: {
      maximumLimit: { type: "integer", minimum: 10, default: 2000, description: "The highest rate limit accepted (requests per evaluation window, 5 minutes by default)." },
    },
  },
  validateResource: validateTyped(aws.wafv2.WebAcl, (acl, args, report) => {
    const { maximumLimit } = args.getConfig<{ maximumLimit: number }>();
    const rateRules = webAclRules(acl).filter((rule) => blockOf(blockOf(rule.statement)?.rateBasedStatement) !== undefined);
    const blocking = rateRules.filter((rule) => blockOf(blockOf(rule.action)?.block) !== undefined);
    if (rateRules.length === 0) {
      report("The web ACL has no rate-based rule.");
    } else if (blocking.length === 0) {
      report("The web ACL's rate-based rules do not block (their action is not block).");
    } else if (!blocking.some((rule) => (numberOf(blockOf(blockOf(rule.statement)?.rateBasedStatement)?.limit) ?? Infinity) <= maximumLimit)) {
      const limits = blocking.map((rule) => numberOf(blockOf(blockOf(rule.statement)?.rateBasedStatement)?.limit) ?? "unset");
      report(`The web ACL's blocking rate limit (${limits.join(", ")}) is above the maximum of ${maximumLimit}.`);
    }
  }),
});

/** Header names a logging configuration redacts, lower-cased (WAF matches header names case-insensitively). */
function redactedHeaders(redactedFields: unknown): string[] {
  return blocksOf(redactedFields).flatMap((field) => stringsOf(blockOf(field.singleHeader)?.name).map((name) => name.toLowerCase()));
}

export const logging = stackPolicy({
  name: "waf-logging-redacted",
  description: "Every web ACL logs its traffic, with the authorization and cookie headers redacted.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "waf",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 5(1)(c)" },
  remediationSteps:
    "Declare an aws.wafv2.WebAclLoggingConfiguration with resourceArn the web ACL's ARN, logDestinationConfigs a log group named " +
    "aws-waf-logs-* (in us-east-1 for a CLOUDFRONT web ACL), and redactedFields with a singleHeader entry per configured header.",
  configSchema: {
    properties: {
      redactedHeaders: {
        type: "array",
        items: { type: "string" },
        default: ["authorization", "cookie"],
        description: "Headers whose values must never reach the WAF logs.",
      },
    },
  },
  validateStack: (args, report) => {
    const acls = resourcesOf<aws.wafv2.WebAcl>(args.resources, aws.wafv2.WebAcl);
    if (acls.length === 0) args.notApplicable("the stack declares no web ACL");
    const { redactedHeaders: required } = args.getConfig<{ redactedHeaders: string[] }>();
    const configurations = resourcesOf<aws.wafv2.WebAclLoggingConfiguration>(args.resources, aws.wafv2.WebAclLoggingConfiguration);
    for (const acl of acls) {
      const ids = identifiersOf(acl.resource);
      const config = configurations.find((candidate) => refersTo(candidate.resource, "resourceArn", acl.resource, ids));
      if (config === undefined) {
        report(`Web ACL ${acl.resource.name} has no logging configuration.`, acl.resource.urn);
        continue;
      }
      if (stringsOf(config.props.logDestinationConfigs).length === 0) report(`Web ACL ${acl.resource.name}'s logging configuration has no destination.`, config.resource.urn);
      const redacted = redactedHeaders(config.props.redactedFields);
      const exposed = required.filter((header) => !redacted.includes(header.toLowerCase()));
      if (exposed.length > 0) report(`Web ACL ${acl.resource.name}'s logs keep the ${exposed.join(", ")} header(s) unredacted.`, config.resource.urn);
    }
  },
});

export const wafPolicies: readonly ShopPolicy[] = [managedRuleGroups, rateRule, logging];
