import { describe } from "vitest";
import { describePolicies, resource, urnOf } from "../testing.js";
import { cloudfrontPolicies } from "./cloudfront.js";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
const ORIGIN_TLS = { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] };
const HEADERS_POLICY_ID = "a1b2c3d4-headers";

/** A distribution as the CDN component declares it for a stack with a domain; any field overridable. */
function distribution(overrides: Record<string, unknown> = {}, name = "cdn") {
  return resource("aws:cloudfront/distribution:Distribution", name, {
    id: "E2ABCDEF",
    arn: "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF",
    enabled: true,
    webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/1",
    origins: [
      { originId: "alb", domainName: "origin.shop.example.com", customOriginConfig: ORIGIN_TLS },
      { originId: "assets", domainName: "shop-assets.s3.eu-west-1.amazonaws.com", originAccessControlId: "E3OAC" },
    ],
    defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], responseHeadersPolicyId: HEADERS_POLICY_ID },
    orderedCacheBehaviors: [{ pathPattern: "/assets/*", targetOriginId: "assets", viewerProtocolPolicy: "https-only", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03" }],
    viewerCertificate: { acmCertificateArn: CERTIFICATE, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    loggingConfig: { bucket: "shop-logs.s3.amazonaws.com", prefix: "cdn/" },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    ...overrides,
  }, { region: "us-east-1" });
}

function headersPolicy(securityHeadersConfig: Record<string, unknown>) {
  return resource("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "security-headers", { id: HEADERS_POLICY_ID, name: "shop-security-headers", securityHeadersConfig }, { region: "us-east-1" });
}

const GOOD_HEADERS = {
  strictTransportSecurity: { override: true, accessControlMaxAgeSec: 63_072_000, includeSubdomains: true, preload: true },
  contentTypeOptions: { override: true },
  frameOptions: { override: true, frameOption: "DENY" },
};

const DEV_VIEWER = { cloudfrontDefaultCertificate: true };
const CDN = urnOf("aws:cloudfront/distribution:Distribution", "cdn");

describe("CloudFront policies", () => {
  describePolicies(cloudfrontPolicies, {
    "cloudfront-viewer-https": {
      passing: [{ label: "redirect-to-https and https-only behaviors", resources: () => [distribution()] }],
      violating: [
        { label: "allow-all on the default behavior", resources: () => [distribution({ defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "allow-all" } })], message: /the default cache behavior allows plain HTTP \(viewerProtocolPolicy allow-all\)/, urn: CDN },
        {
          label: "allow-all on an ordered behavior",
          resources: () => [distribution({ orderedCacheBehaviors: [{ pathPattern: "/img/*", targetOriginId: "assets", viewerProtocolPolicy: "allow-all" }] })],
          message: /cache behavior for \/img\/\* allows plain HTTP/,
        },
      ],
    },
    "cloudfront-viewer-tls": {
      passing: [
        { label: "TLSv1.2_2021 with an ACM certificate", resources: () => [distribution()] },
        { label: "not applicable with the default certificate", resources: () => [distribution({ viewerCertificate: DEV_VIEWER })] },
        { label: "a configured list", resources: () => [distribution({ viewerCertificate: { acmCertificateArn: CERTIFICATE, minimumProtocolVersion: "TLSv1.2_2019" } })], config: { allowedProtocolVersions: ["TLSv1.2_2019"] } },
      ],
      violating: [
        { label: "TLSv1.1_2016", resources: () => [distribution({ viewerCertificate: { acmCertificateArn: CERTIFICATE, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.1_2016" } })], message: /allows TLSv1.1_2016/ },
        { label: "no minimum protocol version", resources: () => [distribution({ viewerCertificate: { acmCertificateArn: CERTIFICATE, sslSupportMethod: "sni-only" } })], message: /allows the default TLSv1/ },
      ],
    },
    "cloudfront-custom-certificate": {
      passing: [{ label: "an ACM certificate with SNI", resources: () => [distribution()] }],
      violating: [
        { label: "the default certificate (a dev stack without a domain)", resources: () => [distribution({ viewerCertificate: DEV_VIEWER })], message: /default certificate, which accepts TLSv1/ },
        { label: "a dedicated-IP certificate", resources: () => [distribution({ viewerCertificate: { acmCertificateArn: CERTIFICATE, sslSupportMethod: "vip", minimumProtocolVersion: "TLSv1.2_2021" } })], message: /dedicated IPs/ },
      ],
    },
    "cloudfront-origin-https": {
      passing: [
        { label: "https-only to the ALB", resources: () => [distribution()] },
        { label: "not applicable without custom origins", resources: () => [distribution({ origins: [{ originId: "assets", domainName: "a.s3.eu-west-1.amazonaws.com", originAccessControlId: "E3" }] })] },
      ],
      violating: [{ label: "http-only to the ALB (dev without a domain)", resources: () => [distribution({ origins: [{ originId: "alb", domainName: "shop-dev-123.eu-west-1.elb.amazonaws.com", customOriginConfig: { ...ORIGIN_TLS, originProtocolPolicy: "http-only" } }] })], message: /Origin alb is reached with originProtocolPolicy http-only/ }],
    },
    "cloudfront-origin-tls": {
      passing: [{ label: "TLSv1.2 only", resources: () => [distribution()] }],
      violating: [
        { label: "TLSv1 and TLSv1.1 offered", resources: () => [distribution({ origins: [{ originId: "alb", domainName: "origin.shop.example.com", customOriginConfig: { ...ORIGIN_TLS, originSslProtocols: ["TLSv1", "TLSv1.1", "TLSv1.2"] } }] })], message: /Origin alb allows TLSv1, TLSv1.1/ },
        { label: "no protocols", resources: () => [distribution({ origins: [{ originId: "alb", domainName: "origin.shop.example.com", customOriginConfig: { ...ORIGIN_TLS, originSslProtocols: [] } }] })], message: /sets no originSslProtocols/ },
      ],
    },
    "cloudfront-web-acl": {
      passing: [{ label: "a web ACL", resources: () => [distribution()] }],
      violating: [{ label: "no web ACL", resources: () => [distribution({ webAclId: undefined })], message: /no web ACL/ }],
    },
    "cloudfront-s3-oac": {
      passing: [
        { label: "origin access control on the S3 origin", resources: () => [distribution()] },
        { label: "not applicable without S3 origins", resources: () => [distribution({ origins: [{ originId: "alb", domainName: "origin.shop.example.com", customOriginConfig: ORIGIN_TLS }] })] },
      ],
      violating: [
        { label: "no OAC", resources: () => [distribution({ origins: [{ originId: "assets", domainName: "shop-assets.s3.eu-west-1.amazonaws.com" }] })], message: /S3 origin assets has no origin access control/ },
        { label: "a legacy OAI", resources: () => [distribution({ origins: [{ originId: "assets", domainName: "shop-assets.s3.amazonaws.com", originAccessControlId: "E3", s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" } }] })], message: /legacy origin access identity/ },
        { label: "a website endpoint", resources: () => [distribution({ origins: [{ originId: "site", domainName: "shop-assets.s3-website-eu-west-1.amazonaws.com", customOriginConfig: { ...ORIGIN_TLS, originProtocolPolicy: "http-only" } }] })], message: /website endpoint, which needs a public bucket/ },
      ],
    },
    "cloudfront-logging": {
      passing: [
        { label: "standard logging to S3", resources: () => [distribution()] },
        {
          label: "a CloudWatch log delivery source and delivery",
          resources: () => [
            distribution({ loggingConfig: undefined }),
            resource("aws:cloudwatch/logDeliverySource:LogDeliverySource", "cdn-logs", { name: "cdn-access", logType: "ACCESS_LOGS", resourceArn: "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF" }, { region: "us-east-1" }),
            resource("aws:cloudwatch/logDelivery:LogDelivery", "cdn-logs-delivery", { deliverySourceName: "cdn-access", deliveryDestinationArn: "arn:aws:logs:us-east-1:123456789012:delivery-destination:cdn" }, { region: "us-east-1" }),
          ],
        },
      ],
      violating: [
        { label: "no logging", resources: () => [distribution({ loggingConfig: undefined })], message: /Distribution cdn delivers no access logs/, urn: CDN },
        {
          label: "a delivery source without a delivery",
          resources: () => [
            distribution({ loggingConfig: undefined }),
            resource("aws:cloudwatch/logDeliverySource:LogDeliverySource", "cdn-logs", { name: "cdn-access", logType: "ACCESS_LOGS", resourceArn: "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF" }, { region: "us-east-1" }),
          ],
          message: /delivers no access logs/,
        },
      ],
    },
    "cloudfront-security-headers": {
      passing: [{ label: "a declared policy with HSTS, nosniff and DENY; a managed policy", resources: () => [distribution(), headersPolicy(GOOD_HEADERS)] }],
      violating: [
        { label: "no response headers policy", resources: () => [distribution({ defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https" } }), headersPolicy(GOOD_HEADERS)], message: /the default cache behavior of distribution cdn has no response headers policy/ },
        { label: "a policy without frame options and a short HSTS", resources: () => [distribution(), headersPolicy({ ...GOOD_HEADERS, frameOptions: undefined, strictTransportSecurity: { override: true, accessControlMaxAgeSec: 300 } })], message: /lacks a Strict-Transport-Security max-age of at least 31536000s, X-Frame-Options DENY or SAMEORIGIN/ },
        { label: "a policy that is not in the stack", resources: () => [distribution()], message: /neither in the stack nor an AWS-managed security headers policy/ },
      ],
    },
  });
});
