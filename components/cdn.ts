import { randomBytes } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_PREFIXES } from "./buckets.js";
import { applyTransform, awsName, childName, type Transform } from "./conventions.js";
import { checkedEdgeRegion, EDGE_REGION } from "./waf.js";

type Tier = "dev" | "staging" | "prod";

/** AWS-managed cache policies (CloudFront Developer Guide, "Use managed cache policies"). */
export const MANAGED_CACHE_POLICY_IDS = {
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
} as const;

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const READ_METHODS = ["GET", "HEAD"];

export const DEFAULT_ASSET_PATHS: readonly string[] = ["/assets/*", "/static/*"];

/**
 * What the storefront needs from the viewer besides cookies and query strings (forwarded whole).
 * Not Host: CloudFront would then check the origin's certificate against the viewer's host name.
 */
export const DEFAULT_FORWARDED_HEADERS: readonly string[] = [
  "Accept",
  "Accept-Language",
  "Content-Type",
  "Origin",
  "Referer",
  "User-Agent",
  "CloudFront-Viewer-Address",
  "CloudFront-Viewer-Country",
  "CloudFront-Forwarded-Proto",
];

export const DEFAULT_CONTENT_SECURITY_POLICY =
  "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; " +
  "img-src 'self' data: https:; upgrade-insecure-requests";

const REFERRER_POLICIES = [
  "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
  "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
] as const;
const PROTOCOL_VERSIONS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"] as const;
const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
const LOG_FORMATS = ["w3c", "json", "plain", "parquet"] as const;

export interface CdnAccessLogs {
  /** The LogBucket's ARN; CloudFront standard logging (v2) delivers below its `cloudfront/` prefix. */
  bucketArn: pulumi.Input<string>;
  /** @default "w3c" (the legacy log layout; parquet costs extra per GB) */
  outputFormat?: (typeof LOG_FORMATS)[number];
}

export interface CdnArgs {
  /**
   * The stack's tier: only `dev` may run without a domain, on CloudFront's default certificate.
   * @default "prod"
   */
  tier?: Tier;
  /** The store's domain, e.g. `shop.example.com`: gets an ACM certificate and alias records. */
  domain?: string;
  /** The Route 53 hosted zone of `domain` (certificate validation and alias records). */
  hostedZoneId?: pulumi.Input<string>;
  /** The asset bucket's regional domain name (AssetBucket.bucketRegionalDomainName). */
  assetsBucketDomainName: pulumi.Input<string>;
  /**
   * Path patterns served from the asset bucket with the managed CachingOptimized policy.
   * @default ["/assets/*", "/static/*"]
   */
  assetPaths?: readonly string[];
  /** The dynamic origin's host name, normally `origin.<domain>` (the ALB behind Route 53). */
  originDomain: pulumi.Input<string>;
  /**
   * How CloudFront reaches the dynamic origin. `http` only for a dev stack without a domain,
   * whose ALB has no certificate (LoadBalancer.originProtocol); the policy pack flags it.
   * @default "https"
   */
  originProtocol?: "https" | "http";
  /**
   * The header CloudFront adds to every origin request and the ALB requires.
   * @default "X-Origin-Verify"
   */
  originHeaderName?: string;
  /**
   * The header's value, at least 32 characters. By default one is generated once and kept in an
   * SSM SecureString parameter (later runs keep it); replace that parameter to rotate it.
   * @default generated (32 random bytes, base64url)
   */
  originSecret?: pulumi.Input<string>;
  /**
   * KMS key for the generated secret's SecureString parameter (us-east-1).
   * @default the AWS-managed key alias/aws/ssm
   */
  originSecretKmsKeyId?: pulumi.Input<string>;
  /**
   * Seconds CloudFront waits for the origin's response, 1 to 180.
   * @default 30
   */
  originReadTimeoutSeconds?: number;
  /**
   * Viewer headers forwarded to the dynamic origin (at most 10); cookies and query strings are
   * forwarded whole.
   * @default DEFAULT_FORWARDED_HEADERS
   */
  forwardedHeaders?: readonly string[];
  /** The EdgeFirewall's web ACL ARN. */
  webAclArn: pulumi.Input<string>;
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200`, `PriceClass_All`.
   * @default "PriceClass_All"
   */
  priceClass?: (typeof PRICE_CLASSES)[number];
  /**
   * Serve only (`whitelist`) or never (`blacklist`) the listed countries (ISO 3166-1 alpha-2).
   * @default undefined (no geo restriction)
   */
  geoRestriction?: { type: "whitelist" | "blacklist"; locations: readonly string[] };
  /**
   * The Content-Security-Policy header on every response.
   * @default DEFAULT_CONTENT_SECURITY_POLICY
   */
  contentSecurityPolicy?: string;
  /** @default "strict-origin-when-cross-origin" */
  referrerPolicy?: (typeof REFERRER_POLICIES)[number];
  /**
   * The oldest TLS viewers may use (with a custom domain; SNI only).
   * @default "TLSv1.2_2021"
   */
  minimumProtocolVersion?: (typeof PROTOCOL_VERSIONS)[number];
  /** CloudFront standard logging (v2) into the LogBucket. */
  accessLogs: CdnAccessLogs;
  transforms?: {
    distribution?: Transform<aws.cloudfront.DistributionArgs>;
    originAccessControl?: Transform<aws.cloudfront.OriginAccessControlArgs>;
    originRequestPolicy?: Transform<aws.cloudfront.OriginRequestPolicyArgs>;
    responseHeadersPolicy?: Transform<aws.cloudfront.ResponseHeadersPolicyArgs>;
    certificate?: Transform<aws.acm.CertificateArgs>;
    originSecretParameter?: Transform<aws.ssm.ParameterArgs>;
    /** Called for the A and the AAAA alias record. */
    aliasRecord?: Transform<aws.route53.RecordArgs>;
    logDeliveryDestination?: Transform<aws.cloudwatch.LogDeliveryDestinationArgs>;
    logDelivery?: Transform<aws.cloudwatch.LogDeliveryArgs>;
  };
}

/**
 * The storefront's CloudFront distribution (created with the us-east-1 provider): assets from S3
 * through Origin Access Control, everything else from the ALB's `origin.<domain>` over TLS 1.2
 * with a secret header the ALB checks, security headers on every response, the WAF web ACL,
 * standard logging (v2) and, with a domain, an ACM certificate and Route 53 alias records.
 */
export class Cdn extends pulumi.ComponentResource {
  public readonly distributionId: pulumi.Output<string>;
  /** The ARN the asset bucket's policy must name (AssetBucketArgs.distributionArn). */
  public readonly distributionArn: pulumi.Output<string>;
  /** CloudFront's own host name (`dxxxx.cloudfront.net`). */
  public readonly distributionDomainName: pulumi.Output<string>;
  /** `https://<domain>`, or the CloudFront host name without a domain. */
  public readonly url: pulumi.Output<string>;
  /** The header the ALB must require (a listener rule condition). */
  public readonly originHeaderName: string;
  /** The header's value: a Pulumi secret. */
  public readonly originHeaderValue: pulumi.Output<string>;
  public readonly originAccessControlId: pulumi.Output<string>;
  public readonly certificateArn: pulumi.Output<string> | undefined;
  /** us-east-1, once the provider's region is checked. */
  public readonly region: pulumi.Output<string>;

  constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:edge:Cdn", name, {}, opts);
    const settings = validateCdnArgs(name, args);
    const transforms = args.transforms;
    const parent = { parent: this };
    this.region = checkedEdgeRegion(this, `Cdn ${name}`);
    const identity = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

    this.originHeaderName = settings.originHeaderName;
    this.originHeaderValue = this.originSecret(name, args, identity);

    const oac = new aws.cloudfront.OriginAccessControl(
      childName(name, "oac"),
      applyTransform<aws.cloudfront.OriginAccessControlArgs>(
        { description: `S3 assets of ${identity}`, originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
        transforms?.originAccessControl,
      ),
      parent,
    );

    const originRequestPolicy = new aws.cloudfront.OriginRequestPolicy(
      childName(name, "origin-request"),
      applyTransform<aws.cloudfront.OriginRequestPolicyArgs>(
        {
          comment: `What the storefront needs from viewers (${identity})`,
          cookiesConfig: { cookieBehavior: "all" },
          queryStringsConfig: { queryStringBehavior: "all" },
          headersConfig: { headerBehavior: "whitelist", headers: { items: [...settings.forwardedHeaders] } },
        },
        transforms?.originRequestPolicy,
      ),
      parent,
    );

    const headersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
      childName(name, "security-headers"),
      applyTransform<aws.cloudfront.ResponseHeadersPolicyArgs>(
        {
          comment: `Security headers for ${identity}`,
          securityHeadersConfig: {
            strictTransportSecurity: { accessControlMaxAgeSec: 31_536_000, includeSubdomains: true, preload: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: settings.referrerPolicy, override: true },
            contentSecurityPolicy: { contentSecurityPolicy: settings.contentSecurityPolicy, override: true },
          },
        },
        transforms?.responseHeadersPolicy,
      ),
      parent,
    );

    const certificateArn = args.domain === undefined ? undefined : this.certificate(name, args.domain, pulumi.output(args.hostedZoneId ?? ""), args);

    const assetBehavior = (pathPattern: string): aws.types.input.cloudfront.DistributionOrderedCacheBehavior => ({
      pathPattern,
      targetOriginId: "assets",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: READ_METHODS,
      cachedMethods: READ_METHODS,
      cachePolicyId: MANAGED_CACHE_POLICY_IDS.cachingOptimized,
      responseHeadersPolicyId: headersPolicy.id,
      compress: true,
    });

    const distribution = new aws.cloudfront.Distribution(
      childName(name, "distribution"),
      applyTransform<aws.cloudfront.DistributionArgs>(
        {
          enabled: true,
          comment: identity,
          aliases: args.domain === undefined ? [] : [args.domain],
          httpVersion: "http2and3",
          isIpv6Enabled: true,
          priceClass: settings.priceClass,
          webAclId: args.webAclArn,
          origins: [
            { originId: "assets", domainName: args.assetsBucketDomainName, originAccessControlId: oac.id },
            {
              originId: "app",
              domainName: args.originDomain,
              customOriginConfig: {
                httpPort: 80,
                httpsPort: 443,
                originProtocolPolicy: settings.originProtocol === "http" ? "http-only" : "https-only",
                originSslProtocols: ["TLSv1.2"],
                originReadTimeout: settings.originReadTimeoutSeconds,
                originKeepaliveTimeout: 5,
              },
              customHeaders: [{ name: settings.originHeaderName, value: this.originHeaderValue }],
            },
          ],
          orderedCacheBehaviors: settings.assetPaths.map(assetBehavior),
          defaultCacheBehavior: {
            targetOriginId: "app",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ALL_METHODS,
            cachedMethods: READ_METHODS,
            cachePolicyId: MANAGED_CACHE_POLICY_IDS.cachingDisabled,
            originRequestPolicyId: originRequestPolicy.id,
            responseHeadersPolicyId: headersPolicy.id,
            compress: true,
          },
          restrictions: {
            geoRestriction:
              args.geoRestriction === undefined
                ? { restrictionType: "none", locations: [] }
                : { restrictionType: args.geoRestriction.type, locations: [...args.geoRestriction.locations] },
          },
          viewerCertificate:
            certificateArn === undefined
              ? { cloudfrontDefaultCertificate: true }
              : { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: settings.minimumProtocolVersion },
        },
        transforms?.distribution,
      ),
      parent,
    );

    if (args.domain !== undefined) this.aliasRecords(name, args.domain, pulumi.output(args.hostedZoneId ?? ""), distribution, args);
    this.standardLogging(name, identity, distribution, args);

    this.distributionId = distribution.id;
    this.distributionArn = distribution.arn;
    this.distributionDomainName = distribution.domainName;
    this.url = args.domain === undefined ? pulumi.interpolate`https://${distribution.domainName}` : pulumi.output(`https://${args.domain}`);
    this.originAccessControlId = oac.id;
    this.certificateArn = certificateArn;
    this.registerOutputs({
      distributionId: this.distributionId,
      distributionArn: this.distributionArn,
      distributionDomainName: this.distributionDomainName,
      url: this.url,
      originHeaderName: this.originHeaderName,
      originHeaderValue: this.originHeaderValue,
      originAccessControlId: this.originAccessControlId,
      certificateArn: this.certificateArn,
      region: this.region,
    });
  }

  /** The origin header's value as a secret: given, or generated once and kept in SSM. */
  private originSecret(name: string, args: CdnArgs, identity: string): pulumi.Output<string> {
    if (args.originSecret !== undefined) return pulumi.secret(args.originSecret);
    const parameter = new aws.ssm.Parameter(
      childName(name, "origin-secret"),
      applyTransform<aws.ssm.ParameterArgs>(
        {
          region: EDGE_REGION,
          name: `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/origin-verify-secret`,
          description: `Value of the origin header CloudFront sends and the ALB requires (${identity})`,
          type: "SecureString",
          value: pulumi.secret(randomBytes(32).toString("base64url")),
          keyId: args.originSecretKmsKeyId,
          tags: { DataClass: "secrets" },
        },
        args.transforms?.originSecretParameter,
      ),
      // A new random value is drawn on every run; the stored one wins, so the header stays stable.
      { parent: this, ignoreChanges: ["value"] },
    );
    return pulumi.secret(parameter.value);
  }

  /** An ACM certificate in us-east-1, DNS-validated in the hosted zone; resolves once issued. */
  private certificate(name: string, domain: string, zoneId: pulumi.Output<string>, args: CdnArgs): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(
      childName(name, "certificate"),
      applyTransform<aws.acm.CertificateArgs>(
        { region: EDGE_REGION, domainName: domain, validationMethod: "DNS", keyAlgorithm: "RSA_2048", tags: { Name: domain } },
        args.transforms?.certificate,
      ),
      { parent: this },
    );
    const validation = certificate.domainValidationOptions.apply((options) => {
      const option = options.find((candidate) => candidate.domainName === domain) ?? options[0];
      if (option === undefined) throw new Error(`Cdn ${name}: ACM returned no DNS validation record for ${domain}`);
      return option;
    });
    const record = new aws.route53.Record(
      childName(name, "certificate-validation"),
      {
        zoneId,
        name: validation.resourceRecordName,
        type: validation.resourceRecordType,
        records: [validation.resourceRecordValue],
        ttl: 300,
        allowOverwrite: true,
      },
      { parent: this },
    );
    const validated = new aws.acm.CertificateValidation(
      childName(name, "certificate-validation"),
      { region: EDGE_REGION, certificateArn: certificate.arn, validationRecordFqdns: [record.fqdn] },
      { parent: this },
    );
    return validated.certificateArn;
  }

  private aliasRecords(name: string, domain: string, zoneId: pulumi.Output<string>, distribution: aws.cloudfront.Distribution, args: CdnArgs): void {
    for (const type of ["A", "AAAA"]) {
      new aws.route53.Record(
        childName(name, `alias-${type.toLowerCase()}`),
        applyTransform<aws.route53.RecordArgs>(
          {
            zoneId,
            name: domain,
            type,
            aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
          },
          args.transforms?.aliasRecord,
        ),
        { parent: this },
      );
    }
  }

  /**
   * Standard logging v2 (CloudWatch vended logs) into the LogBucket: unlike legacy logging it needs
   * no bucket ACLs, so the LogBucket keeps ACLs disabled. The source lives in us-east-1.
   */
  private standardLogging(name: string, identity: string, distribution: aws.cloudfront.Distribution, args: CdnArgs): void {
    const region = EDGE_REGION;
    const source = new aws.cloudwatch.LogDeliverySource(
      childName(name, "access-logs"),
      { region, name: awsName(`${identity}-access-logs`, 60), logType: "ACCESS_LOGS", resourceArn: distribution.arn },
      { parent: this },
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
      childName(name, "access-logs"),
      applyTransform<aws.cloudwatch.LogDeliveryDestinationArgs>(
        {
          region,
          name: awsName(`${identity}-access-logs-s3`, 60),
          outputFormat: args.accessLogs.outputFormat ?? "w3c",
          deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${args.accessLogs.bucketArn}/${LOG_PREFIXES.cloudFront}` },
        },
        args.transforms?.logDeliveryDestination,
      ),
      { parent: this },
    );
    new aws.cloudwatch.LogDelivery(
      childName(name, "access-logs"),
      applyTransform<aws.cloudwatch.LogDeliveryArgs>(
        {
          region,
          deliverySourceName: source.name,
          deliveryDestinationArn: destination.arn,
          s3DeliveryConfigurations: [{ suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false }],
        },
        args.transforms?.logDelivery,
      ),
      { parent: this },
    );
  }
}

interface CdnSettings {
  assetPaths: readonly string[];
  originProtocol: "https" | "http";
  originHeaderName: string;
  originReadTimeoutSeconds: number;
  forwardedHeaders: readonly string[];
  priceClass: string;
  contentSecurityPolicy: string;
  referrerPolicy: string;
  minimumProtocolVersion: string;
}

const DNS_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
/** Headers CloudFront will not let a policy or an origin custom header carry. */
const RESERVED_HEADERS = [
  "accept-encoding", "authorization", "cache-control", "connection", "content-length", "cookie", "expect", "host",
  "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma",
  "proxy-authorization", "proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding",
  "upgrade", "via", "x-real-ip",
];

function validateCdnArgs(name: string, args: CdnArgs): CdnSettings {
  const fail = (message: string): never => {
    throw new Error(`Cdn ${name}: ${message}`);
  };
  const tier: unknown = args.tier ?? "prod";
  if (tier !== "dev" && tier !== "staging" && tier !== "prod") return fail(`tier must be dev, staging or prod, got ${JSON.stringify(tier)}`);
  if (args.domain === undefined) {
    if (tier !== "dev") fail(`a ${tier} stack needs a domain and hostedZoneId; only dev may serve on CloudFront's default certificate`);
    if (args.hostedZoneId !== undefined) fail("hostedZoneId is set but domain is not; set both or neither");
  } else {
    if (!DNS_NAME.test(args.domain)) fail(`domain must be a lower-case DNS name such as shop.example.com, got "${args.domain}"`);
    if (args.hostedZoneId === undefined) fail(`domain ${args.domain} needs hostedZoneId: its certificate is validated and its alias records live there`);
  }
  if (typeof args.originDomain === "string") {
    if (!DNS_NAME.test(args.originDomain)) fail(`originDomain must be a host name such as origin.shop.example.com (not an IP or URL), got "${args.originDomain}"`);
    if (args.originDomain === args.domain) fail(`originDomain must differ from domain (${args.domain}), or CloudFront would send requests back to itself`);
  }
  if ((args.accessLogs as CdnAccessLogs | undefined)?.bucketArn === undefined) {
    fail("accessLogs.bucketArn is required: the LogBucket that receives CloudFront standard logs");
  }
  if (typeof args.accessLogs.bucketArn === "string" && !/^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$/.test(args.accessLogs.bucketArn)) {
    fail(`accessLogs.bucketArn must be an S3 bucket ARN (arn:aws:s3:::<bucket>), got "${args.accessLogs.bucketArn}"`);
  }
  const outputFormat = args.accessLogs.outputFormat ?? "w3c";
  if (!(LOG_FORMATS as readonly string[]).includes(outputFormat)) fail(`accessLogs.outputFormat must be one of ${LOG_FORMATS.join(", ")}, got "${outputFormat}"`);
  if ((args.webAclArn as pulumi.Input<string> | undefined) === undefined) fail("webAclArn is required: the EdgeFirewall's web ACL");
  const originProtocol: unknown = args.originProtocol ?? "https";
  if (originProtocol !== "https" && originProtocol !== "http") fail(`originProtocol must be https or http, got ${JSON.stringify(originProtocol)}`);
  if (originProtocol === "http" && (tier !== "dev" || args.domain !== undefined)) {
    fail("originProtocol http is only for a dev stack without a domain; every other origin is reached over HTTPS");
  }

  const assetPaths = args.assetPaths ?? DEFAULT_ASSET_PATHS;
  if (assetPaths.length === 0) fail("assetPaths is empty; list the paths served from the asset bucket, such as /assets/*");
  for (const path of assetPaths) {
    if (!path.startsWith("/") || path.length > 255) fail(`assetPaths has "${path}"; a path pattern starts with "/" and has at most 255 characters`);
  }
  if (new Set(assetPaths).size !== assetPaths.length) fail("assetPaths lists a path more than once");

  const originHeaderName = args.originHeaderName ?? "X-Origin-Verify";
  const lowerName = originHeaderName.toLowerCase();
  if (!HEADER_NAME.test(originHeaderName) || RESERVED_HEADERS.includes(lowerName) || /^x-(amz|edge|amzn)-/.test(lowerName) || lowerName.startsWith("cloudfront-")) {
    fail(`originHeaderName "${originHeaderName}" is not a header name CloudFront can add to origin requests`);
  }
  if (typeof args.originSecret === "string" && (args.originSecret.length < 32 || args.originSecret.length > 1783 || /[\r\n]/.test(args.originSecret))) {
    fail("originSecret must be 32 to 1783 characters on one line; it is the only thing keeping the ALB from direct traffic");
  }
  const originReadTimeoutSeconds = args.originReadTimeoutSeconds ?? 30;
  if (!Number.isInteger(originReadTimeoutSeconds) || originReadTimeoutSeconds < 1 || originReadTimeoutSeconds > 180) {
    fail(`originReadTimeoutSeconds must be a whole number from 1 to 180, got ${originReadTimeoutSeconds}`);
  }

  const forwardedHeaders = args.forwardedHeaders ?? DEFAULT_FORWARDED_HEADERS;
  if (forwardedHeaders.length > 10) fail(`forwardedHeaders lists ${forwardedHeaders.length} headers; an origin request policy takes at most 10`);
  const seen = new Set<string>();
  for (const header of forwardedHeaders) {
    const lower = header.toLowerCase();
    if (!HEADER_NAME.test(header)) fail(`forwardedHeaders has "${header}", which is not an HTTP header name`);
    if (RESERVED_HEADERS.includes(lower) || /^x-(amz|edge)-/.test(lower)) {
      fail(`forwardedHeaders has "${header}", which CloudFront does not let an origin request policy forward (Host would also break origin TLS checks)`);
    }
    if (seen.has(lower)) fail(`forwardedHeaders lists "${header}" more than once`);
    seen.add(lower);
  }

  const priceClass = args.priceClass ?? "PriceClass_All";
  if (!(PRICE_CLASSES as readonly string[]).includes(priceClass)) fail(`priceClass must be one of ${PRICE_CLASSES.join(", ")}, got "${priceClass}"`);
  if (args.geoRestriction !== undefined) {
    const { locations } = args.geoRestriction;
    const type: unknown = args.geoRestriction.type;
    if (type !== "whitelist" && type !== "blacklist") fail(`geoRestriction.type must be whitelist or blacklist, got ${JSON.stringify(type)}`);
    if (locations.length === 0) fail("geoRestriction.locations is empty; list ISO 3166-1 alpha-2 country codes such as DE");
    for (const location of locations) {
      if (!/^[A-Z]{2}$/.test(location)) fail(`geoRestriction.locations has "${location}"; expected an upper-case ISO 3166-1 alpha-2 code such as DE`);
    }
  }
  const contentSecurityPolicy = args.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY;
  if (contentSecurityPolicy.trim() === "" || contentSecurityPolicy.length > 1783 || /[\r\n]/.test(contentSecurityPolicy)) {
    fail("contentSecurityPolicy must be a non-empty single line of at most 1783 characters (CloudFront's limit)");
  }
  const referrerPolicy = args.referrerPolicy ?? "strict-origin-when-cross-origin";
  if (!(REFERRER_POLICIES as readonly string[]).includes(referrerPolicy)) fail(`referrerPolicy must be one of ${REFERRER_POLICIES.join(", ")}, got "${referrerPolicy}"`);
  const minimumProtocolVersion = args.minimumProtocolVersion ?? "TLSv1.2_2021";
  if (!(PROTOCOL_VERSIONS as readonly string[]).includes(minimumProtocolVersion)) {
    fail(`minimumProtocolVersion must be one of ${PROTOCOL_VERSIONS.join(", ")} (TLS 1.2 or newer), got "${minimumProtocolVersion}"`);
  }
  return { assetPaths, originProtocol: originProtocol as "https" | "http", originHeaderName, originReadTimeoutSeconds, forwardedHeaders, priceClass, contentSecurityPolicy, referrerPolicy, minimumProtocolVersion };
}
