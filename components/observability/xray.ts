import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { applyTransform, awsName, childName, type Transform } from "../conventions.js";

/** X-Ray tracing for the storefront in one region. */
export interface XRayArgs {
  /** The service name the storefront reports in its segments. @default "storefront" */
  readonly serviceName?: string;
  /** Share of requests traced once the reservoir is used up, 0 to 1. @default 0.05 */
  readonly fixedRate?: number;
  /** Requests a second traced before the fixed rate applies. @default 1 */
  readonly reservoirSize?: number;
  /** Rule priority, 1 (first) to 9999; AWS's default rule comes last. @default 1000 */
  readonly priority?: number;
  /** Encrypt trace data with the telemetry key instead of X-Ray's default encryption. @default true */
  readonly encrypt?: boolean;
  /** X-Ray Insights (anomaly detection) on the group. @default true */
  readonly insights?: boolean;
}

export interface ResolvedXRay {
  readonly serviceName: string;
  readonly fixedRate: number;
  readonly reservoirSize: number;
  readonly priority: number;
  readonly encrypt: boolean;
  readonly insights: boolean;
}

export function resolveXRay(where: string, args: XRayArgs = {}): ResolvedXRay {
  const resolved: ResolvedXRay = {
    serviceName: args.serviceName ?? "storefront",
    fixedRate: args.fixedRate ?? 0.05,
    reservoirSize: args.reservoirSize ?? 1,
    priority: args.priority ?? 1000,
    encrypt: args.encrypt ?? true,
    insights: args.insights ?? true,
  };
  if (!/^[\w.:/%&#=+\\\-@ ]{1,64}$/.test(resolved.serviceName)) {
    throw new Error(`${where}: xray.serviceName ${JSON.stringify(resolved.serviceName)} must be 1 to 64 characters that X-Ray accepts in a segment name.`);
  }
  if (!(resolved.fixedRate >= 0 && resolved.fixedRate <= 1)) throw new Error(`${where}: xray.fixedRate must be from 0 to 1 (a share of requests); got ${resolved.fixedRate}.`);
  if (!(Number.isInteger(resolved.reservoirSize) && resolved.reservoirSize >= 0)) {
    throw new Error(`${where}: xray.reservoirSize must be a whole number of requests a second, 0 or more; got ${resolved.reservoirSize}.`);
  }
  if (!(Number.isInteger(resolved.priority) && resolved.priority >= 1 && resolved.priority <= 9999)) {
    throw new Error(`${where}: xray.priority must be a whole number from 1 to 9999; got ${resolved.priority}.`);
  }
  return resolved;
}

export interface XRayResources {
  readonly samplingRule: aws.xray.SamplingRule;
  readonly group: aws.xray.Group;
}

export function createXRay(name: string, parent: pulumi.Resource, xray: ResolvedXRay, kmsKeyArn: pulumi.Input<string>, transforms: {
  readonly samplingRule?: Transform<aws.xray.SamplingRuleArgs>;
  readonly group?: Transform<aws.xray.GroupArgs>;
}): XRayResources {
  const opts = { parent };
  const samplingRule = new aws.xray.SamplingRule(childName(name, "sampling"), applyTransform<aws.xray.SamplingRuleArgs>({
    ruleName: awsName(childName(name, "sampling"), 32),
    priority: xray.priority,
    version: 1,
    fixedRate: xray.fixedRate,
    reservoirSize: xray.reservoirSize,
    serviceName: xray.serviceName,
    serviceType: "*",
    host: "*",
    httpMethod: "*",
    urlPath: "*",
    resourceArn: "*",
    tags: { DataClass: "telemetry" },
  }, transforms.samplingRule), opts);

  const group = new aws.xray.Group(childName(name, "traces"), applyTransform<aws.xray.GroupArgs>({
    groupName: awsName(name, 32),
    filterExpression: `service(${JSON.stringify(xray.serviceName)})`,
    insightsConfiguration: { insightsEnabled: xray.insights, notificationsEnabled: xray.insights },
    tags: { DataClass: "telemetry" },
  }, transforms.group), opts);

  if (xray.encrypt) {
    // One setting per account and region; whoever writes or reads traces needs use of the key.
    new aws.xray.EncryptionConfig(childName(name, "xray-encryption"), { type: "KMS", keyId: kmsKeyArn }, opts);
  }
  return { samplingRule, group };
}
