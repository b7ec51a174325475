import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { CdnArgs } from "./cdn.js";

const LOG_BUCKET_ARN = "arn:aws:s3:::logs-bucket-1234567";
const WEB_ACL = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge-acl/0f6c7e1a-1111-4222-8333-444455556666";
const SECRET = "s".repeat(40);

const prodArgs: CdnArgs = {
  domain: "shop.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  assetsBucketDomainName: "assets-bucket-1234567.s3.eu-west-1.amazonaws.com",
  originDomain: "origin.shop.example.com",
  webAclArn: WEB_ACL,
  accessLogs: { bucketArn: LOG_BUCKET_ARN },
};

async function cdn(args: CdnArgs = prodArgs, region = "us-east-1") {
  return runUnderMocks(
    async () => {
      const { Cdn } = await import("./cdn.js");
      const edge = new aws.Provider("edge", { region });
      const cdn = new Cdn("cdn", args, { provider: edge });
      const optimized = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingOptimized" }, { provider: edge }).apply((policy) => policy.id);
      const disabled = aws.cloudfront.getCachePolicyOutput({ name: "Managed-CachingDisabled" }, { provider: edge }).apply((policy) => policy.id);
      return {
        arn: cdn.distributionArn,
        domainName: cdn.distributionDomainName,
        url: cdn.url,
        headerName: cdn.originHeaderName,
        headerValue: cdn.originHeaderValue,
        headerIsSecret: pulumi.isSecret(cdn.originHeaderValue),
        certificateArn: cdn.certificateArn ?? "none",
        managed: { optimized, disabled },
      };
    },
    { stack: "prod" },
  );
}

const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
const distributionOf = (run: { resources: CollectedResource[] }) => findResource(run.resources, DISTRIBUTION).inputs as Record<string, unknown> & {
  origins: Record<string, unknown>[];
  orderedCacheBehaviors: Record<string, unknown>[];
  defaultCacheBehavior: Record<string, unknown>;
  viewerCertificate: Record<string, unknown>;
};

describe("Cdn", () => {
  it("serves the domain over HTTP/2 and HTTP/3, IPv6, with the web ACL, an SNI certificate and TLS 1.2 minimum", async () => {
    const run = await cdn();
    const distribution = distributionOf(run);
    expect(distribution).toMatchObject({
      enabled: true,
      aliases: ["shop.example.com"],
      httpVersion: "http2and3",
      isIpv6Enabled: true,
      priceClass: "PriceClass_All",
      webAclId: WEB_ACL,
      restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
    });
    expect(distribution.viewerCertificate).toEqual({ acmCertificateArn: run.outputs.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" });
    expect(run.outputs.url).toBe("https://shop.example.com");
    expect(findResource(run.resources, DISTRIBUTION).parent).toBe(findResource(run.resources, "shop:edge:Cdn").urn);
  });

  it("requests a DNS-validated ACM certificate in us-east-1 and validates it in the hosted zone", async () => {
    const run = await cdn();
    const certificate = findResource(run.resources, "aws:acm/certificate:Certificate");
    expect(certificate.region).toBe("us-east-1");
    expect(certificate.inputs).toMatchObject({ domainName: "shop.example.com", validationMethod: "DNS" });
    const record = findResource(run.resources, "aws:route53/record:Record", "cdn-certificate-validation");
    const [option] = certificate.outputs.domainValidationOptions as Record<string, string>[];
    expect(record.inputs).toMatchObject({ zoneId: "Z0123456789ABCDEFGHIJ", name: option?.resourceRecordName, type: "CNAME", records: [option?.resourceRecordValue] });
    const validation = findResource(run.resources, "aws:acm/certificateValidation:CertificateValidation");
    expect(validation.region).toBe("us-east-1");
    expect(validation.inputs).toMatchObject({ certificateArn: certificate.outputs.arn, validationRecordFqdns: [record.outputs.fqdn] });
    expect(run.outputs.certificateArn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\//);
  });

  it("points A and AAAA alias records for the domain at the distribution", async () => {
    const run = await cdn();
    for (const type of ["A", "AAAA"]) {
      expect(findResource(run.resources, "aws:route53/record:Record", `cdn-alias-${type.toLowerCase()}`).inputs).toEqual({
        zoneId: "Z0123456789ABCDEFGHIJ",
        name: "shop.example.com",
        type,
        aliases: [{ name: run.outputs.domainName, zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
      });
    }
  });

  it("reads assets through an always-signing OAC and reaches the app over HTTPS-only TLS 1.2 with the secret header", async () => {
    const run = await cdn({ ...prodArgs, originSecret: SECRET });
    const oac = findResource(run.resources, "aws:cloudfront/originAccessControl:OriginAccessControl");
    expect(oac.inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
    const [assets, app] = distributionOf(run).origins;
    expect(assets).toEqual({ originId: "assets", domainName: prodArgs.assetsBucketDomainName, originAccessControlId: oac.id });
    expect(app).toMatchObject({
      originId: "app",
      domainName: "origin.shop.example.com",
      customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpsPort: 443, originReadTimeout: 30 },
      customHeaders: [{ name: "X-Origin-Verify", value: SECRET }],
    });
    expect(findResource(run.resources, DISTRIBUTION).secretProperties).toContain("origins");
    expect(run.outputs).toMatchObject({ headerName: "X-Origin-Verify", headerValue: SECRET, headerIsSecret: true });
    expect(run.resources.some((resource) => resource.type === "aws:ssm/parameter:Parameter")).toBe(false);
  });

  it("generates the origin secret once into an SSM SecureString and exposes it only as a secret", async () => {
    const run = await cdn();
    const parameter = findResource(run.resources, "aws:ssm/parameter:Parameter");
    expect(parameter.region).toBe("us-east-1");
    expect(parameter.inputs).toMatchObject({ type: "SecureString", name: "/shop-platform/prod/cdn/origin-verify-secret" });
    expect(parameter.secretProperties).toContain("value");
    // Later runs draw a new random value; ignoring changes to it keeps the stored one.
    expect(parameter.ignoreChanges).toEqual(["value"]);
    expect(run.outputs.headerValue).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parameter.inputs.value).toBe(run.outputs.headerValue);
    expect(run.outputs.headerIsSecret).toBe(true);
    const [, app] = distributionOf(run).origins;
    expect(app?.customHeaders).toEqual([{ name: "X-Origin-Verify", value: run.outputs.headerValue }]);
  });

  it("sends /assets/* and /static/* to S3 with CachingOptimized, and everything else uncached to the app", async () => {
    const run = await cdn();
    const distribution = distributionOf(run);
    const headers = findResource(run.resources, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy");
    expect(distribution.orderedCacheBehaviors.map((behavior) => behavior.pathPattern)).toEqual(["/assets/*", "/static/*"]);
    for (const behavior of distribution.orderedCacheBehaviors) {
      expect(behavior).toMatchObject({
        targetOriginId: "assets",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD"],
        cachePolicyId: run.outputs.managed.optimized,
        responseHeadersPolicyId: headers.id,
      });
    }
    const originRequest = findResource(run.resources, "aws:cloudfront/originRequestPolicy:OriginRequestPolicy");
    expect(distribution.defaultCacheBehavior).toMatchObject({
      targetOriginId: "app",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"],
      cachePolicyId: run.outputs.managed.disabled,
      originRequestPolicyId: originRequest.id,
      responseHeadersPolicyId: headers.id,
    });
    expect(originRequest.inputs).toMatchObject({ cookiesConfig: { cookieBehavior: "all" }, queryStringsConfig: { queryStringBehavior: "all" }, headersConfig: { headerBehavior: "whitelist" } });
    const forwarded = (originRequest.inputs.headersConfig as { headers: { items: string[] } }).headers.items;
    expect(forwarded).toContain("CloudFront-Viewer-Address");
    expect(forwarded.map((header) => header.toLowerCase())).not.toContain("host");
  });

  it("adds HSTS with preload, nosniff, frame DENY, a referrer policy and the CSP to every response", async () => {
    const run = await cdn({ ...prodArgs, contentSecurityPolicy: "default-src 'self'; script-src 'self' https://js.stripe.com" });
    expect(findResource(run.resources, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs.securityHeadersConfig).toEqual({
      strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, preload: true, override: true },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: "DENY", override: true },
      referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
      contentSecurityPolicy: { contentSecurityPolicy: "default-src 'self'; script-src 'self' https://js.stripe.com", override: true },
    });
  });

  it("logs through CloudFront standard logging v2 from us-east-1 into the log bucket's cloudfront/ prefix", async () => {
    const run = await cdn();
    const source = findResource(run.resources, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
    const destination = findResource(run.resources, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination");
    const delivery = findResource(run.resources, "aws:cloudwatch/logDelivery:LogDelivery");
    expect(source.inputs).toMatchObject({ logType: "ACCESS_LOGS", resourceArn: run.outputs.arn });
    expect(destination.inputs).toMatchObject({ outputFormat: "w3c", deliveryDestinationConfiguration: { destinationResourceArn: `${LOG_BUCKET_ARN}/cloudfront` } });
    expect(delivery.inputs).toMatchObject({ deliverySourceName: source.inputs.name, deliveryDestinationArn: destination.outputs.arn });
    for (const resource of [source, destination, delivery]) expect(resource.region, resource.type).toBe("us-east-1");
    // Legacy logging (which needs bucket ACLs) stays off.
    expect(distributionOf(run).loggingConfig).toBeUndefined();
  });

  it("runs a dev stack without a domain on CloudFront's default certificate", async () => {
    const { domain: _domain, hostedZoneId: _zone, ...rest } = prodArgs;
    const run = await cdn({ ...rest, tier: "dev" });
    expect(distributionOf(run).viewerCertificate).toEqual({ cloudfrontDefaultCertificate: true });
    expect(distributionOf(run).aliases).toEqual([]);
    expect(run.resources.filter((resource) => resource.type.startsWith("aws:acm/") || resource.type.startsWith("aws:route53/"))).toEqual([]);
    expect(run.outputs.url).toBe(`https://${run.outputs.domainName}`);
    expect(run.outputs.certificateArn).toBe("none");
  });

  it("reaches a dev stack's ALB without a domain over HTTP only when told to", async () => {
    const { domain: _domain, hostedZoneId: _zone, ...rest } = prodArgs;
    const run = await cdn({ ...rest, tier: "dev", originProtocol: "http" });
    const app = distributionOf(run).origins.find((origin) => origin.originId === "app") as { customOriginConfig: { originProtocolPolicy: string } };
    expect(app.customOriginConfig.originProtocolPolicy).toBe("http-only");
    expect(distributionOf(run).defaultCacheBehavior.viewerProtocolPolicy).toBe("redirect-to-https");
  });

  it("takes price class, geo restriction, TLS policy, asset paths and headers from its args", async () => {
    const run = await cdn({
      ...prodArgs,
      priceClass: "PriceClass_100",
      geoRestriction: { type: "whitelist", locations: ["DE", "AT", "FR"] },
      minimumProtocolVersion: "TLSv1.3_2025",
      assetPaths: ["/_next/static/*"],
      originHeaderName: "X-Shop-Edge",
      forwardedHeaders: ["Accept", "User-Agent"],
      accessLogs: { bucketArn: LOG_BUCKET_ARN, outputFormat: "parquet" },
    });
    const distribution = distributionOf(run);
    expect(distribution).toMatchObject({ priceClass: "PriceClass_100", restrictions: { geoRestriction: { restrictionType: "whitelist", locations: ["DE", "AT", "FR"] } } });
    expect(distribution.viewerCertificate.minimumProtocolVersion).toBe("TLSv1.3_2025");
    expect(distribution.orderedCacheBehaviors.map((behavior) => behavior.pathPattern)).toEqual(["/_next/static/*"]);
    expect((distribution.origins[1]?.customHeaders as { name: string }[])[0]?.name).toBe("X-Shop-Edge");
    expect(run.outputs.headerName).toBe("X-Shop-Edge");
  });

  it("merges object transforms into the children's args", async () => {
    const run = await cdn({
      ...prodArgs,
      transforms: {
        distribution: { comment: "custom", viewerCertificate: { minimumProtocolVersion: "TLSv1.2_2025" } },
        responseHeadersPolicy: { customHeadersConfig: { items: [{ header: "Permissions-Policy", value: "camera=()", override: true }] } },
        aliasRecord: { allowOverwrite: true },
        logDeliverySource: { tags: { Team: "edge" } },
      },
    });
    const distribution = distributionOf(run);
    expect(distribution.comment).toBe("custom");
    // Plain objects merge key by key: the rest of the viewer certificate stays.
    expect(distribution.viewerCertificate).toMatchObject({ minimumProtocolVersion: "TLSv1.2_2025", sslSupportMethod: "sni-only" });
    expect(distribution.viewerCertificate.acmCertificateArn).toBeDefined();
    expect(findResource(run.resources, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs.customHeadersConfig).toBeDefined();
    expect(findResources(run.resources, "aws:route53/record:Record").filter((record) => record.inputs.allowOverwrite === true)).toHaveLength(3);
    expect(findResource(run.resources, "aws:cloudwatch/logDeliverySource:LogDeliverySource").inputs).toMatchObject({ tags: { Team: "edge" }, logType: "ACCESS_LOGS" });
  });

  it("lets a function transform edit a child's args, rename it and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await cdn({
      ...prodArgs,
      transforms: {
        distribution: (args, opts, name) => {
          args.comment = "edited";
          opts.protect = true;
          opts.ignoreChanges = ["comment"];
          seen.push(opts);
          return `${name}-v2`;
        },
        certificateValidation: (_args, opts) => {
          opts.ignoreChanges = ["validationRecordFqdns"];
        },
      },
    });
    const distribution = findResource(run.resources, DISTRIBUTION);
    expect(distribution.name).toBe("cdn-distribution-v2");
    expect(distribution.inputs.comment).toBe("edited");
    expect(distribution.ignoreChanges).toEqual(["comment"]);
    expect(distribution.parent).toBe(findResource(run.resources, "shop:edge:Cdn").urn);
    expect(seen[0]?.protect).toBe(true);
    expect(findResource(run.resources, "aws:acm/certificateValidation:CertificateValidation").ignoreChanges).toEqual(["validationRecordFqdns"]);
  });

  it("refuses a provider outside us-east-1", async () => {
    await expect(cdn(prodArgs, "eu-west-1")).rejects.toThrow(/Cdn cdn must be created with an aws.Provider for us-east-1 .* but its provider is in eu-west-1/);
  });

  it.each<[string, Partial<CdnArgs>, RegExp]>([
    ["a prod stack without a domain", { domain: undefined, hostedZoneId: undefined }, /Cdn "cdn": a prod stack needs a domain and hostedZoneId; only dev may serve on CloudFront's default certificate/],
    ["a domain without its zone", { hostedZoneId: undefined }, /domain shop.example.com needs hostedZoneId/],
    ["a zone without a domain", { tier: "dev", domain: undefined }, /hostedZoneId is set but domain is not/],
    ["an upper-case domain", { domain: "Shop.Example.com" }, /domain is "Shop.Example.com"; expected a lower-case DNS name/],
    ["an origin given as a URL", { originDomain: "https://origin.shop.example.com" }, /originDomain is "https:\/\/origin.shop.example.com"; expected a host name such as origin.shop.example.com/],
    ["the viewer domain as origin", { originDomain: "shop.example.com" }, /originDomain must differ from domain \(shop.example.com\)/],
    ["no log bucket", { accessLogs: undefined }, /accessLogs.bucketArn is required/],
    ["a log bucket name for an ARN", { accessLogs: { bucketArn: "logs-bucket" } }, /accessLogs.bucketArn is "logs-bucket"; expected an S3 bucket ARN/],
    ["no web ACL", { webAclArn: undefined }, /webAclArn is required/],
    ["a relative asset path", { assetPaths: ["assets/*"] }, /assetPaths has "assets\/\*"; a path pattern starts with "\/"/],
    ["no asset paths", { assetPaths: [] }, /assetPaths is empty/],
    ["a reserved origin header", { originHeaderName: "Host" }, /originHeaderName "Host" is not a header name CloudFront can add/],
    ["a short origin secret", { originSecret: "hunter2" }, /originSecret must be 32 to 1783 characters/],
    ["a long origin timeout", { originReadTimeoutSeconds: 600 }, /originReadTimeoutSeconds is 600; expected an integer from 1 to 180/],
    ["forwarding Host", { forwardedHeaders: ["Host"] }, /forwardedHeaders has "Host", which CloudFront does not let/],
    ["too many forwarded headers", { forwardedHeaders: Array.from({ length: 11 }, (_, i) => `X-H${i}`) }, /forwardedHeaders lists 11 headers; an origin request policy takes at most 10/],
    ["a repeated header", { forwardedHeaders: ["Accept", "accept"] }, /forwardedHeaders lists "accept" more than once/],
    ["an unknown price class", { priceClass: "PriceClass_50" as never }, /priceClass is "PriceClass_50"; expected one of PriceClass_100, PriceClass_200, PriceClass_All/],
    ["a lower-case country", { geoRestriction: { type: "whitelist", locations: ["de"] } }, /geoRestriction.locations is "de"; expected an upper-case ISO 3166-1 alpha-2 code/],
    ["an empty geo list", { geoRestriction: { type: "blacklist", locations: [] } }, /geoRestriction.locations is empty/],
    ["a multi-line CSP", { contentSecurityPolicy: "default-src 'self';\nscript-src 'self'" }, /contentSecurityPolicy must be a non-empty single line/],
    ["an unknown referrer policy", { referrerPolicy: "never" as never }, /referrerPolicy is "never"; expected one of no-referrer/],
    ["TLS 1.1", { minimumProtocolVersion: "TLSv1.1_2016" as never }, /minimumProtocolVersion is "TLSv1.1_2016"; expected one of TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025/],
    ["an unknown tier", { tier: "qa" as never }, /tier is "qa"; expected one of dev, staging, prod/],
    ["an HTTP origin in prod", { originProtocol: "http" }, /originProtocol http is only for a dev stack without a domain/],
    ["an unknown origin protocol", { originProtocol: "ftp" as never }, /originProtocol is "ftp"; expected one of https, http/],
  ])("rejects %s with a clear error", async (_what, overrides, message) => {
    await expect(cdn({ ...prodArgs, ...overrides })).rejects.toThrow(message);
  });
});

/** What the lead's stack program will do: the whole edge, wired without a dependency cycle. */
async function edgeWiring(preview: boolean) {
  return runUnderMocks(
    async () => {
      const { KeyRing } = await import("./keys.js");
      const { AssetBucket, LogBucket } = await import("./buckets.js");
      const { EdgeFirewall } = await import("./waf.js");
      const { Cdn } = await import("./cdn.js");
      const primary = new aws.Provider("primary", { region: "eu-west-1" });
      const edge = new aws.Provider("edge", { region: "us-east-1" });

      const keys = new KeyRing("keys", {}, { provider: primary });
      const edgeKeys = new KeyRing("edge-keys", { classes: ["logs"] }, { provider: edge });
      const logs = new LogBucket("logs", {}, { provider: primary });
      // The bucket policy needs the distribution's ARN; the distribution needs the bucket's domain.
      const [distributionArn, resolveDistributionArn] = pulumi.deferredOutput<string>();
      const assets = new AssetBucket("assets", { kmsKeyArn: keys.keyArn("assets"), accessLogs: { bucket: logs.bucketName }, distributionArn }, { provider: primary });
      const waf = new EdgeFirewall("edge", { logKmsKeyArn: edgeKeys.keyArn("logs") }, { provider: edge });
      const cdn = new Cdn(
        "cdn",
        {
          ...prodArgs,
          assetsBucketDomainName: assets.bucketRegionalDomainName,
          webAclArn: waf.webAclArn,
          accessLogs: { bucketArn: logs.bucketArn },
        },
        { provider: edge },
      );
      resolveDistributionArn(cdn.distributionArn);
      return { distributionArn: cdn.distributionArn, bucketDomain: assets.bucketRegionalDomainName, webAclArn: waf.webAclArn, logBucketArn: logs.bucketArn };
    },
    { stack: "prod", preview },
  );
}

describe("the edge wiring (KeyRing, LogBucket, AssetBucket, EdgeFirewall, Cdn)", () => {
  it("lets the asset bucket name the distribution that needs the bucket's domain, without a cycle", async () => {
    const run = await edgeWiring(false);
    const policy = JSON.parse(String(findResource(run.resources, "aws:s3/bucketPolicy:BucketPolicy", "assets-policy").inputs.policy)) as { Statement: { Sid?: string; Condition?: unknown }[] };
    expect(policy.Statement.find((statement) => statement.Sid === "AllowCloudFrontOriginAccessControl")?.Condition).toEqual({
      StringEquals: { "AWS:SourceArn": run.outputs.distributionArn },
    });
    const distribution = distributionOf(run);
    expect(distribution.origins[0]?.domainName).toBe(run.outputs.bucketDomain);
    expect(distribution.webAclId).toBe(run.outputs.webAclArn);
    expect(findResource(run.resources, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination").inputs.deliveryDestinationConfiguration).toEqual({
      destinationResourceArn: `${run.outputs.logBucketArn}/cloudfront`,
    });
    expect(findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs.kmsKeyId).toMatch(/^arn:aws:kms:us-east-1:/);
  });

  it("previews offline: values AWS computes are unknown, nothing fails", async () => {
    const run = await edgeWiring(true);
    expect(run.outputs.distributionArn).toBeUndefined();
    expect(findResource(run.resources, "aws:s3/bucketPolicy:BucketPolicy", "assets-policy").unknownProperties).toContain("policy");
    expect(findResources(run.resources, "aws:kms/key:Key")).toHaveLength(8);
  });
});
