import type * as pulumi from "@pulumi/pulumi";
import type { CdnAccessLogs, CdnArgs } from "../cdn.js";
import { ArgsChecker } from "../common/args.js";
import { HTTP_HEADER_NAME } from "../common/http.js";
import { DNS_NAME } from "../common/patterns.js";

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

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

export const REFERRER_POLICIES = [
  "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin",
  "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url",
] as const;
export type ReferrerPolicy = (typeof REFERRER_POLICIES)[number];
export const PROTOCOL_VERSIONS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
export const PRICE_CLASSES = ["PriceClass_100", "PriceClass_200", "PriceClass_All"] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];
export const LOG_FORMATS = ["w3c", "json", "plain", "parquet"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The args with their defaults applied, once checked. */
export interface CdnSettings {
  assetPaths: readonly string[];
  originProtocol: "https" | "http";
  originHeaderName: string;
  originReadTimeoutSeconds: number;
  forwardedHeaders: readonly string[];
  priceClass: string;
  contentSecurityPolicy: string;
  referrerPolicy: string;
  minimumProtocolVersion: string;
  logFormat: string;
}

/** Headers CloudFront will not let a policy or an origin custom header carry. */
const RESERVED_HEADERS = [
  "accept-encoding", "authorization", "cache-control", "connection", "content-length", "cookie", "expect", "host",
  "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "max-forwards", "pragma",
  "proxy-authorization", "proxy-connection", "range", "request-range", "te", "trailer", "transfer-encoding",
  "upgrade", "via", "x-real-ip",
];

/** Checks every arg with a clear error and applies the defaults. */
export function validateCdnArgs(name: string, args: CdnArgs): CdnSettings {
  const check = new ArgsChecker(`Cdn "${name}"`);
  const tier = checkDomains(check, args);
  const logFormat = checkAccessLogs(check, args);
  check.require((args.webAclArn as pulumi.Input<string> | undefined) !== undefined, "webAclArn", undefined, "webAclArn is required: the EdgeFirewall's web ACL");
  return {
    ...checkOrigin(check, args, tier),
    assetPaths: checkAssetPaths(check, args.assetPaths ?? DEFAULT_ASSET_PATHS),
    forwardedHeaders: checkForwardedHeaders(check, args.forwardedHeaders ?? DEFAULT_FORWARDED_HEADERS),
    ...checkViewerSettings(check, args),
    logFormat,
  };
}

/** The tier, the viewer domain with its zone, and the origin's host name. */
function checkDomains(check: ArgsChecker, args: CdnArgs): Tier {
  const tier = check.oneOf<unknown>("tier", args.tier ?? "prod", TIERS) as Tier;
  if (args.domain === undefined) {
    check.require(tier === "dev", "domain", undefined, `a ${tier} stack needs a domain and hostedZoneId; only dev may serve on CloudFront's default certificate`);
    check.require(args.hostedZoneId === undefined, "hostedZoneId", args.hostedZoneId, "hostedZoneId is set but domain is not; set both or neither");
  } else {
    check.matches("domain", args.domain, DNS_NAME, "a lower-case DNS name such as shop.example.com");
    check.require(args.hostedZoneId !== undefined, "hostedZoneId", undefined,
      `domain ${args.domain} needs hostedZoneId: its certificate is validated and its alias records live there`);
  }
  if (typeof args.originDomain === "string") {
    check.matches("originDomain", args.originDomain, DNS_NAME, "a host name such as origin.shop.example.com (not an IP or URL)");
    check.require(args.originDomain !== args.domain, "originDomain", args.originDomain,
      `originDomain must differ from domain (${args.domain}), or CloudFront would send requests back to itself`);
  }
  return tier;
}

/** The LogBucket and the log format; returns the format. */
function checkAccessLogs(check: ArgsChecker, args: CdnArgs): string {
  const accessLogs = args.accessLogs as CdnAccessLogs | undefined;
  if (accessLogs?.bucketArn === undefined) {
    return check.reject("accessLogs.bucketArn", undefined, "accessLogs.bucketArn is required: the LogBucket that receives CloudFront standard logs");
  }
  if (typeof accessLogs.bucketArn === "string") {
    check.matches("accessLogs.bucketArn", accessLogs.bucketArn, /^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$/, "an S3 bucket ARN (arn:aws:s3:::<bucket>)");
  }
  return check.oneOf<string>("accessLogs.outputFormat", accessLogs.outputFormat ?? "w3c", LOG_FORMATS);
}

/** How CloudFront reaches the ALB: protocol, the secret header, the read timeout. */
function checkOrigin(check: ArgsChecker, args: CdnArgs, tier: Tier): Pick<CdnSettings, "originProtocol" | "originHeaderName" | "originReadTimeoutSeconds"> {
  const originProtocol = check.oneOf<unknown>("originProtocol", args.originProtocol ?? "https", ["https", "http"]) as "https" | "http";
  check.require(originProtocol === "https" || (tier === "dev" && args.domain === undefined), "originProtocol", originProtocol,
    "originProtocol http is only for a dev stack without a domain; every other origin is reached over HTTPS");
  const originHeaderName = args.originHeaderName ?? "X-Origin-Verify";
  const lowerName = originHeaderName.toLowerCase();
  const addable = HTTP_HEADER_NAME.test(originHeaderName) && !RESERVED_HEADERS.includes(lowerName) && !/^x-(amz|edge|amzn)-/.test(lowerName) && !lowerName.startsWith("cloudfront-");
  check.require(addable, "originHeaderName", originHeaderName, `originHeaderName "${originHeaderName}" is not a header name CloudFront can add to origin requests`);
  if (typeof args.originSecret === "string") {
    const secret = args.originSecret;
    check.require(secret.length >= 32 && secret.length <= 1783 && !/[\r\n]/.test(secret), "originSecret", "(secret)",
      "originSecret must be 32 to 1783 characters on one line; it is the only thing keeping the ALB from direct traffic");
  }
  const originReadTimeoutSeconds = check.integer("originReadTimeoutSeconds", args.originReadTimeoutSeconds ?? 30, 1, 180);
  return { originProtocol, originHeaderName, originReadTimeoutSeconds };
}

function checkAssetPaths(check: ArgsChecker, assetPaths: readonly string[]): readonly string[] {
  check.require(assetPaths.length > 0, "assetPaths", assetPaths, "assetPaths is empty; list the paths served from the asset bucket, such as /assets/*");
  for (const path of assetPaths) {
    check.require(path.startsWith("/") && path.length <= 255, "assetPaths", path, `assetPaths has "${path}"; a path pattern starts with "/" and has at most 255 characters`);
  }
  check.require(new Set(assetPaths).size === assetPaths.length, "assetPaths", assetPaths, "assetPaths lists a path more than once");
  return assetPaths;
}

function checkForwardedHeaders(check: ArgsChecker, headers: readonly string[]): readonly string[] {
  check.require(headers.length <= 10, "forwardedHeaders", headers, `forwardedHeaders lists ${headers.length} headers; an origin request policy takes at most 10`);
  const seen = new Set<string>();
  for (const header of headers) {
    const lower = header.toLowerCase();
    check.require(HTTP_HEADER_NAME.test(header), "forwardedHeaders", header, `forwardedHeaders has "${header}", which is not an HTTP header name`);
    check.require(!RESERVED_HEADERS.includes(lower) && !/^x-(amz|edge)-/.test(lower), "forwardedHeaders", header,
      `forwardedHeaders has "${header}", which CloudFront does not let an origin request policy forward (Host would also break origin TLS checks)`);
    check.require(!seen.has(lower), "forwardedHeaders", header, `forwardedHeaders lists "${header}" more than once`);
    seen.add(lower);
  }
  return headers;
}

/** What viewers get: edge locations, geo restriction, security headers, TLS. */
function checkViewerSettings(
  check: ArgsChecker,
  args: CdnArgs,
): Pick<CdnSettings, "priceClass" | "contentSecurityPolicy" | "referrerPolicy" | "minimumProtocolVersion"> {
  const priceClass = check.oneOf<string>("priceClass", args.priceClass ?? "PriceClass_All", PRICE_CLASSES);
  if (args.geoRestriction !== undefined) {
    const { locations } = args.geoRestriction;
    check.oneOf<unknown>("geoRestriction.type", args.geoRestriction.type, ["whitelist", "blacklist"]);
    check.require(locations.length > 0, "geoRestriction.locations", locations, "geoRestriction.locations is empty; list ISO 3166-1 alpha-2 country codes such as DE");
    for (const location of locations) check.matches("geoRestriction.locations", location, /^[A-Z]{2}$/, "an upper-case ISO 3166-1 alpha-2 code such as DE");
  }
  const contentSecurityPolicy = args.contentSecurityPolicy ?? DEFAULT_CONTENT_SECURITY_POLICY;
  check.require(contentSecurityPolicy.trim() !== "" && contentSecurityPolicy.length <= 1783 && !/[\r\n]/.test(contentSecurityPolicy), "contentSecurityPolicy", contentSecurityPolicy,
    "contentSecurityPolicy must be a non-empty single line of at most 1783 characters (CloudFront's limit)");
  const referrerPolicy = check.oneOf<string>("referrerPolicy", args.referrerPolicy ?? "strict-origin-when-cross-origin", REFERRER_POLICIES);
  const minimumProtocolVersion = check.oneOf<string>("minimumProtocolVersion", args.minimumProtocolVersion ?? "TLSv1.2_2021", PROTOCOL_VERSIONS);
  return { priceClass, contentSecurityPolicy, referrerPolicy, minimumProtocolVersion };
}
