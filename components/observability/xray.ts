import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "../conventions.js";
import type { ArgsChecker } from "../common/args.js";
import { transform, type Transform } from "../common/transform.js";

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

export function resolveXRay(check: ArgsChecker, args: XRayArgs = {}): ResolvedXRay {
  const resolved: ResolvedXRay = {
    serviceName: args.serviceName ?? "storefront",
    fixedRate: args.fixedRate ?? 0.05,
    reservoirSize: args.reservoirSize ?? 1,
    priority: args.priority ?? 1000,
    encrypt: args.encrypt ?? true,
    insights: args.insights ?? true,
  };
  check.matches("xray.serviceName", resolved.serviceName, /^[\w.:/%&#=+\\\-@ ]{1,64}$/, "1 to 64 characters that X-Ray accepts in a segment name");
  if (!(resolved.fixedRate >= 0 && resolved.fixedRate <= 1)) check.fail("xray.fixedRate", resolved.fixedRate, "a share of requests from 0 to 1");
  if (!(Number.isInteger(resolved.reservoirSize) && resolved.reservoirSize >= 0)) check.fail("xray.reservoirSize", resolved.reservoirSize, "a whole number of requests a second, 0 or more");
  check.integer("xray.priority", resolved.priority, 1, 9999);
  return resolved;
}

export interface XRayResources {
  readonly samplingRule: aws.xray.SamplingRule;
  readonly group: aws.xray.Group;
}

export function createXRay(name: string, parent: pulumi.Resource, xray: ResolvedXRay, kmsKeyArn: pulumi.Input<string>, transforms: {
  readonly samplingRule?: Transform<aws.xray.SamplingRuleArgs> | undefined;
  readonly group?: Transform<aws.xray.GroupArgs> | undefined;
  readonly encryption?: Transform<aws.xray.EncryptionConfigArgs> | undefined;
}): XRayResources {
  const samplingRule = new aws.xray.SamplingRule(...transform(transforms.samplingRule, childName(name, "sampling"), {
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
  }, { parent }));

  const group = new aws.xray.Group(...transform(transforms.group, childName(name, "traces"), {
    groupName: awsName(name, 32),
    filterExpression: `service(${JSON.stringify(xray.serviceName)})`,
    insightsConfiguration: { insightsEnabled: xray.insights, notificationsEnabled: xray.insights },
    tags: { DataClass: "telemetry" },
  }, { parent }));

  if (xray.encrypt) {
    // One setting per account and region; whoever writes or reads traces needs use of the key.
    new aws.xray.EncryptionConfig(...transform(transforms.encryption, childName(name, "xray-encryption"), { type: "KMS", keyId: kmsKeyArn }, { parent }));
  }
  return { samplingRule, group };
}
