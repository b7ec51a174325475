import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CdnArgs } from "../cdn.js";
import type { CdnSettings } from "./settings.js";

/** AWS-managed cache policies: their IDs are the same in every account. */
export const MANAGED_CACHE_POLICY_IDS = {
  cachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
} as const;

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const READ_METHODS = ["GET", "HEAD"];

/** What the distribution is wired to: the component's other children and the origin secret. */
export interface DistributionParts {
  identity: string;
  originAccessControlId: pulumi.Input<string>;
  originRequestPolicyId: pulumi.Input<string>;
  responseHeadersPolicyId: pulumi.Input<string>;
  originHeaderValue: pulumi.Input<string>;
  certificateArn: pulumi.Input<string> | undefined;
}

/**
 * The distribution: asset paths from S3 through OAC with the managed CachingOptimized policy,
 * everything else from the ALB uncached with the viewer's cookies, query strings and headers.
 */
export function distributionArgs(args: CdnArgs, settings: CdnSettings, parts: DistributionParts): aws.cloudfront.DistributionArgs {
  return {
    enabled: true,
    comment: parts.identity,
    aliases: args.domain === undefined ? [] : [args.domain],
    httpVersion: "http2and3",
    isIpv6Enabled: true,
    priceClass: settings.priceClass,
    webAclId: args.webAclArn,
    origins: [
      { originId: "assets", domainName: args.assetsBucketDomainName, originAccessControlId: parts.originAccessControlId },
      appOrigin(args, settings, parts),
    ],
    orderedCacheBehaviors: settings.assetPaths.map((pathPattern) => assetBehavior(pathPattern, parts.responseHeadersPolicyId)),
    defaultCacheBehavior: {
      targetOriginId: "app",
      viewerProtocolPolicy: "redirect-to-https",
      allowedMethods: ALL_METHODS,
      cachedMethods: READ_METHODS,
      cachePolicyId: MANAGED_CACHE_POLICY_IDS.cachingDisabled,
      originRequestPolicyId: parts.originRequestPolicyId,
      responseHeadersPolicyId: parts.responseHeadersPolicyId,
      compress: true,
    },
    restrictions: {
      geoRestriction:
        args.geoRestriction === undefined
          ? { restrictionType: "none", locations: [] }
          : { restrictionType: args.geoRestriction.type, locations: [...args.geoRestriction.locations] },
    },
    viewerCertificate:
      parts.certificateArn === undefined
        ? { cloudfrontDefaultCertificate: true }
        : { acmCertificateArn: parts.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: settings.minimumProtocolVersion },
  };
}

/** The ALB behind `origin.<domain>`, over TLS 1.2 (HTTP only for a dev stack without a domain), with the secret header. */
function appOrigin(args: CdnArgs, settings: CdnSettings, parts: DistributionParts): aws.types.input.cloudfront.DistributionOrigin {
  return {
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
    customHeaders: [{ name: settings.originHeaderName, value: parts.originHeaderValue }],
  };
}

function assetBehavior(pathPattern: string, responseHeadersPolicyId: pulumi.Input<string>): aws.types.input.cloudfront.DistributionOrderedCacheBehavior {
  return {
    pathPattern,
    targetOriginId: "assets",
    viewerProtocolPolicy: "redirect-to-https",
    allowedMethods: READ_METHODS,
    cachedMethods: READ_METHODS,
    cachePolicyId: MANAGED_CACHE_POLICY_IDS.cachingOptimized,
    responseHeadersPolicyId,
    compress: true,
  };
}
