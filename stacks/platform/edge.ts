import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../../components/cdn.js";
import { KeyRing } from "../../components/keys.js";
import { EdgeObservability } from "../../components/observability.js";
import { OriginFailover } from "../../components/origin-failover.js";
import { EdgeFirewall } from "../../components/waf.js";
import type { PlatformContext } from "./context.js";
import type { Foundation } from "./foundation.js";
import type { DrRegion, OriginHeader, PrimaryRegion } from "./region.js";

/** CloudFront, its WAF and their keys in us-east-1: what the regions' ALBs admit. */
export interface Edge {
  keys: KeyRing;
  firewall: EdgeFirewall;
  cdn: Cdn;
  /** The header CloudFront adds to origin requests; each ALB forwards only requests carrying it. */
  originHeader: OriginHeader;
  /** Point a domain-less (dev) stack's dynamic origin at the primary ALB. */
  useAlbOrigin(albDnsName: pulumi.Output<string>): void;
}

/** The edge in front of the regions: WAF, CloudFront, and their alarms. */
export function contentDelivery(ctx: PlatformContext, foundation: Foundation): Edge {
  const { config, identity, names, domain } = ctx;
  const edgeOpts = { provider: ctx.providers.edge };
  const keys = new KeyRing(names.component("edge-keys"), {
    classes: ["logs", "secrets", "telemetry"],
    // A primary region of us-east-1 would otherwise clash with the primary ring's aliases.
    aliasPrefix: `${names.prefix}-edge`,
  }, edgeOpts);
  const firewall = new EdgeFirewall(names.component("edge-firewall"), {
    logKmsKeyArn: keys.keyArn("logs"),
    logRetentionDays: ctx.logRetentionDays,
  }, edgeOpts);
  if (!domain) {
    void pulumi.log.warn(`stack ${identity.stack} has no domain: CloudFront reaches the primary ALB over plain HTTP. Fine for a dev stack, never for real traffic (the policy pack flags it).`);
  }
  // Without a domain, a true cycle: CloudFront's origin is the primary ALB, which admits only
  // requests carrying CloudFront's origin header.
  const [albOrigin, resolveAlbOrigin] = pulumi.deferredOutput<string>();
  const cdn = new Cdn(names.component("cdn"), {
    tier: config.tier,
    ...(domain ? { domain: domain.name, hostedZoneId: domain.zoneId } : {}),
    assetsBucketDomainName: foundation.primary.assets.bucketRegionalDomainName,
    originDomain: domain ? `origin.${domain.name}` : albOrigin,
    originProtocol: domain ? "https" : "http",
    originSecretKmsKeyId: keys.keyArn("secrets"),
    webAclArn: firewall.webAclArn,
    accessLogs: { bucketArn: foundation.primary.logs.bucketArn },
  }, edgeOpts);
  foundation.allowAssetReadsFrom(cdn.distributionArn);
  new EdgeObservability(names.component("edge-observability"), {
    distributionId: cdn.distributionId,
    webAclMetricName: firewall.metricName,
    kmsKeyArn: keys.keyArn("telemetry"),
    alarmEmails: config.alarms.emails,
  }, edgeOpts);
  return {
    keys,
    firewall,
    cdn,
    originHeader: { name: cdn.originHeaderName, value: cdn.originHeaderValue },
    useAlbOrigin: (albDnsName) => {
      if (!domain) resolveAlbOrigin(albDnsName);
    },
  };
}

/** `origin.<domain>`: an alias of the primary ALB that fails over to the DR ALB. Absent without a domain. */
export function originFailover(ctx: PlatformContext, primary: PrimaryRegion, dr: DrRegion | undefined): OriginFailover | undefined {
  const { domain } = ctx;
  if (!domain) return undefined;
  const healthAlarm = primary.observability.healthyHostsAlarm;
  return new OriginFailover(ctx.names.component("origin"), {
    zoneId: domain.zoneId,
    recordName: `origin.${domain.name}`,
    primary: { dnsName: primary.lb.dnsName, zoneId: primary.lb.zoneId },
    ...(dr && healthAlarm ? {
      secondary: { dnsName: dr.lb.dnsName, zoneId: dr.lb.zoneId },
      healthAlarmName: healthAlarm.name,
      healthAlarmRegion: primary.site.region,
    } : {}),
  }, { provider: ctx.providers.edge });
}
