import type * as pulumi from "@pulumi/pulumi";
import { ArgsChecker } from "../common/args.js";
import { checkLogRetention } from "../common/log-retention.js";
import { GRAVITON_INSTANCE } from "../common/patterns.js";
import type { WebTierArgs } from "../web-tier.js";
import { RUNTIME_ENVIRONMENT, type RuntimeParameter } from "./user-data.js";

/** The args with their defaults applied, once checked. */
export interface Settings {
  readonly appPort: number;
  readonly tlsToTargets: boolean;
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly cpuTarget: number;
  readonly requestsPerTarget: number | undefined;
  readonly rootVolumeSizeGb: number;
  readonly retentionDays: number;
  readonly appEntrypoint: string;
  readonly databasePort: number;
  readonly gracePeriod: number;
  readonly warmup: number;
  readonly minHealthyPercentage: number;
  readonly metricsNamespace: string;
}

/** SSM parameter names: letters, digits and `_.-/`; `aws`/`ssm` prefixes are reserved. */
const PARAMETER_NAME = /^(?!\/?(aws|ssm))[A-Za-z0-9_.\-/]{1,2048}$/i;
/** A relative path inside the artifact, with no way out of it. */
const ENTRYPOINT = /^(?!\/)(?!(.*\/)?\.\.(\/|$))[A-Za-z0-9_.\-/]+$/;
/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** S3 object keys: 1 to 1024 characters; no leading slash, which would make an empty first path segment. */
const OBJECT_KEY = /^(?!\/).{1,1024}$/s;
/** A CloudWatch namespace outside AWS/: 1 to 255 characters without ":" or "$". */
const METRICS_NAMESPACE = /^(?!AWS\/)[^:$]{1,255}$/;

/** Checks a value given as a plain string; one that arrives as an Output is used as given (and quoted). */
function checkIfKnown(value: pulumi.Input<string> | undefined, check: (value: string) => void): void {
  if (typeof value === "string") check(value);
}

/** The fleet's sizes and scaling: minSize <= desiredCapacity <= maxSize, request tracking with its metric's label. */
function checkScaling(check: ArgsChecker, args: WebTierArgs): Pick<Settings, "minSize" | "maxSize" | "desiredCapacity" | "cpuTarget" | "requestsPerTarget"> {
  const minSize = check.integer("minSize", args.minSize, 0, 1000);
  const maxSize = check.integer("maxSize", args.maxSize, 0, 1000);
  const desiredCapacity = check.integer("desiredCapacity", args.desiredCapacity ?? minSize, 0, 1000);
  check.require(minSize <= desiredCapacity && desiredCapacity <= maxSize, "desiredCapacity", desiredCapacity,
    `sizes must satisfy minSize <= desiredCapacity <= maxSize; got ${minSize} <= ${desiredCapacity} <= ${maxSize}`);
  check.require(args.requestsPerTarget === undefined || (args.loadBalancerArnSuffix !== undefined && args.targetGroupArnSuffix !== undefined),
    "requestsPerTarget", args.requestsPerTarget, "requestsPerTarget needs loadBalancerArnSuffix and targetGroupArnSuffix (the metric's resource label)");
  return {
    minSize,
    maxSize,
    desiredCapacity,
    cpuTarget: check.integer("cpuTarget", args.cpuTarget ?? 50, 1, 100),
    requestsPerTarget: args.requestsPerTarget === undefined ? undefined : check.integer("requestsPerTarget", args.requestsPerTarget, 1, 1_000_000),
  };
}

/** The artifact's bucket and key and the runtime parameter names, where they are plain strings already. */
function checkArtifactAndParameters(check: ArgsChecker, args: WebTierArgs): void {
  checkIfKnown(args.artifact.bucket, (bucket) => check.matches("artifact.bucket", bucket, BUCKET_NAME, "an S3 bucket name"));
  checkIfKnown(args.artifact.key, (key) => check.matches("artifact.key", key, OBJECT_KEY, "an S3 object key (1 to 1024 characters, no leading slash)"));
  for (const parameter of Object.keys(RUNTIME_ENVIRONMENT) as RuntimeParameter[]) {
    const arg = `runtimeParameters.${parameter}`;
    const value = (args.runtimeParameters as Partial<Record<RuntimeParameter, pulumi.Input<string>>>)[parameter];
    if (value === undefined) check.reject(arg, value, `${arg} is missing: the app reads ${RUNTIME_ENVIRONMENT[parameter]} from it`);
    checkIfKnown(value, (name) => check.matches(arg, name, PARAMETER_NAME, "an SSM parameter name such as /shop/prod/runtime/database-endpoint"));
  }
}

/** Checks every arg with a clear error and applies the defaults. */
export function settingsOf(name: string, args: WebTierArgs): Settings {
  const check = new ArgsChecker(`WebTier "${name}"`);
  // Graviton types only: the fleet runs the arm64 AMI and the arm64 X-Ray daemon.
  const instanceType = check.matches("instanceType", args.instanceType ?? "m7g.large", GRAVITON_INSTANCE,
    "a Graviton (arm64) type such as t4g.small or m7g.large, because the fleet runs the arm64 AL2023 AMI");
  const scaling = checkScaling(check, args);
  const metricsNamespace = check.matches("metricsNamespace", args.metricsNamespace ?? "Shop/WebTier", METRICS_NAMESPACE,
    '1 to 255 characters without ":" or "$", outside AWS/');
  const appEntrypoint = check.matches("appEntrypoint", args.appEntrypoint ?? "server.js", ENTRYPOINT,
    "a relative path inside the artifact such as server.js or dist/server.js");
  const retentionDays = checkLogRetention(check, args.appLogRetentionDays ?? 365, "appLogRetentionDays");
  checkArtifactAndParameters(check, args);
  return {
    ...scaling,
    appPort: check.integer("appPort", args.appPort ?? 8080, 1024, 65535),
    tlsToTargets: args.tlsToTargets ?? false,
    instanceType,
    rootVolumeSizeGb: check.integer("rootVolumeSizeGb", args.rootVolumeSizeGb ?? 20, 8, 16_384),
    retentionDays,
    appEntrypoint,
    databasePort: check.integer("databasePort", args.databasePort ?? 5432, 1, 65535),
    gracePeriod: check.integer("healthCheckGracePeriodSeconds", args.healthCheckGracePeriodSeconds ?? 300, 0, 7200),
    warmup: check.integer("instanceWarmupSeconds", args.instanceWarmupSeconds ?? 300, 0, 3600),
    minHealthyPercentage: check.integer("minHealthyPercentage", args.minHealthyPercentage ?? 90, 0, 100),
    metricsNamespace,
  };
}
