import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, childName, type Transform } from "./conventions.js";

/** An ALB as an alias target. */
export interface AliasTarget {
  dnsName: pulumi.Input<string>;
  zoneId: pulumi.Input<string>;
}

export interface OriginFailoverArgs {
  /** The Route 53 hosted zone holding the record. */
  zoneId: pulumi.Input<string>;
  /** The record name CloudFront's dynamic origin points at, e.g. `origin.shop.example.com`. */
  recordName: pulumi.Input<string>;
  /** The primary region's ALB. */
  primary: AliasTarget;
  /** The DR region's ALB; without it a plain alias record points at the primary. */
  secondary?: AliasTarget;
  /**
   * The primary-region CloudWatch alarm the health check follows: a single-metric alarm (Route 53
   * rejects metric-math and composite alarms), e.g. the ALB's healthy-hosts alarm. Route 53's own
   * checkers cannot reach an ALB that admits only CloudFront, hence a CLOUDWATCH_METRIC check.
   */
  healthAlarmName?: pulumi.Input<string>;
  /** Region of `healthAlarmName`. */
  healthAlarmRegion?: pulumi.Input<string>;
  /**
   * What the check reports while the alarm has too little data.
   * @default "LastKnownStatus"
   */
  insufficientDataHealthStatus?: "Healthy" | "Unhealthy" | "LastKnownStatus";
  transforms?: {
    healthCheck?: Transform<aws.route53.HealthCheckArgs>;
    primaryRecord?: Transform<aws.route53.RecordArgs>;
    secondaryRecord?: Transform<aws.route53.RecordArgs>;
  };
}

/**
 * `origin.<domain>` as a Route 53 failover pair: PRIMARY aliases the primary ALB and carries a
 * CLOUDWATCH_METRIC health check; SECONDARY aliases the DR ALB. `shopctl failover` fences the
 * primary by inverting the health check, so traffic moves without touching CloudFront.
 */
export class OriginFailover extends pulumi.ComponentResource {
  public readonly recordName: pulumi.Output<string>;
  public readonly primaryRecordId: pulumi.Output<string>;
  public readonly secondaryRecordId: pulumi.Output<string> | undefined;
  public readonly healthCheckId: pulumi.Output<string> | undefined;

  constructor(name: string, args: OriginFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:edge:OriginFailover", name, {}, opts);
    if (args.secondary && !args.healthAlarmName) {
      throw new Error(`OriginFailover ${name}: a secondary target needs healthAlarmName, the primary-region alarm that decides failover`);
    }
    if (args.healthAlarmName && !args.healthAlarmRegion) {
      throw new Error(`OriginFailover ${name}: healthAlarmRegion is required with healthAlarmName`);
    }

    let healthCheck: aws.route53.HealthCheck | undefined;
    if (args.secondary) {
      healthCheck = new aws.route53.HealthCheck(childName(name, "primary-health"), applyTransform<aws.route53.HealthCheckArgs>({
        type: "CLOUDWATCH_METRIC",
        cloudwatchAlarmName: args.healthAlarmName,
        cloudwatchAlarmRegion: args.healthAlarmRegion,
        insufficientDataHealthStatus: args.insufficientDataHealthStatus ?? "LastKnownStatus",
        invertHealthcheck: false,
        referenceName: childName(name, "primary").slice(0, 64),
        tags: { Name: childName(name, "primary-health") },
      }, args.transforms?.healthCheck), {
        parent: this,
        // `shopctl failover` inverts the check to fence the primary; a later `up` must not undo that.
        ignoreChanges: ["invertHealthcheck"],
      });
    }

    const alias = (target: AliasTarget) => [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }];
    const primaryRecord = new aws.route53.Record(childName(name, "primary"), applyTransform<aws.route53.RecordArgs>({
      zoneId: args.zoneId,
      name: args.recordName,
      type: "A",
      aliases: alias(args.primary),
      ...(args.secondary ? {
        setIdentifier: "primary",
        failoverRoutingPolicies: [{ type: "PRIMARY" }],
        healthCheckId: healthCheck?.id,
      } : {}),
    }, args.transforms?.primaryRecord), { parent: this });

    let secondaryRecord: aws.route53.Record | undefined;
    if (args.secondary) {
      secondaryRecord = new aws.route53.Record(childName(name, "secondary"), applyTransform<aws.route53.RecordArgs>({
        zoneId: args.zoneId,
        name: args.recordName,
        type: "A",
        aliases: alias(args.secondary),
        setIdentifier: "secondary",
        failoverRoutingPolicies: [{ type: "SECONDARY" }],
      }, args.transforms?.secondaryRecord), { parent: this });
    }

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
}
