import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, awsName, childName, type Transform } from "./conventions.js";
import { LOG_RETENTION_DAYS } from "./shared/log-retention.js";
import { checkedEdgeRegion, EDGE_REGION } from "./shared/edge-region.js";

type Rule = aws.types.input.wafv2.WebAclRule;
type ScopeDown = aws.types.input.wafv2.WebAclRuleStatementRateBasedStatementScopeDownStatement;

/** A stricter per-IP limit on part of the site, e.g. login or checkout POSTs. */
export interface ScopedRateLimit {
  /** Rule and metric name suffix (letters, digits, `-`, `_`): the rule is `RateLimit-<name>`. */
  name: string;
  /** Matched against the start of the lower-cased URI path, e.g. `/login`. */
  pathPrefix: string;
  /** The methods that count toward the limit. @default every method */
  methods?: string[];
  /** Requests per IP per rate window; must be below the site-wide `rateLimit`. */
  limit: number;
}

export const DEFAULT_SCOPED_RATE_LIMITS: readonly ScopedRateLimit[] = [
  { name: "login", pathPrefix: "/login", methods: ["POST"], limit: 100 },
  { name: "checkout", pathPrefix: "/checkout", methods: ["POST"], limit: 100 },
];

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
/** Always redacted from WAF logs: credentials and session cookies have no place in logs. */
const REDACTED_HEADERS = ["authorization", "cookie"];
const RATE_WINDOWS = [60, 120, 300, 600] as const;
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
/** CloudWatch Logs accepts only these retention periods. */

export interface EdgeFirewallArgs {
  /** The us-east-1 KMS key for the WAF log group: an edge KeyRing's `logs` key. */
  logKmsKeyArn: pulumi.Input<string>;
  /**
   * Requests per client IP per rate window before WAF blocks that IP (HTTP 429).
   * @default 2000
   */
  rateLimit?: number;
  /**
   * The window rate limits are counted over, in seconds: 60, 120, 300 or 600.
   * @default 300
   */
  rateWindowSeconds?: (typeof RATE_WINDOWS)[number];
  /**
   * Stricter per-IP limits on parts of the site, evaluated right after the site-wide limit.
   * @default login and checkout POSTs, 100 per window each (DEFAULT_SCOPED_RATE_LIMITS)
   */
  scopedRateLimits?: readonly ScopedRateLimit[];
  /**
   * Add AWS WAF Bot Control (common inspection level) as the last rule; billed per request.
   * @default false
   */
  botControl?: boolean;
  /**
   * Rollout mode: every rule counts and labels instead of blocking, to watch false positives
   * before enforcing.
   * @default false
   */
  countOnly?: boolean;
  /**
   * Days the WAF log group keeps logs (a CloudWatch Logs retention value).
   * @default 365
   */
  logRetentionDays?: (typeof LOG_RETENTION_DAYS)[number];
  /**
   * Headers redacted from WAF logs besides `authorization` and `cookie`, which always are.
   * @default []
   */
  extraRedactedHeaders?: string[];
  /**
   * Write the log group resource policy that lets WAF's log delivery write to the group. Turn off
   * only if the account manages CloudWatch Logs resource policies elsewhere (10 per region).
   * @default true
   */
  logResourcePolicy?: boolean;
  transforms?: {
    webAcl?: Transform<aws.wafv2.WebAclArgs>;
    logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    logResourcePolicy?: Transform<aws.cloudwatch.LogResourcePolicyArgs>;
    loggingConfiguration?: Transform<aws.wafv2.WebAclLoggingConfigurationArgs>;
  };
}

/**
 * The WAFv2 web ACL in front of CloudFront (scope CLOUDFRONT, hence us-east-1): per-IP rate
 * limits, AWS managed rule groups and optional Bot Control, logged to a KMS-encrypted
 * `aws-waf-logs-*` log group with credentials and cookies redacted.
 */
export class EdgeFirewall extends pulumi.ComponentResource {
  /** Attach to the distribution as its `webAclId`. */
  public readonly webAclArn: pulumi.Output<string>;
  public readonly webAclId: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly logGroupArn: pulumi.Output<string>;
  /** The rule names in evaluation order. */
  public readonly ruleNames: readonly string[];
  /** us-east-1, once the provider's region is checked. */
  public readonly region: pulumi.Output<string>;
  /** The web ACL's CloudWatch metric name (the `WebACL` dimension of AWS/WAFV2 metrics). */
  public readonly metricName: string;

  constructor(name: string, args: EdgeFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:edge:EdgeFirewall", name, {}, opts);
    const settings = validateFirewallArgs(name, args);
    const region = EDGE_REGION;
    const checkedRegion = checkedEdgeRegion(this, `EdgeFirewall ${name}`);
    const identity = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
    const metricName = awsName(identity, 128, /[^a-zA-Z0-9_-]/g);

    const rules = firewallRules(settings);
    const webAcl = new aws.wafv2.WebAcl(
      childName(name, "acl"),
      applyTransform<aws.wafv2.WebAclArgs>(
        {
          region,
          scope: "CLOUDFRONT",
          description: `CloudFront web ACL for ${identity}`,
          defaultAction: { allow: {} },
          rules: rules.map((rule, priority) => ({ ...rule, priority })),
          visibilityConfig: visibility(metricName),
        },
        args.transforms?.webAcl,
      ),
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      childName(name, "logs"),
      applyTransform<aws.cloudwatch.LogGroupArgs>(
        {
          region,
          // WAF delivers only to log groups whose name starts with aws-waf-logs-.
          name: awsName(`aws-waf-logs-${identity}`, 512, /[^a-zA-Z0-9_.#/-]/g),
          retentionInDays: settings.logRetentionDays,
          kmsKeyId: args.logKmsKeyArn,
          tags: { DataClass: "logs" },
        },
        args.transforms?.logGroup,
      ),
      { parent: this },
    );

    const dependsOn: pulumi.Resource[] = [];
    if (args.logResourcePolicy ?? true) {
      const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
      const partition = aws.getPartitionOutput({}, { parent: this }).partition;
      const document = aws.iam.getPolicyDocumentOutput(
        {
          statements: [
            {
              sid: "WafLogDelivery",
              principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
              actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
              resources: [pulumi.interpolate`${logGroup.arn}:log-stream:*`],
              conditions: [
                { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
                { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:logs:${region}:${account}:*`] },
              ],
            },
          ],
        },
        { parent: this },
      );
      dependsOn.push(
        new aws.cloudwatch.LogResourcePolicy(
          childName(name, "log-delivery"),
          applyTransform<aws.cloudwatch.LogResourcePolicyArgs>(
            { region, policyName: awsName(`${identity}-waf-log-delivery`, 255), policyDocument: document.json },
            args.transforms?.logResourcePolicy,
          ),
          { parent: this },
        ),
      );
    }

    new aws.wafv2.WebAclLoggingConfiguration(
      childName(name, "logging"),
      applyTransform<aws.wafv2.WebAclLoggingConfigurationArgs>(
        {
          region,
          resourceArn: webAcl.arn,
          logDestinationConfigs: [logGroup.arn],
          redactedFields: settings.redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
        },
        args.transforms?.loggingConfiguration,
      ),
      { parent: this, dependsOn },
    );

    this.webAclArn = webAcl.arn;
    this.webAclId = webAcl.id;
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;
    this.ruleNames = rules.map((rule) => rule.name);
    this.region = checkedRegion;
    this.metricName = metricName;
    this.registerOutputs({
      metricName,
      region: this.region,
      webAclArn: this.webAclArn,
      webAclId: this.webAclId,
      logGroupName: this.logGroupName,
      logGroupArn: this.logGroupArn,
      ruleNames: this.ruleNames,
    });
  }
}

interface FirewallSettings {
  rateLimit: number;
  rateWindowSeconds: number;
  scopedRateLimits: readonly ScopedRateLimit[];
  botControl: boolean;
  countOnly: boolean;
  logRetentionDays: number;
  redactedHeaders: string[];
}

function visibility(metricName: string): aws.types.input.wafv2.WebAclRuleVisibilityConfig {
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
type NamedRule = Omit<Rule, "priority" | "name"> & { name: string };

/** The rules in evaluation order: site-wide rate limit, scoped rate limits, managed groups, Bot Control. */
function firewallRules(settings: FirewallSettings): NamedRule[] {
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

const RULE_NAME = /^[A-Za-z0-9_-]{1,100}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;

function validateFirewallArgs(name: string, args: EdgeFirewallArgs): FirewallSettings {
  const fail = (message: string): never => {
    throw new Error(`EdgeFirewall ${name}: ${message}`);
  };
  if ((args.logKmsKeyArn as pulumi.Input<string> | undefined) === undefined) {
    fail("logKmsKeyArn is required: the us-east-1 KMS key (an edge KeyRing's logs key) that encrypts the WAF log group");
  }
  const rateLimit = args.rateLimit ?? 2000;
  if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
    fail(`rateLimit must be a whole number of requests from 10 to 2000000000 (WAF's limits), got ${rateLimit}`);
  }
  const rateWindowSeconds = args.rateWindowSeconds ?? 300;
  if (!(RATE_WINDOWS as readonly number[]).includes(rateWindowSeconds)) {
    fail(`rateWindowSeconds must be one of ${RATE_WINDOWS.join(", ")}, got ${rateWindowSeconds}`);
  }

  const scopedRateLimits = args.scopedRateLimits ?? DEFAULT_SCOPED_RATE_LIMITS;
  const seen = new Set<string>();
  for (const [index, limit] of scopedRateLimits.entries()) {
    const where = `scopedRateLimits[${index}]`;
    if (!RULE_NAME.test(limit.name)) fail(`${where}.name "${limit.name}" must be 1 to 100 letters, digits, "-" or "_"`);
    if (seen.has(limit.name.toLowerCase())) fail(`${where}.name "${limit.name}" is used twice; rule names must be unique`);
    seen.add(limit.name.toLowerCase());
    if (!limit.pathPrefix.startsWith("/")) fail(`${where}.pathPrefix must start with "/", got "${limit.pathPrefix}"`);
    for (const method of limit.methods ?? []) {
      if (!HTTP_METHODS.includes(method)) fail(`${where}.methods has "${method}"; expected any of ${HTTP_METHODS.join(", ")}`);
    }
    if (!Number.isInteger(limit.limit) || limit.limit < 10 || limit.limit >= rateLimit) {
      fail(`${where}.limit must be a whole number from 10 up to the site-wide rateLimit (${rateLimit}), exclusive, got ${limit.limit}`);
    }
  }

  const logRetentionDays = args.logRetentionDays ?? 365;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    fail(`logRetentionDays must be a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(", ")}), got ${logRetentionDays}`);
  }
  const redactedHeaders = [...REDACTED_HEADERS];
  for (const header of args.extraRedactedHeaders ?? []) {
    if (!HEADER_NAME.test(header)) fail(`extraRedactedHeaders has "${header}", which is not an HTTP header name`);
    if (!redactedHeaders.includes(header.toLowerCase())) redactedHeaders.push(header.toLowerCase());
  }

  return {
    rateLimit,
    rateWindowSeconds,
    scopedRateLimits,
    botControl: args.botControl ?? false,
    countOnly: args.countOnly ?? false,
    logRetentionDays,
    redactedHeaders,
  };
}
