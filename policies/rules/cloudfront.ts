// CloudFront: the edge every request passes. Viewer and origin TLS, the web ACL and S3 origin
// access are properties of the distribution itself (resource policies); logging and the security
// headers live in other resources, so those are stack policies.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped, type InputsOf, type StateOf } from "../lib/typed.js";
import { blockOf, blocksOf, isTrue, numberOf, stringOf, stringsOf, type Json } from "../lib/values.js";

type DistributionInputs = InputsOf<aws.cloudfront.DistributionArgs>;

const SECURE_VIEWER_POLICIES = ["redirect-to-https", "https-only"];

/** The default and ordered cache behaviors, labelled for messages. */
function cacheBehaviors(props: { defaultCacheBehavior?: unknown; orderedCacheBehaviors?: unknown }): { label: string; behavior: Json }[] {
  const behaviors: { label: string; behavior: Json }[] = [];
  const fallback = blockOf(props.defaultCacheBehavior);
  if (fallback !== undefined) behaviors.push({ label: "the default cache behavior", behavior: fallback });
  for (const behavior of blocksOf(props.orderedCacheBehaviors)) {
    behaviors.push({ label: `the cache behavior for ${stringOf(behavior.pathPattern) ?? "?"}`, behavior });
  }
  return behaviors;
}

export const viewerHttps = resourcePolicy({
  name: "cloudfront-viewer-https",
  description: "Every CloudFront cache behavior sends viewers to HTTPS (redirect-to-https or https-only).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set viewerProtocolPolicy to \"redirect-to-https\" on defaultCacheBehavior and on every orderedCacheBehaviors entry of the distribution (components/cdn.ts).",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, _args, report) => {
    for (const { label, behavior } of cacheBehaviors(distribution)) {
      const policy = stringOf(behavior.viewerProtocolPolicy);
      if (policy === undefined || !SECURE_VIEWER_POLICIES.includes(policy)) report(`${label} allows plain HTTP (viewerProtocolPolicy ${policy ?? "unset"}).`);
    }
  }),
});

function usesCustomCertificate(distribution: DistributionInputs): boolean {
  const certificate = blockOf(distribution.viewerCertificate);
  return stringOf(certificate?.acmCertificateArn) !== undefined || stringOf(certificate?.iamCertificateId) !== undefined;
}

export const viewerTls = resourcePolicy({
  name: "cloudfront-viewer-tls",
  description: "A CloudFront distribution with its own certificate accepts TLS 1.2 or later only (minimumProtocolVersion TLSv1.2_2021 or newer).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set viewerCertificate.minimumProtocolVersion to \"TLSv1.2_2021\" (and sslSupportMethod \"sni-only\") on the distribution.",
  configSchema: {
    properties: {
      allowedProtocolVersions: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        default: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
        description: "Security policies CloudFront may negotiate with viewers.",
      },
    },
  },
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, args, report) => {
    // The default *.cloudfront.net certificate always allows TLSv1: cloudfront-custom-certificate covers it.
    if (!usesCustomCertificate(distribution)) args.notApplicable("the distribution uses CloudFront's default certificate");
    const { allowedProtocolVersions } = args.getConfig<{ allowedProtocolVersions: string[] }>();
    const version = stringOf(blockOf(distribution.viewerCertificate)?.minimumProtocolVersion);
    if (version === undefined || !allowedProtocolVersions.includes(version)) {
      report(`The viewer certificate allows ${version ?? "the default TLSv1"}; allowed: ${allowedProtocolVersions.join(", ")}.`);
    }
  }),
});

export const customCertificate = resourcePolicy({
  name: "cloudfront-custom-certificate",
  description: "A CloudFront distribution serves the store's domain with its own ACM certificate (SNI), not the default *.cloudfront.net certificate that allows TLSv1.",
  enforcementLevel: "advisory",
  advisoryBecause: "A dev stack may have no domain, so it can only use CloudFront's default certificate; stacks with a domain raise this to mandatory in their policy config.",
  severity: "medium",
  service: "cloudfront",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set shop:domain and shop:hostedZoneId for the stack; the CDN component then issues an ACM certificate in us-east-1 and sets viewerCertificate.acmCertificateArn with sslSupportMethod \"sni-only\".",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, _args, report) => {
    if (!usesCustomCertificate(distribution)) report("The distribution uses CloudFront's default certificate, which accepts TLSv1 and serves no custom domain.");
    else if (stringOf(blockOf(distribution.viewerCertificate)?.sslSupportMethod) === "vip") report("The certificate is served from dedicated IPs (vip); use sni-only.");
  }),
});

function customOrigins(distribution: DistributionInputs): { id: string; config: Json }[] {
  return blocksOf(distribution.origins).flatMap((origin) => {
    const config = blockOf(origin.customOriginConfig);
    return config === undefined ? [] : [{ id: stringOf(origin.originId) ?? stringOf(origin.domainName) ?? "?", config }];
  });
}

export const originHttps = resourcePolicy({
  name: "cloudfront-origin-https",
  description: "CloudFront reaches every custom origin (the ALB) over HTTPS only.",
  enforcementLevel: "advisory",
  advisoryBecause: "Without a domain a dev stack's ALB has no certificate, so CloudFront must reach it over HTTP; stacks with a domain raise this to mandatory in their policy config.",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Give the stack a domain (shop:domain) so the ALB gets an ACM certificate and an origin.<domain> name, and set customOriginConfig.originProtocolPolicy to \"https-only\".",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, args, report) => {
    const origins = customOrigins(distribution);
    if (origins.length === 0) args.notApplicable("the distribution has no custom origin");
    for (const { id, config } of origins) {
      const policy = stringOf(config.originProtocolPolicy);
      if (policy !== "https-only") report(`Origin ${id} is reached with originProtocolPolicy ${policy ?? "unset"}, not https-only.`);
    }
  }),
});

const ACCEPTED_ORIGIN_PROTOCOLS = ["TLSv1.2"];

export const originTls = resourcePolicy({
  name: "cloudfront-origin-tls",
  description: "CloudFront offers custom origins TLS 1.2 only (no SSLv3, TLSv1 or TLSv1.1).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set customOriginConfig.originSslProtocols to [\"TLSv1.2\"] on every custom origin.",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, args, report) => {
    const origins = customOrigins(distribution);
    if (origins.length === 0) args.notApplicable("the distribution has no custom origin");
    for (const { id, config } of origins) {
      const protocols = stringsOf(config.originSslProtocols);
      const weak = protocols.filter((protocol) => !ACCEPTED_ORIGIN_PROTOCOLS.includes(protocol));
      if (protocols.length === 0) report(`Origin ${id} sets no originSslProtocols.`);
      else if (weak.length > 0) report(`Origin ${id} allows ${weak.join(", ")}.`);
    }
  }),
});

export const webAcl = resourcePolicy({
  name: "cloudfront-web-acl",
  description: "Every CloudFront distribution is protected by a WAFv2 web ACL.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "6.4.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set webAclId to the ARN of the CLOUDFRONT-scoped aws.wafv2.WebAcl (components/waf.ts, in us-east-1).",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, _args, report) => {
    if (stringOf(distribution.webAclId) === undefined) report("The distribution has no web ACL (webAclId).");
  }),
});

/** S3 REST endpoints (`bucket.s3.amazonaws.com`, `bucket.s3.eu-west-1.amazonaws.com`); website endpoints are separate. */
const S3_REST_ENDPOINT = /\.s3([.-][a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;
const S3_WEBSITE_ENDPOINT = /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

export const s3OriginAccessControl = resourcePolicy({
  name: "cloudfront-s3-oac",
  description: "CloudFront reads S3 origins through origin access control (not a legacy OAI, not a public website endpoint).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "cloudfront",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Create an aws.cloudfront.OriginAccessControl (signingBehavior \"always\", signingProtocol \"sigv4\", originType \"s3\"), set the " +
    "origin's originAccessControlId to it, drop s3OriginConfig.originAccessIdentity, and allow cloudfront.amazonaws.com with an " +
    "aws:SourceArn condition in the bucket policy. Use the bucket's REST endpoint (bucketRegionalDomainName), not its website endpoint.",
  validateResource: validateTyped(aws.cloudfront.Distribution, (distribution, args, report) => {
    const s3Origins = blocksOf(distribution.origins).filter((origin) => {
      const domain = stringOf(origin.domainName) ?? "";
      return S3_REST_ENDPOINT.test(domain) || S3_WEBSITE_ENDPOINT.test(domain) || blockOf(origin.s3OriginConfig) !== undefined;
    });
    if (s3Origins.length === 0) args.notApplicable("the distribution has no S3 origin");
    for (const origin of s3Origins) {
      const id = stringOf(origin.originId) ?? "?";
      const domain = stringOf(origin.domainName) ?? "";
      if (S3_WEBSITE_ENDPOINT.test(domain)) report(`Origin ${id} is an S3 website endpoint, which needs a public bucket.`);
      else if (stringOf(origin.originAccessControlId) === undefined) report(`S3 origin ${id} has no origin access control.`);
      if (stringOf(blockOf(origin.s3OriginConfig)?.originAccessIdentity) !== undefined) report(`S3 origin ${id} still uses a legacy origin access identity.`);
    }
  }),
});

function distributionsOf(args: StackValidationArgs): { resource: PolicyResource; props: StateOf<aws.cloudfront.Distribution> }[] {
  const distributions = resourcesOf<aws.cloudfront.Distribution>(args.resources, aws.cloudfront.Distribution);
  if (distributions.length === 0) args.notApplicable("the stack declares no CloudFront distribution");
  return distributions;
}

export const logging = stackPolicy({
  name: "cloudfront-logging",
  description: "Every CloudFront distribution delivers access logs (standard logging to S3, or a CloudWatch log delivery source).",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "cloudfront",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps:
    "Set loggingConfig.bucket to the log bucket's bucketDomainName on the distribution, or declare an aws.cloudwatch.LogDeliverySource " +
    "(logType ACCESS_LOGS, resourceArn the distribution's ARN) with an aws.cloudwatch.LogDelivery to a log destination.",
  validateStack: (args, report) => {
    const sources = resourcesOf<aws.cloudwatch.LogDeliverySource>(args.resources, aws.cloudwatch.LogDeliverySource)
      .filter((source) => source.props.logType === "ACCESS_LOGS");
    const deliveries = resourcesOf<aws.cloudwatch.LogDelivery>(args.resources, aws.cloudwatch.LogDelivery);
    for (const distribution of distributionsOf(args)) {
      if (stringOf(blockOf(distribution.props.loggingConfig)?.bucket) !== undefined) continue;
      const ids = identifiersOf(distribution.resource);
      const delivered = sources.some((source) => refersTo(source.resource, "resourceArn", distribution.resource, ids)
        && deliveries.some((delivery) => refersTo(delivery.resource, "deliverySourceName", source.resource, identifiersOf(source.resource, "name"))));
      if (!delivered) report(`Distribution ${distribution.resource.name} delivers no access logs.`, distribution.resource.urn);
    }
  },
});

/** AWS-managed response headers policies that add HSTS, X-Content-Type-Options and X-Frame-Options. */
export const MANAGED_SECURITY_HEADERS_POLICIES: Readonly<Record<string, string>> = {
  "67f7725c-6f97-4210-82d7-5512b31e9d03": "Managed-SecurityHeadersPolicy",
  "e61eb60c-9c35-4d20-a928-2b84e02af89c": "Managed-CORS-and-SecurityHeadersPolicy",
  "eaab4381-ed33-4a86-88ca-d9558dc6cd63": "Managed-CORS-with-preflight-and-SecurityHeadersPolicy",
};

/** What a response headers policy lacks of HSTS (long enough), nosniff and frame options. */
function missingSecurityHeaders(policy: StateOf<aws.cloudfront.ResponseHeadersPolicy>, minimumHstsSeconds: number): string[] {
  const headers = blockOf(policy.securityHeadersConfig);
  const missing: string[] = [];
  const hsts = blockOf(headers?.strictTransportSecurity);
  const maxAge = numberOf(hsts?.accessControlMaxAgeSec);
  if (hsts === undefined || !isTrue(hsts.override)) missing.push("Strict-Transport-Security (with override)");
  else if (maxAge === undefined || maxAge < minimumHstsSeconds) missing.push(`a Strict-Transport-Security max-age of at least ${minimumHstsSeconds}s`);
  if (blockOf(headers?.contentTypeOptions) === undefined) missing.push("X-Content-Type-Options");
  const frame = stringOf(blockOf(headers?.frameOptions)?.frameOption);
  if (frame !== "DENY" && frame !== "SAMEORIGIN") missing.push("X-Frame-Options DENY or SAMEORIGIN");
  return missing;
}

export const securityHeaders = stackPolicy({
  name: "cloudfront-security-headers",
  description: "Every CloudFront cache behavior adds security headers (HSTS, X-Content-Type-Options, X-Frame-Options) through a response headers policy.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "cloudfront",
  compliance: { pciDss: "6.4.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps:
    "Declare an aws.cloudfront.ResponseHeadersPolicy whose securityHeadersConfig sets strictTransportSecurity (override true, " +
    "accessControlMaxAgeSec >= 31536000, includeSubdomains), contentTypeOptions and frameOptions (DENY), and set " +
    "responseHeadersPolicyId on every cache behavior (or use the AWS-managed SecurityHeadersPolicy).",
  configSchema: {
    properties: {
      minimumHstsSeconds: { type: "integer", minimum: 0, default: 31_536_000, description: "The shortest Strict-Transport-Security max-age accepted." },
    },
  },
  validateStack: (args, report) => {
    const { minimumHstsSeconds } = args.getConfig<{ minimumHstsSeconds: number }>();
    const policies = resourcesOf<aws.cloudfront.ResponseHeadersPolicy>(args.resources, aws.cloudfront.ResponseHeadersPolicy);
    for (const distribution of distributionsOf(args)) {
      for (const { label, behavior } of cacheBehaviors(distribution.props)) {
        const id = stringOf(behavior.responseHeadersPolicyId);
        if (id === undefined) {
          report(`${label} of distribution ${distribution.resource.name} has no response headers policy.`, distribution.resource.urn);
          continue;
        }
        if (id in MANAGED_SECURITY_HEADERS_POLICIES) continue;
        const declared = policies.find((policy) => identifiersOf(policy.resource).has(id));
        if (declared === undefined) {
          report(`${label} of distribution ${distribution.resource.name} uses response headers policy ${id}, which is neither in the stack nor an AWS-managed security headers policy.`, distribution.resource.urn);
          continue;
        }
        const missing = missingSecurityHeaders(declared.props, minimumHstsSeconds);
        if (missing.length > 0) report(`Response headers policy ${declared.resource.name} (used by ${label} of ${distribution.resource.name}) lacks ${missing.join(", ")}.`, declared.resource.urn);
      }
    }
  },
});

export const cloudfrontPolicies: readonly ShopPolicy[] = [
  viewerHttps, viewerTls, customCertificate, originHttps, originTls, webAcl, s3OriginAccessControl, logging, securityHeaders,
];
