import { randomBytes } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_PREFIXES } from "./buckets.js";
import { awsName, childName } from "./conventions.js";
import { distributionArgs, type DistributionParts } from "./cdn/distribution.js";
import {
  type CdnSettings,
  type LogFormat,
  type PriceClass,
  type ProtocolVersion,
  type ReferrerPolicy,
  type Tier,
  validateCdnArgs,
} from "./cdn/settings.js";
import { checkedEdgeRegion, EDGE_REGION } from "./common/edge-region.js";
import { transform, type Transform } from "./common/transform.js";

export { MANAGED_CACHE_POLICY_IDS } from "./cdn/distribution.js";
export { DEFAULT_ASSET_PATHS, DEFAULT_CONTENT_SECURITY_POLICY, DEFAULT_FORWARDED_HEADERS } from "./cdn/settings.js";

export interface CdnAccessLogs {
  /** The LogBucket's ARN; CloudFront standard logging (v2) delivers below its `cloudfront/` prefix. */
  bucketArn: pulumi.Input<string>;
  /**
   * The log files' format: `w3c` (the legacy log layout), `json`, `plain` or `parquet` (costs extra per GB).
   * @default "w3c"
   */
  outputFormat?: LogFormat;
}

export interface CdnArgs {
  /**
   * The stack's tier: only `dev` may run without a domain, on CloudFront's default certificate.
   * @default "prod"
   */
  tier?: Tier;
  /**
   * The store's domain, e.g. `shop.example.com`: gets an ACM certificate and alias records.
   * Required outside dev.
   * @default undefined (CloudFront's own host name and default certificate; dev only)
   */
  domain?: string;
  /**
   * The Route 53 hosted zone of `domain` (certificate validation and alias records); set with `domain`.
   * @default undefined
   */
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
   * @default DEFAULT_FORWARDED_HEADERS: Accept, Accept-Language, Content-Type, Origin, Referer,
   * User-Agent, CloudFront-Viewer-Address, CloudFront-Viewer-Country, CloudFront-Forwarded-Proto
   */
  forwardedHeaders?: readonly string[];
  /** The EdgeFirewall's web ACL ARN. */
  webAclArn: pulumi.Input<string>;
  /**
   * Edge locations used: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200`, `PriceClass_All`.
   * @default "PriceClass_All"
   */
  priceClass?: PriceClass;
  /**
   * Serve only (`whitelist`) or never (`blacklist`) the listed countries (ISO 3166-1 alpha-2).
   * @default undefined (no geo restriction)
   */
  geoRestriction?: {
    /** `whitelist` serves only the locations, `blacklist` all but them. */
    type: "whitelist" | "blacklist";
    /** ISO 3166-1 alpha-2 country codes, upper case, e.g. `DE`. */
    locations: readonly string[];
  };
  /**
   * The Content-Security-Policy header on every response.
   * @default DEFAULT_CONTENT_SECURITY_POLICY: "default-src 'self'; base-uri 'self'; object-src 'none';
   * frame-ancestors 'none'; form-action 'self'; img-src 'self' data: https:; upgrade-insecure-requests"
   */
  contentSecurityPolicy?: string;
  /**
   * The Referrer-Policy header on every response.
   * @default "strict-origin-when-cross-origin"
   */
  referrerPolicy?: ReferrerPolicy;
  /**
   * The oldest TLS viewers may use (with a custom domain; SNI only).
   * @default "TLSv1.2_2021"
   */
  minimumProtocolVersion?: ProtocolVersion;
  /** CloudFront standard logging (v2) into the LogBucket. */
  accessLogs: CdnAccessLogs;
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** The SSM SecureString parameter holding the generated origin secret (only without `originSecret`). */
    originSecretParameter?: Transform<aws.ssm.ParameterArgs>;
    /** The Origin Access Control CloudFront signs asset requests with. */
    originAccessControl?: Transform<aws.cloudfront.OriginAccessControlArgs>;
    /** What the dynamic origin receives from viewers. */
    originRequestPolicy?: Transform<aws.cloudfront.OriginRequestPolicyArgs>;
    /** The security headers added to every response. */
    responseHeadersPolicy?: Transform<aws.cloudfront.ResponseHeadersPolicyArgs>;
    /** The ACM certificate for `domain` (only with a domain). */
    certificate?: Transform<aws.acm.CertificateArgs>;
    /** The DNS record that validates the certificate. */
    certificateValidationRecord?: Transform<aws.route53.RecordArgs>;
    /** Waits for the certificate to be issued. */
    certificateValidation?: Transform<aws.acm.CertificateValidationArgs>;
    /** The CloudFront distribution. */
    distribution?: Transform<aws.cloudfront.DistributionArgs>;
    /** Called for the A and the AAAA alias record (only with a domain). */
    aliasRecord?: Transform<aws.route53.RecordArgs>;
    /** The distribution as a source of standard logs (v2). */
    logDeliverySource?: Transform<aws.cloudwatch.LogDeliverySourceArgs>;
    /** The LogBucket as the logs' destination. */
    logDeliveryDestination?: Transform<aws.cloudwatch.LogDeliveryDestinationArgs>;
    /** Connects the source to the destination. */
    logDelivery?: Transform<aws.cloudwatch.LogDeliveryArgs>;
  };
}

/**
 * The storefront's CloudFront distribution (created with the us-east-1 provider): assets from S3
 * through Origin Access Control, everything else from the ALB's `origin.<domain>` over TLS 1.2
 * with a secret header the ALB checks, security headers on every response, the WAF web ACL,
 * standard logging (v2) and, with a domain, an ACM certificate and Route 53 alias records.
 *
 * @example
 * ```ts
 * new Cdn("cdn", {
 *   tier: "prod",
 *   domain: "shop.example.com",
 *   hostedZoneId: zone.zoneId,
 *   assetsBucketDomainName: assets.bucketRegionalDomainName,
 *   originDomain: "origin.shop.example.com",
 *   webAclArn: firewall.webAclArn,
 *   accessLogs: { bucketArn: logs.bucketArn },
 * }, { provider: edgeProvider });
 * ```
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
    this.region = checkedEdgeRegion(this, `Cdn ${name}`);
    const identity = `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;

    this.originHeaderName = settings.originHeaderName;
    this.originHeaderValue = this.originSecret(name, args, identity);
    const oac = this.createOriginAccessControl(name, args, identity);
    const originRequestPolicy = this.createOriginRequestPolicy(name, args, settings, identity);
    const headersPolicy = this.createSecurityHeadersPolicy(name, args, settings, identity);
    const certificateArn = args.domain === undefined ? undefined : this.createCertificate(name, args.domain, args);
    const distribution = this.createDistribution(name, args, settings, {
      identity,
      originAccessControlId: oac.id,
      originRequestPolicyId: originRequestPolicy.id,
      responseHeadersPolicyId: headersPolicy.id,
      originHeaderValue: this.originHeaderValue,
      certificateArn,
    });
    if (args.domain !== undefined) this.createAliasRecords(name, args.domain, distribution, args);
    this.createStandardLogging(name, identity, distribution, args, settings);

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
    const parameter = new aws.ssm.Parameter(...transform(args.transforms?.originSecretParameter, childName(name, "origin-secret"), {
      region: EDGE_REGION,
      name: `/${pulumi.getProject()}/${pulumi.getStack()}/${name}/origin-verify-secret`,
      description: `Value of the origin header CloudFront sends and the ALB requires (${identity})`,
      type: "SecureString",
      value: pulumi.secret(randomBytes(32).toString("base64url")),
      keyId: args.originSecretKmsKeyId,
      tags: { DataClass: "secrets" },
    }, {
      parent: this,
      // A new random value is drawn on every run; the stored one wins, so the header stays stable.
      ignoreChanges: ["value"],
    }));
    return pulumi.secret(parameter.value);
  }

  private createOriginAccessControl(name: string, args: CdnArgs, identity: string): aws.cloudfront.OriginAccessControl {
    return new aws.cloudfront.OriginAccessControl(...transform(args.transforms?.originAccessControl, childName(name, "oac"), {
      description: `S3 assets of ${identity}`,
      originAccessControlOriginType: "s3",
      signingBehavior: "always",
      signingProtocol: "sigv4",
    }, { parent: this }));
  }

  /** Cookies and query strings whole, and the listed viewer headers. */
  private createOriginRequestPolicy(name: string, args: CdnArgs, settings: CdnSettings, identity: string): aws.cloudfront.OriginRequestPolicy {
    return new aws.cloudfront.OriginRequestPolicy(...transform(args.transforms?.originRequestPolicy, childName(name, "origin-request"), {
      comment: `What the storefront needs from viewers (${identity})`,
      cookiesConfig: { cookieBehavior: "all" },
      queryStringsConfig: { queryStringBehavior: "all" },
      headersConfig: { headerBehavior: "whitelist", headers: { items: [...settings.forwardedHeaders] } },
    }, { parent: this }));
  }

  /** HSTS with preload, nosniff, DENY framing, the referrer policy and the CSP, overriding the origin's. */
  private createSecurityHeadersPolicy(name: string, args: CdnArgs, settings: CdnSettings, identity: string): aws.cloudfront.ResponseHeadersPolicy {
    return new aws.cloudfront.ResponseHeadersPolicy(...transform(args.transforms?.responseHeadersPolicy, childName(name, "security-headers"), {
      comment: `Security headers for ${identity}`,
      securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 31_536_000, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: settings.referrerPolicy, override: true },
        contentSecurityPolicy: { contentSecurityPolicy: settings.contentSecurityPolicy, override: true },
      },
    }, { parent: this }));
  }

  /** An ACM certificate in us-east-1, DNS-validated in the hosted zone; resolves once issued. */
  private createCertificate(name: string, domain: string, args: CdnArgs): pulumi.Output<string> {
    const certificate = new aws.acm.Certificate(...transform(args.transforms?.certificate, childName(name, "certificate"), {
      region: EDGE_REGION,
      domainName: domain,
      validationMethod: "DNS",
      keyAlgorithm: "RSA_2048",
      tags: { Name: domain },
    }, { parent: this }));
    const validation = certificate.domainValidationOptions.apply((options) => {
      const option = options.find((candidate) => candidate.domainName === domain) ?? options[0];
      if (option === undefined) throw new Error(`Cdn ${name}: ACM returned no DNS validation record for ${domain}`);
      return option;
    });
    const record = new aws.route53.Record(...transform(args.transforms?.certificateValidationRecord, childName(name, "certificate-validation"), {
      zoneId: pulumi.output(args.hostedZoneId ?? ""),
      name: validation.resourceRecordName,
      type: validation.resourceRecordType,
      records: [validation.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    }, { parent: this }));
    const validated = new aws.acm.CertificateValidation(...transform(args.transforms?.certificateValidation, childName(name, "certificate-validation"), {
      region: EDGE_REGION,
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    }, { parent: this }));
    return validated.certificateArn;
  }

  private createDistribution(name: string, args: CdnArgs, settings: CdnSettings, parts: DistributionParts): aws.cloudfront.Distribution {
    return new aws.cloudfront.Distribution(...transform(args.transforms?.distribution, childName(name, "distribution"), distributionArgs(args, settings, parts), { parent: this }));
  }

  private createAliasRecords(name: string, domain: string, distribution: aws.cloudfront.Distribution, args: CdnArgs): void {
    for (const type of ["A", "AAAA"]) {
      new aws.route53.Record(...transform(args.transforms?.aliasRecord, childName(name, `alias-${type.toLowerCase()}`), {
        zoneId: pulumi.output(args.hostedZoneId ?? ""),
        name: domain,
        type,
        aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
      }, { parent: this }));
    }
  }

  /**
   * Standard logging v2 (CloudWatch vended logs) into the LogBucket: unlike legacy logging it needs
   * no bucket ACLs, so the LogBucket keeps ACLs disabled. The source lives in us-east-1.
   */
  private createStandardLogging(name: string, identity: string, distribution: aws.cloudfront.Distribution, args: CdnArgs, settings: CdnSettings): void {
    const region = EDGE_REGION;
    const source = new aws.cloudwatch.LogDeliverySource(...transform(args.transforms?.logDeliverySource, childName(name, "access-logs"), {
      region,
      name: awsName(`${identity}-access-logs`, 60),
      logType: "ACCESS_LOGS",
      resourceArn: distribution.arn,
    }, { parent: this }));
    const destination = new aws.cloudwatch.LogDeliveryDestination(...transform(args.transforms?.logDeliveryDestination, childName(name, "access-logs"), {
      region,
      name: awsName(`${identity}-access-logs-s3`, 60),
      outputFormat: settings.logFormat,
      deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${args.accessLogs.bucketArn}/${LOG_PREFIXES.cloudFront}` },
    }, { parent: this }));
    new aws.cloudwatch.LogDelivery(...transform(args.transforms?.logDelivery, childName(name, "access-logs"), {
      region,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      s3DeliveryConfigurations: [{ suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false }],
    }, { parent: this }));
  }
}
