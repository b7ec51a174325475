import { CLOUDFRONT_HOSTED_ZONE_ID } from "../aws-facts.js";
import { MockCloudError } from "../errors.js";
import { hexFrom, charsFrom, LOWER_ALNUM } from "../hashing.js";
import type { ModelTable, ResourceContext, ResourceModel } from "../resource-model.js";
import { parseArn } from "./shared.js";

// The edge: CloudFront, WAFv2, ACM and Route 53.

/** CloudFront ids and ETags: "E" followed by 13 upper-case characters. */
function cloudFrontId(r: ResourceContext, salt: string): string {
  return `E${r.upper(13, salt)}`;
}

/** A CloudFront policy (cache, origin request, response headers): UUID id, ETag, global ARN. */
function cloudFrontPolicy(arnKind: string): ResourceModel {
  return {
    scope: "global",
    autoName: { property: "name", maxLength: 128 },
    create(r) {
      const id = r.uuid("policy-id");
      return { id, outputs: { arn: r.globalArn("cloudfront", `${arnKind}/${id}`), etag: cloudFrontId(r, "etag") } };
    },
  };
}

/** ACM's DNS validation record for one domain; a wildcard shares its apex's record. */
function validationRecord(certificateSeed: string, domain: string): { name: string; value: string } {
  const base = domain.replace(/^\*\./, "");
  const seed = `${certificateSeed}|${base}`;
  return {
    name: `_${hexFrom(`${seed}|name`, 32)}.${base}.`,
    value: `_${hexFrom(`${seed}|value`, 32)}.${charsFrom(`${seed}|zone`, LOWER_ALNUM, 10)}.acm-validations.aws.`,
  };
}

function certificateModel(): ResourceModel {
  return {
    tagged: true,
    defaults: { keyAlgorithm: "RSA_2048" },
    create(r) {
      const arn = r.arn("acm", `certificate/${r.uuid("certificate")}`);
      const imported = r.inputs.has("certificateBody");
      const privateCa = r.inputs.has("certificateAuthorityArn");
      const domainName = r.inputs.string("domainName");
      const domains = [...new Set([...(domainName === undefined ? [] : [domainName]), ...r.inputs.strings("subjectAlternativeNames")])];
      const method = r.inputs.string("validationMethod") ?? (imported || privateCa ? "NONE" : "EMAIL");
      const certificateSeed = `${r.accountId}|${arn}`;
      return {
        id: arn,
        outputs: {
          arn,
          domainValidationOptions:
            method === "DNS"
              ? domains.map((domain) => {
                  const record = validationRecord(certificateSeed, domain);
                  return {
                    domainName: domain,
                    resourceRecordName: record.name,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: record.value,
                  };
                })
              : [],
          validationEmails: method === "EMAIL" ? domains.map((domain) => `admin@${domain.replace(/^\*\./, "")}`) : [],
          status: imported || privateCa ? "ISSUED" : "PENDING_VALIDATION",
          type: imported ? "IMPORTED" : privateCa ? "PRIVATE" : "AMAZON_ISSUED",
          renewalEligibility: "INELIGIBLE",
          pendingRenewal: false,
          subjectAlternativeNames: domains,
        },
      };
    },
  };
}

/** AWS refuses a CloudFront certificate from any region but us-east-1. */
function requireUsEast1Certificate(r: ResourceContext): void {
  const certificateArn = r.inputs.record("viewerCertificate")?.string("acmCertificateArn");
  const region = parseArn(certificateArn)?.region;
  if (region !== undefined && region !== "us-east-1") {
    throw new MockCloudError(
      `creating CloudFront Distribution (${r.name}): InvalidViewerCertificate: The specified SSL certificate doesn't exist, ` +
        `isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain (got ${certificateArn ?? ""}). ` +
        `Request the certificate through an aws.Provider for us-east-1.`,
    );
  }
}

function wafModel(kind: "webacl" | "ipset" | "rulegroup"): ResourceModel {
  return {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 128 },
    create(r) {
      const scope = r.inputs.string("scope") ?? "REGIONAL";
      if (scope === "CLOUDFRONT" && r.region !== "us-east-1") {
        throw new MockCloudError(
          `creating WAFv2 ${kind} (${r.name}) in ${r.region}: WAFInvalidParameterException: Error reason: The scope is not valid., ` +
            `field: SCOPE_VALUE, parameter: CLOUDFRONT. CLOUDFRONT-scoped WAF resources must be created in us-east-1.`,
        );
      }
      const id = r.uuid(kind);
      const arn = r.arn("wafv2", `${scope === "CLOUDFRONT" ? "global" : "regional"}/${kind}/${r.physicalName}/${id}`);
      const capacity = kind === "ipset" ? {} : { capacity: Math.max(1, r.inputs.records("rules").length) * 50 };
      return { id, outputs: { arn, lockToken: r.uuid("lock-token"), ...capacity } };
    },
  };
}

/** Route 53 ARNs carry neither region nor account. */
function route53Arn(r: ResourceContext, resource: string): string {
  return r.arn("route53", resource, { region: "", account: "" });
}

/** Route 53 delegation set: ns-N.awsdns-NN in four TLDs. */
function nameServers(r: ResourceContext): string[] {
  return ["com", "net", "org", "co.uk"].map((tld, index) => {
    const server = parseInt(r.digits(4, `ns${index}`), 10) % 2048;
    const pool = (parseInt(r.digits(2, `pool${index}`), 10) % 64).toString().padStart(2, "0");
    return `ns-${server}.awsdns-${pool}.${tld}`;
  });
}

export const edgeModels: ModelTable = {
  "aws:cloudfront/distribution:Distribution": {
    scope: "global",
    tagged: true,
    defaults: { httpVersion: "http2", isIpv6Enabled: false, priceClass: "PriceClass_All", retainOnDelete: false, staging: false, waitForDeployment: true },
    create(r) {
      requireUsEast1Certificate(r);
      const id = cloudFrontId(r, "distribution");
      return {
        id,
        outputs: {
          arn: r.globalArn("cloudfront", `distribution/${id}`),
          domainName: `d${r.lower(13, "domain")}.cloudfront.${r.partition.partition === "aws-cn" ? "cn" : "net"}`,
          hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID,
          status: "Deployed",
          etag: cloudFrontId(r, "etag"),
          callerReference: `terraform-${r.digits(26, "caller")}`,
          inProgressValidationBatches: 0,
          lastModifiedTime: r.createdAt,
          trustedKeyGroups: [{ enabled: false, items: [] }],
          trustedSigners: [{ enabled: false, items: [] }],
        },
      };
    },
  },
  "aws:cloudfront/originAccessControl:OriginAccessControl": {
    scope: "global",
    autoName: { property: "name", maxLength: 64 },
    defaults: { description: "Managed by Pulumi" },
    create(r) {
      const id = cloudFrontId(r, "oac");
      return { id, outputs: { arn: r.globalArn("cloudfront", `origin-access-control/${id}`), etag: cloudFrontId(r, "etag") } };
    },
  },
  "aws:cloudfront/cachePolicy:CachePolicy": cloudFrontPolicy("cache-policy"),
  "aws:cloudfront/originRequestPolicy:OriginRequestPolicy": cloudFrontPolicy("origin-request-policy"),
  "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": cloudFrontPolicy("response-headers-policy"),
  "aws:cloudfront/function:Function": {
    scope: "global",
    tagged: true,
    autoName: { property: "name", maxLength: 64 },
    defaults: { publish: true },
    create(r) {
      const etag = cloudFrontId(r, "etag");
      const published = r.inputs.boolean("publish") !== false;
      return {
        id: r.physicalName,
        outputs: {
          arn: r.globalArn("cloudfront", `function/${r.physicalName}`),
          etag,
          liveStageEtag: published ? etag : "",
          status: published ? "UNASSOCIATED" : "UNPUBLISHED",
        },
      };
    },
  },

  "aws:wafv2/webAcl:WebAcl": wafModel("webacl"),
  "aws:wafv2/ipSet:IpSet": wafModel("ipset"),
  "aws:wafv2/ruleGroup:RuleGroup": wafModel("rulegroup"),
  "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration": {
    create(r) {
      return { id: r.required("resourceArn") };
    },
  },
  "aws:wafv2/webAclAssociation:WebAclAssociation": {
    create(r) {
      return { id: `${r.inputs.string("webAclArn") ?? ""},${r.inputs.string("resourceArn") ?? ""}` };
    },
  },

  "aws:acm/certificate:Certificate": certificateModel(),
  "aws:acm/certificateValidation:CertificateValidation": {
    create(r) {
      return { id: "2024-01-01 00:00:00 +0000 UTC", outputs: { certificateArn: r.inputs.string("certificateArn") } };
    },
  },

  "aws:route53/zone:Zone": {
    scope: "global",
    tagged: true,
    autoName: { property: "name" },
    defaults: { comment: "Managed by Pulumi", forceDestroy: false },
    create(r) {
      const zoneId = `Z0${r.upper(19, "zone-id")}`;
      const isPrivate = r.inputs.records("vpcs").length > 0;
      const servers = isPrivate ? [] : nameServers(r);
      return {
        id: zoneId,
        outputs: {
          zoneId,
          arn: route53Arn(r, `hostedzone/${zoneId}`),
          nameServers: servers,
          primaryNameServer: servers[0] ?? `ns-${r.digits(3)}.awsdns-00.com`,
        },
      };
    },
  },
  "aws:route53/record:Record": {
    scope: "global",
    create(r) {
      const zoneId = r.inputs.string("zoneId") ?? "";
      const name = (r.inputs.string("name") ?? "").replace(/\.$/, "");
      const zoneName = r.inventory.stringOf(zoneId, "name")?.replace(/\.$/, "");
      const fqdn = zoneName === undefined || name === zoneName || name.endsWith(`.${zoneName}`) ? name : `${name}.${zoneName}`;
      const setIdentifier = r.inputs.string("setIdentifier");
      const type = r.inputs.string("type") ?? "A";
      return {
        id: [zoneId, name, type, ...(setIdentifier === undefined ? [] : [setIdentifier])].join("_"),
        outputs: { fqdn },
      };
    },
  },
  "aws:route53/healthCheck:HealthCheck": {
    scope: "global",
    tagged: true,
    defaults: { disabled: false, enableSni: true, invertHealthcheck: false, measureLatency: false },
    create(r) {
      const id = r.uuid("health-check");
      return { id, outputs: { arn: route53Arn(r, `healthcheck/${id}`) } };
    },
  },
};
