import { MockCloudError } from "../errors.js";
import type { InvokeContext, InvokeHandler } from "./invoke-context.js";

// Route 53 zone lookups and CloudFront's AWS-managed policies.

interface ManagedPolicy {
  readonly id: string;
  readonly name: string;
  readonly comment: string;
}

// Source: "Use managed cache/origin request/response headers policies", CloudFront Developer Guide.
const MANAGED_CACHE_POLICIES: readonly ManagedPolicy[] = [
  { id: "658327ea-f89d-4fab-a63d-7e88639e58f6", name: "Managed-CachingOptimized", comment: "Policy with caching enabled. Supports Gzip and Brotli compression." },
  { id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", name: "Managed-CachingDisabled", comment: "Policy with caching disabled" },
  { id: "b2884449-e4de-46a7-ac36-70bc7f1ddd6d", name: "Managed-CachingOptimizedForUncompressedObjects", comment: "Default policy when compression is disabled" },
  { id: "08627262-05a9-4f76-9ded-b50ca2e3a84f", name: "Managed-Elemental-MediaPackage", comment: "Policy for Elemental MediaPackage Origin" },
  { id: "2e54312d-136d-493c-8eb9-b001f22f67d2", name: "Managed-Amplify", comment: "Policy for Amplify Origin" },
  { id: "83da9c7e-98b4-4e11-a168-04f0df8e2c65", name: "Managed-UseOriginCacheControlHeaders", comment: "Policy for origins that return Cache-Control headers. Query strings are not included in the cache key." },
  { id: "4cc15a8a-d715-48a4-82b8-cc0b614638fe", name: "Managed-UseOriginCacheControlHeaders-QueryStrings", comment: "Policy for origins that return Cache-Control headers and serve different content based on values present in the query string." },
];

const MANAGED_ORIGIN_REQUEST_POLICIES: readonly ManagedPolicy[] = [
  { id: "216adef6-5c7f-47e4-b989-5492eafa07d3", name: "Managed-AllViewer", comment: "Policy to forward all parameters in viewer requests" },
  { id: "b689b0a8-53d0-40ab-baf2-68738e2966ac", name: "Managed-AllViewerExceptHostHeader", comment: "Policy to forward all parameters in viewer requests except for the Host header" },
  { id: "33f36d7e-f396-46d9-90e0-52428a34d9dc", name: "Managed-AllViewerAndCloudFrontHeaders-2022-06", comment: "Policy to forward all parameters in viewer requests and all CloudFront headers in the origin request" },
  { id: "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf", name: "Managed-CORS-S3Origin", comment: "Policy for S3 origin with CORS" },
  { id: "59781a5b-3903-41f3-afcb-af62929ccde1", name: "Managed-CORS-CustomOrigin", comment: "Policy for origins with CORS" },
  { id: "acba4595-bd28-49b8-b9fe-13317c0390fa", name: "Managed-UserAgentRefererHeaders", comment: "Policy to forward user-agent and referer headers to origin" },
  { id: "775133bc-15f2-49f9-abea-afb2e0bf67d2", name: "Managed-Elemental-MediaTailor-PersonalizedManifests", comment: "Policy for Elemental MediaTailor Origin" },
];

const MANAGED_RESPONSE_HEADERS_POLICIES: readonly ManagedPolicy[] = [
  { id: "60669652-455b-4ae9-85a4-c4c02393f86c", name: "Managed-SimpleCORS", comment: "Allows all origins for simple CORS requests" },
  { id: "5cc3b908-e619-4b99-88e5-2cf7f45965bd", name: "Managed-CORS-With-Preflight", comment: "Allows all origins for CORS requests, including preflight requests" },
  { id: "67f7725c-6f97-4210-82d7-5512b31e9d03", name: "Managed-SecurityHeadersPolicy", comment: "Adds a set of security headers to every response" },
  { id: "e61eb60c-9c35-4d20-a928-2b84e02af89c", name: "Managed-CORS-and-SecurityHeadersPolicy", comment: "Allows all origins for simple CORS requests and adds security headers" },
  { id: "eaab4381-ed33-4a86-88ca-d9558dc6cd63", name: "Managed-CORS-with-preflight-and-SecurityHeadersPolicy", comment: "Allows all origins for CORS requests, including preflight requests, and adds security headers" },
];

interface PolicyKind {
  /** The ARN resource prefix. */
  readonly arnKind: string;
  /** The type token of the same policy when the program creates it. */
  readonly createdType: string;
  /** CloudFront's error code when nothing matches. */
  readonly notFound: string;
}

/** A managed policy by name or id, or one the program created; otherwise the NoSuch... error. */
function policyLookup(kind: PolicyKind, managed: readonly ManagedPolicy[], extra: (policy: ManagedPolicy) => Record<string, unknown>): InvokeHandler {
  return (c: InvokeContext) => {
    const id = c.args.string("id");
    const name = c.args.string("name");
    const found = managed.find((policy) => policy.id === id || policy.name === name);
    if (found !== undefined) {
      return { ...found, arn: c.arn("cloudfront", `${kind.arnKind}/${found.id}`, { region: "", account: "aws" }), etag: `E${c.upper(13, `etag:${found.id}`)}`, ...extra(found) };
    }
    const created = c.inventory.find(kind.createdType, (entry) => entry.id === id || entry.state.name === name);
    if (created !== undefined) return { ...created.state, id: created.id };
    throw new MockCloudError(
      `cloudfront ${kind.arnKind} lookup (${name ?? id ?? "no name or id"}): ${kind.notFound}. ` +
        `AWS-managed names carry the "Managed-" prefix: ${managed.map((policy) => policy.name).join(", ")}.`,
    );
  };
}

function ttlsOf(policy: ManagedPolicy): Record<string, unknown> {
  const disabled = policy.name === "Managed-CachingDisabled";
  const originHeaders = policy.name.startsWith("Managed-UseOriginCacheControlHeaders");
  return {
    minTtl: disabled || originHeaders ? 0 : 1,
    defaultTtl: disabled ? 0 : 86400,
    maxTtl: disabled ? 0 : 31536000,
    parametersInCacheKeyAndForwardedToOrigins: [
      {
        enableAcceptEncodingBrotli: !disabled,
        enableAcceptEncodingGzip: !disabled,
        cookiesConfigs: [{ cookieBehavior: "none", cookies: [] }],
        headersConfigs: [{ headerBehavior: "none", headers: [] }],
        queryStringsConfigs: [{ queryStringBehavior: policy.name.endsWith("QueryStrings") ? "all" : "none", queryStrings: [] }],
      },
    ],
  };
}

function zoneLookup(c: InvokeContext): Record<string, unknown> {
  const zoneId = c.args.string("zoneId");
  const name = c.args.string("name")?.replace(/\.$/, "");
  const privateZone = c.args.boolean("privateZone") ?? false;
  const created = c.inventory.find("aws:route53/zone:Zone", (zone) => zone.id === zoneId || (name !== undefined && zone.state.name === name));
  if (created !== undefined) {
    return { ...created.state, id: created.id, zoneId: created.id, privateZone, resourceRecordSetCount: 2, callerReference: c.uuid(`zone:${created.id}`) };
  }
  // A hosted zone made outside this program (the usual case for the apex domain).
  const id = zoneId ?? `Z0${c.upper(19, `zone:${name ?? ""}`)}`;
  const servers = privateZone ? [] : ["com", "net", "org", "co.uk"].map((tld, index) => `ns-${(parseInt(c.hex(3, `${id}:ns${index}`), 16) % 2048).toString()}.awsdns-${(parseInt(c.hex(2, `${id}:pool${index}`), 16) % 64).toString().padStart(2, "0")}.${tld}`);
  return {
    id,
    zoneId: id,
    name: name ?? "example.com",
    arn: `arn:${c.partition.partition}:route53:::hostedzone/${id}`,
    callerReference: c.uuid(`zone:${id}`),
    comment: "",
    nameServers: servers,
    primaryNameServer: servers[0] ?? "",
    privateZone,
    resourceRecordSetCount: 2,
    linkedServiceDescription: "",
    linkedServicePrincipal: "",
    tags: {},
  };
}

export const edgeLookups: Readonly<Record<string, InvokeHandler>> = {
  "aws:route53/getZone:getZone": zoneLookup,
  "aws:cloudfront/getCachePolicy:getCachePolicy": policyLookup(
    { arnKind: "cache-policy", createdType: "aws:cloudfront/cachePolicy:CachePolicy", notFound: "NoSuchCachePolicy" },
    MANAGED_CACHE_POLICIES, ttlsOf),
  "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy": policyLookup(
    { arnKind: "origin-request-policy", createdType: "aws:cloudfront/originRequestPolicy:OriginRequestPolicy", notFound: "NoSuchOriginRequestPolicy" },
    MANAGED_ORIGIN_REQUEST_POLICIES, () => ({
    cookiesConfigs: [],
    headersConfigs: [],
    queryStringsConfigs: [],
  })),
  "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy": policyLookup(
    { arnKind: "response-headers-policy", createdType: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", notFound: "NoSuchResponseHeadersPolicy" },
    MANAGED_RESPONSE_HEADERS_POLICIES, () => ({
    corsConfigs: [],
    customHeadersConfigs: [],
    removeHeadersConfigs: [],
    securityHeadersConfigs: [],
    serverTimingHeadersConfigs: [],
  })),
};
