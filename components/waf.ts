import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "./conventions.js";
import { checkedEdgeRegion, EDGE_REGION } from "./common/edge-region.js";
import type { LogRetentionDays } from "./common/log-retention.js";
import { transform, type Transform } from "./common/transform.js";
import { firewallRules, type NamedRule, visibility } from "./waf/rules.js";
import { type FirewallSettings, type RateWindowSeconds, validateFirewallArgs } from "./waf/settings.js";

export { MANAGED_RULE_GROUPS } from "./waf/rules.js";
export { DEFAULT_SCOPED_RATE_LIMITS } from "./waf/settings.js";

/** A stricter per-IP limit on part of the site, e.g. login or checkout POSTs. */
export interface ScopedRateLimit {
  /** Rule and metric name suffix (letters, digits, `-`, `_`): the rule is `RateLimit-<name>`. */
  name: string;
  /** Matched against the start of the lower-cased URI path, e.g. `/login`. */
  pathPrefix: string;
  /**
   * The methods that count toward the limit: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.
   * @default undefined (every method)
   */
  methods?: string[];
  /** Requests per IP per rate window; must be below the site-wide `rateLimit`. */
  limit: number;
}

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
  rateWindowSeconds?: RateWindowSeconds;
  /**
   * Stricter per-IP limits on parts of the site, evaluated right after the site-wide limit.
   * @default DEFAULT_SCOPED_RATE_LIMITS: POSTs to /login and to /checkout, 100 per window each
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
  logRetentionDays?: LogRetentionDays;
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
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** The web ACL with its rules. */
    webAcl?: Transform<aws.wafv2.WebAclArgs>;
    /** The `aws-waf-logs-*` log group. */
    logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The resource policy that lets WAF's log delivery write to the group (with `logResourcePolicy`). */
    logResourcePolicy?: Transform<aws.cloudwatch.LogResourcePolicyArgs>;
    /** The web ACL's logging into the group, with the redactions. */
    loggingConfiguration?: Transform<aws.wafv2.WebAclLoggingConfigurationArgs>;
  };
}

/**
 * The WAFv2 web ACL in front of CloudFront (scope CLOUDFRONT, hence us-east-1): per-IP rate
 * limits, AWS managed rule groups and optional Bot Control, logged to a KMS-encrypted
 * `aws-waf-logs-*` log group with credentials and cookies redacted.
 *
 * @example
 * ```ts
 * new EdgeFirewall("edge", {
 *   logKmsKeyArn: edgeKeys.keyArn("logs"),
 *   rateLimit: 1000,
 *   scopedRateLimits: [{ name: "login", pathPrefix: "/login", methods: ["POST"], limit: 50 }],
 * }, { provider: edgeProvider });
 * ```
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
    const checkedRegion = checkedEdgeRegion(this, `EdgeFirewall ${name}`);
    const identity = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
    const metricName = awsName(identity, 128, /[^a-zA-Z0-9_-]/g);

    const rules = firewallRules(settings);
    const webAcl = this.createWebAcl(name, args, identity, metricName, rules);
    const logGroup = this.createLogGroup(name, args, settings, identity);
    const logPolicy = (args.logResourcePolicy ?? true) ? this.createLogResourcePolicy(name, args, identity, logGroup) : undefined;
    this.createLoggingConfiguration(name, args, settings, webAcl, logGroup, logPolicy);

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

  /** Allows by default; the rules in evaluation order get their priorities from their position. */
  private createWebAcl(name: string, args: EdgeFirewallArgs, identity: string, metricName: string, rules: readonly NamedRule[]): aws.wafv2.WebAcl {
    return new aws.wafv2.WebAcl(...transform(args.transforms?.webAcl, childName(name, "acl"), {
      region: EDGE_REGION,
      scope: "CLOUDFRONT",
      description: `CloudFront web ACL for ${identity}`,
      defaultAction: { allow: {} },
      rules: rules.map((rule, priority) => ({ ...rule, priority })),
      visibilityConfig: visibility(metricName),
    }, { parent: this }));
  }

  private createLogGroup(name: string, args: EdgeFirewallArgs, settings: FirewallSettings, identity: string): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(...transform(args.transforms?.logGroup, childName(name, "logs"), {
      region: EDGE_REGION,
      // WAF delivers only to log groups whose name starts with aws-waf-logs-.
      name: awsName(`aws-waf-logs-${identity}`, 512, /[^a-zA-Z0-9_.#/-]/g),
      retentionInDays: settings.logRetentionDays,
      kmsKeyId: args.logKmsKeyArn,
      tags: { DataClass: "logs" },
    }, { parent: this }));
  }

  /** Lets WAF's log delivery (from this account) write to the group. */
  private createLogResourcePolicy(name: string, args: EdgeFirewallArgs, identity: string, logGroup: aws.cloudwatch.LogGroup): aws.cloudwatch.LogResourcePolicy {
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const document = aws.iam.getPolicyDocumentOutput({
      statements: [{
        sid: "WafLogDelivery",
        principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [pulumi.interpolate`${logGroup.arn}:log-stream:*`],
        conditions: [
          { test: "StringEquals", variable: "aws:SourceAccount", values: [account] },
          { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:logs:${EDGE_REGION}:${account}:*`] },
        ],
      }],
    }, { parent: this });
    return new aws.cloudwatch.LogResourcePolicy(...transform(args.transforms?.logResourcePolicy, childName(name, "log-delivery"), {
      region: EDGE_REGION,
      policyName: awsName(`${identity}-waf-log-delivery`, 255),
      policyDocument: document.json,
    }, { parent: this }));
  }

  /** Logs into the group once the policy is in place, with credentials and cookies redacted. */
  private createLoggingConfiguration(
    name: string,
    args: EdgeFirewallArgs,
    settings: FirewallSettings,
    webAcl: aws.wafv2.WebAcl,
    logGroup: aws.cloudwatch.LogGroup,
    logPolicy: aws.cloudwatch.LogResourcePolicy | undefined,
  ): aws.wafv2.WebAclLoggingConfiguration {
    return new aws.wafv2.WebAclLoggingConfiguration(...transform(args.transforms?.loggingConfiguration, childName(name, "logging"), {
      region: EDGE_REGION,
      resourceArn: webAcl.arn,
      logDestinationConfigs: [logGroup.arn],
      redactedFields: settings.redactedHeaders.map((header) => ({ singleHeader: { name: header } })),
    }, { parent: this, dependsOn: logPolicy === undefined ? [] : [logPolicy] }));
  }
}
