import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { transform, type Transform } from "./common/transform.js";

/** An ALB as an alias target. */
export interface AliasTarget {
  /** The ALB's DNS name. */
  dnsName: pulumi.Input<string>;
  /** The ALB's canonical hosted zone. */
  zoneId: pulumi.Input<string>;
}

export interface OriginFailoverArgs {
  /** The Route 53 hosted zone holding the record. */
  zoneId: pulumi.Input<string>;
  /** The record name CloudFront's dynamic origin points at, e.g. `origin.shop.example.com`. */
  recordName: pulumi.Input<string>;
  /** The primary region's ALB. */
  primary: AliasTarget;
  /**
   * The DR region's ALB; without it a plain alias record points at the primary.
   * @default undefined (no failover: one plain alias record)
   */
  secondary?: AliasTarget;
  /**
   * The primary-region CloudWatch alarm the health check follows: a single-metric alarm (Route 53
   * rejects metric-math and composite alarms), e.g. the ALB's healthy-hosts alarm. Route 53's own
   * checkers cannot reach an ALB that admits only CloudFront, hence a CLOUDWATCH_METRIC check.
   * Required with `secondary`.
   * @default undefined (no health check)
   */
  healthAlarmName?: pulumi.Input<string>;
  /**
   * Region of `healthAlarmName`; required with it.
   * @default undefined
   */
  healthAlarmRegion?: pulumi.Input<string>;
  /**
   * What the check reports while the alarm has too little data.
   * @default "LastKnownStatus"
   */
  insufficientDataHealthStatus?: "Healthy" | "Unhealthy" | "LastKnownStatus";
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** The CLOUDWATCH_METRIC health check on the primary (only with a `secondary`). */
    healthCheck?: Transform<aws.route53.HealthCheckArgs>;
    /** The PRIMARY failover record, or the plain alias record without a `secondary`. */
    primaryRecord?: Transform<aws.route53.RecordArgs>;
    /** The SECONDARY failover record (only with a `secondary`). */
    secondaryRecord?: Transform<aws.route53.RecordArgs>;
  };
}

/**
 * `origin.<domain>` as a Route 53 failover pair: PRIMARY aliases the primary ALB and carries a
 * CLOUDWATCH_METRIC health check; SECONDARY aliases the DR ALB. `shopctl failover` fences the
 * primary by inverting the health check, so traffic moves without touching CloudFront.
 *
 * @example
 * ```ts
 * new OriginFailover("origin", {
 *   zoneId: zone.zoneId,
 *   recordName: "origin.shop.example.com",
 *   primary: { dnsName: primaryLb.dnsName, zoneId: primaryLb.zoneId },
 *   secondary: { dnsName: drLb.dnsName, zoneId: drLb.zoneId },
 *   healthAlarmName: "shop-prod-alb-healthy-hosts",
 *   healthAlarmRegion: "eu-west-1",
 * }, { provider: edgeProvider });
 * ```
 */
export class OriginFailover extends pulumi.ComponentResource {
  public readonly recordName: pulumi.Output<string>;
  public readonly primaryRecordId: pulumi.Output<string>;
  public readonly secondaryRecordId: pulumi.Output<string> | undefined;
  public readonly healthCheckId: pulumi.Output<string> | undefined;

  constructor(name: string, args: OriginFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:edge:OriginFailover", name, {}, opts);
    checkOriginFailoverArgs(name, args);
    const healthCheck = args.secondary ? this.createHealthCheck(name, args) : undefined;
    const primaryRecord = this.createPrimaryRecord(name, args, healthCheck);
    const secondaryRecord = args.secondary ? this.createSecondaryRecord(name, args, args.secondary) : undefined;

    this.recordName = pulumi.output(args.recordName);
    this.primaryRecordId = primaryRecord.id;
    this.secondaryRecordId = secondaryRecord?.id;
    this.healthCheckId = healthCheck?.id;
    this.registerOutputs({
      recordName: this.recordName,
      primaryRecordId: this.primaryRecordId,
      secondaryRecordId: this.secondaryRecordId,
      healthCheckId: this.healthCheckId,
    });
  }

  /** Follows the primary region's alarm; `shopctl failover` inverts it to fence the primary. */
  private createHealthCheck(name: string, args: OriginFailoverArgs): aws.route53.HealthCheck {
    return new aws.route53.HealthCheck(...transform(args.transforms?.healthCheck, childName(name, "primary-health"), {
      type: "CLOUDWATCH_METRIC",
      cloudwatchAlarmName: args.healthAlarmName,
      cloudwatchAlarmRegion: args.healthAlarmRegion,
      insufficientDataHealthStatus: args.insufficientDataHealthStatus ?? "LastKnownStatus",
      invertHealthcheck: false,
      referenceName: childName(name, "primary").slice(0, 64),
      tags: { Name: childName(name, "primary-health") },
    }, {
      parent: this,
      // `shopctl failover` inverts the check to fence the primary; a later `up` must not undo that.
      ignoreChanges: ["invertHealthcheck"],
    }));
  }

  /** The PRIMARY record with the health check, or a plain alias record when there is no DR target. */
  private createPrimaryRecord(name: string, args: OriginFailoverArgs, healthCheck: aws.route53.HealthCheck | undefined): aws.route53.Record {
    return new aws.route53.Record(...transform(args.transforms?.primaryRecord, childName(name, "primary"), {
      zoneId: args.zoneId,
      name: args.recordName,
      type: "A",
      aliases: aliasTo(args.primary),
      ...(args.secondary ? {
        setIdentifier: "primary",
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
        healthCheckId: healthCheck?.id,
      } : {}),
    }, { parent: this }));
  }

  private createSecondaryRecord(name: string, args: OriginFailoverArgs, secondary: AliasTarget): aws.route53.Record {
    return new aws.route53.Record(...transform(args.transforms?.secondaryRecord, childName(name, "secondary"), {
      zoneId: args.zoneId,
      name: args.recordName,
      type: "A",
      aliases: aliasTo(secondary),
      setIdentifier: "secondary",
      failoverRoutingPolicies: [{ type: "SECONDARY" }],
    }, { parent: this }));
  }
}

function aliasTo(target: AliasTarget): aws.types.input.route53.RecordAlias[] {
  return [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }];
}

function checkOriginFailoverArgs(name: string, args: OriginFailoverArgs): void {
  const check = new ArgsChecker(`OriginFailover "${name}"`);
  if (args.secondary && !args.healthAlarmName) {
    check.reject("healthAlarmName", args.healthAlarmName, "a secondary target needs healthAlarmName, the primary-region alarm that decides failover");
  }
  if (args.healthAlarmName && !args.healthAlarmRegion) {
    check.reject("healthAlarmRegion", args.healthAlarmRegion, "healthAlarmRegion is required with healthAlarmName");
  }
}
