import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";
import type { EdgeFirewallArgs } from "./waf.js";

const LOG_KEY = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-4333-8444-555555555555";

type Rule = Record<string, unknown> & { name: string; priority: number };

async function firewall(args: Partial<EdgeFirewallArgs> = {}, region = "us-east-1") {
  return runUnderMocks(
    async () => {
      const { EdgeFirewall } = await import("./waf.js");
      const edge = new aws.Provider("edge", { region, defaultTags: { tags: { Project: "shop-platform" } } });
      const waf = new EdgeFirewall("edge", { logKmsKeyArn: LOG_KEY, ...args }, { provider: edge });
      return { arn: waf.webAclArn, logGroup: waf.logGroupName, rules: waf.ruleNames };
    },
    { stack: "prod" },
  );
}

const WEB_ACL = "aws:wafv2/webAcl:WebAcl";
const rulesOf = (run: Awaited<ReturnType<typeof firewall>>): Rule[] => findResource(run.resources, WEB_ACL).inputs.rules as Rule[];
const rule = (run: Awaited<ReturnType<typeof firewall>>, name: string): Rule => {
  const found = rulesOf(run).find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no rule ${name}`);
  return found;
};

describe("EdgeFirewall", () => {
  it("creates a CLOUDFRONT-scoped web ACL in us-east-1 that allows by default", async () => {
    const run = await firewall();
    const acl = findResource(run.resources, WEB_ACL);
    expect(acl.region).toBe("us-east-1");
    expect(acl.inputs).toMatchObject({ scope: "CLOUDFRONT", region: "us-east-1", defaultAction: { allow: {} } });
    expect(acl.inputs.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "shop-platform-prod-edge" });
    expect(acl.parent).toBe(findResource(run.resources, "shop:edge:EdgeFirewall").urn);
    expect(run.outputs.arn).toMatch(/^arn:aws:wafv2:us-east-1:123456789012:global\/webacl\//);
  });

  it("orders rate limits first, then the managed groups, with no Bot Control by default", async () => {
    const run = await firewall();
    const expected = [
      "RateLimitPerIp",
      "RateLimit-login",
      "RateLimit-checkout",
      "AWSManagedRulesAmazonIpReputationList",
      "AWSManagedRulesAnonymousIpList",
      "AWSManagedRulesCommonRuleSet",
      "AWSManagedRulesKnownBadInputsRuleSet",
      "AWSManagedRulesSQLiRuleSet",
      "AWSManagedRulesLinuxRuleSet",
    ];
    const rules = [...rulesOf(run)].sort((a, b) => a.priority - b.priority);
    expect(rules.map((r) => r.name)).toEqual(expected);
    expect(rules.map((r) => r.priority)).toEqual(expected.map((_, index) => index));
    expect(run.outputs.rules).toEqual(expected);
    for (const r of rules) {
      expect(r.visibilityConfig, r.name).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: r.name });
    }
  });

  it("limits each IP to 2000 requests per 5 minutes and blocks with 429", async () => {
    const run = await firewall();
    expect(rule(run, "RateLimitPerIp")).toMatchObject({
      action: { block: { customResponse: { responseCode: 429 } } },
      statement: { rateBasedStatement: { aggregateKeyType: "IP", limit: 2000, evaluationWindowSec: 300 } },
    });
    expect((rule(run, "RateLimitPerIp").statement as { rateBasedStatement: Record<string, unknown> }).rateBasedStatement.scopeDownStatement).toBeUndefined();
  });

  it("scopes the stricter limits to login and checkout POSTs", async () => {
    const run = await firewall();
    expect(rule(run, "RateLimit-checkout").statement).toEqual({
      rateBasedStatement: {
        aggregateKeyType: "IP",
        limit: 100,
        evaluationWindowSec: 300,
        scopeDownStatement: {
          andStatement: {
            statements: [
              { byteMatchStatement: { fieldToMatch: { uriPath: {} }, positionalConstraint: "STARTS_WITH", searchString: "/checkout", textTransformations: [{ priority: 0, type: "LOWERCASE" }] } },
              { byteMatchStatement: { fieldToMatch: { method: {} }, positionalConstraint: "EXACTLY", searchString: "POST", textTransformations: [{ priority: 0, type: "NONE" }] } },
            ],
          },
        },
      },
    });
  });

  it("counts CommonRuleSet's SizeRestrictions_BODY and lets the managed groups block", async () => {
    const run = await firewall();
    expect(rule(run, "AWSManagedRulesCommonRuleSet")).toMatchObject({
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet", ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] } },
    });
    expect(rule(run, "AWSManagedRulesSQLiRuleSet").overrideAction).toEqual({ none: {} });
  });

  it("logs to a KMS-encrypted aws-waf-logs- group in us-east-1 with authorization and cookie redacted", async () => {
    const run = await firewall({ extraRedactedHeaders: ["X-Api-Key"] });
    const group = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.region).toBe("us-east-1");
    expect(group.inputs).toMatchObject({ name: "aws-waf-logs-shop-platform-prod-edge", retentionInDays: 365, kmsKeyId: LOG_KEY });
    expect(group.outputs.tagsAll).toMatchObject({ DataClass: "logs" });
    const logging = findResource(run.resources, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration");
    expect(logging.inputs.resourceArn).toBe(run.outputs.arn);
    expect(logging.inputs.logDestinationConfigs).toEqual([group.outputs.arn]);
    expect(logging.inputs.redactedFields).toEqual([
      { singleHeader: { name: "authorization" } },
      { singleHeader: { name: "cookie" } },
      { singleHeader: { name: "x-api-key" } },
    ]);
    const policy = JSON.parse(String(findResource(run.resources, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs.policyDocument)) as { Statement: Record<string, unknown>[] };
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Resource: `${String(group.outputs.arn)}:log-stream:*`,
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:*" } },
    });
  });

  it("counts instead of blocking in rollout mode", async () => {
    const run = await firewall({ countOnly: true, botControl: true });
    for (const r of rulesOf(run)) {
      if ("action" in r) expect(r.action, r.name).toEqual({ count: {} });
      else expect(r.overrideAction, r.name).toEqual({ count: {} });
    }
  });

  it("adds Bot Control at the common inspection level as the last rule", async () => {
    const run = await firewall({ botControl: true });
    const rules = [...rulesOf(run)].sort((a, b) => a.priority - b.priority);
    expect(rules.at(-1)).toMatchObject({
      name: "AWSManagedRulesBotControlRuleSet",
      statement: { managedRuleGroupStatement: { managedRuleGroupConfigs: [{ awsManagedRulesBotControlRuleSet: { inspectionLevel: "COMMON" } }] } },
    });
  });

  it("takes custom scoped limits, windows and retention", async () => {
    const run = await firewall({
      rateLimit: 1000,
      rateWindowSeconds: 60,
      logRetentionDays: 90,
      logResourcePolicy: false,
      scopedRateLimits: [
        { name: "search", pathPrefix: "/Search", limit: 200 },
        { name: "account", pathPrefix: "/account", methods: ["POST", "PUT"], limit: 50 },
      ],
    });
    expect(run.outputs.rules.slice(0, 3)).toEqual(["RateLimitPerIp", "RateLimit-search", "RateLimit-account"]);
    expect(rule(run, "RateLimitPerIp").statement).toMatchObject({ rateBasedStatement: { limit: 1000, evaluationWindowSec: 60 } });
    const search = (rule(run, "RateLimit-search").statement as { rateBasedStatement: { scopeDownStatement: Record<string, unknown> } }).rateBasedStatement.scopeDownStatement;
    expect(search).toMatchObject({ byteMatchStatement: { searchString: "/search" } });
    const account = (rule(run, "RateLimit-account").statement as { rateBasedStatement: { scopeDownStatement: { andStatement: { statements: Record<string, unknown>[] } } } })
      .rateBasedStatement.scopeDownStatement.andStatement.statements[1];
    expect(account).toMatchObject({ orStatement: { statements: [{ byteMatchStatement: { searchString: "POST" } }, { byteMatchStatement: { searchString: "PUT" } }] } });
    expect(findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(90);
    expect(run.resources.some((r) => r.type === "aws:cloudwatch/logResourcePolicy:LogResourcePolicy")).toBe(false);
  });

  it("merges object transforms into the children's args", async () => {
    const run = await firewall({
      transforms: {
        webAcl: { description: "custom", tags: { Team: "edge" } },
        logGroup: { retentionInDays: 731 },
        loggingConfiguration: { loggingFilter: { defaultBehavior: "KEEP", filters: [] } },
        logResourcePolicy: { policyName: "custom-waf-logs" },
      },
    });
    const acl = findResource(run.resources, WEB_ACL).inputs;
    expect(acl.description).toBe("custom");
    expect(acl.tags).toEqual({ Team: "edge" });
    expect(acl.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "shop-platform-prod-edge" });
    expect(findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(731);
    expect(findResource(run.resources, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs.loggingFilter).toMatchObject({ defaultBehavior: "KEEP" });
    expect(findResource(run.resources, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs.policyName).toBe("custom-waf-logs");
  });

  it("lets a function transform edit a child's args, rename it and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await firewall({
      transforms: {
        logGroup: (args, opts, name) => {
          args.retentionInDays = 3653;
          opts.protect = true;
          opts.ignoreChanges = ["tags"];
          seen.push(opts);
          return `${name}-kept`;
        },
      },
    });
    const group = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.name).toBe("edge-logs-kept");
    expect(group.inputs.retentionInDays).toBe(3653);
    expect(group.ignoreChanges).toEqual(["tags"]);
    expect(group.parent).toBe(findResource(run.resources, "shop:edge:EdgeFirewall").urn);
    expect(seen[0]?.protect).toBe(true);
  });

  it("refuses a provider outside us-east-1, naming the region it got", async () => {
    await expect(firewall({}, "eu-west-1")).rejects.toThrow(/EdgeFirewall edge must be created with an aws.Provider for us-east-1 .* but its provider is in eu-west-1/);
  });

  it.each<[string, Partial<EdgeFirewallArgs>, RegExp]>([
    ["no log key", { logKmsKeyArn: undefined }, /EdgeFirewall "edge": logKmsKeyArn is required/],
    ["a rate limit below WAF's minimum", { rateLimit: 5 }, /rateLimit is 5; expected an integer from 10 to 2000000000/],
    ["an unsupported window", { rateWindowSeconds: 30 as never }, /rateWindowSeconds is 30; expected one of 60, 120, 300, 600/],
    ["a bad rule name", { scopedRateLimits: [{ name: "log in", pathPrefix: "/login", limit: 50 }] }, /scopedRateLimits\[0\].name is "log in"; expected 1 to 100 letters/],
    ["a repeated rule name", { scopedRateLimits: [{ name: "a", pathPrefix: "/a", limit: 50 }, { name: "A", pathPrefix: "/b", limit: 50 }] }, /scopedRateLimits\[1\].name "A" is used twice/],
    ["a relative path", { scopedRateLimits: [{ name: "login", pathPrefix: "login", limit: 50 }] }, /pathPrefix must start with "\/", got "login"/],
    ["an unknown method", { scopedRateLimits: [{ name: "login", pathPrefix: "/login", methods: ["post"], limit: 50 }] }, /scopedRateLimits\[0\].methods is "post"; expected one of GET, HEAD, POST/],
    ["a scoped limit no stricter than the site's", { scopedRateLimits: [{ name: "login", pathPrefix: "/login", limit: 2000 }] }, /scopedRateLimits\[0\].limit must be a whole number from 10 up to the site-wide rateLimit \(2000\), exclusive, got 2000/],
    ["a retention CloudWatch does not offer", { logRetentionDays: 10 as never }, /logRetentionDays is 10; expected one of 1, 3, 5, 7, 14, 30/],
    ["a bad header name", { extraRedactedHeaders: ["x api key"] }, /extraRedactedHeaders is "x api key"; expected an HTTP header name/],
  ])("rejects %s with a clear error", async (_what, args, message) => {
    await expect(firewall(args)).rejects.toThrow(message);
  });
});
