import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../conventions.js";
import type { ArgsChecker } from "../common/args.js";
import { checkLogRetention } from "../common/log-retention.js";
import { transform, type Transform } from "../common/transform.js";

/** 400 days: PCI DSS keeps audit logs for 12 months at least; 400 is the first retention past a leap year. */
export const DEFAULT_LOG_RETENTION_DAYS = 400;
/**
 * The audit trails that PCI DSS's 12 months apply to: the storefront's security events (sign-ins,
 * admin and payment-settings changes) and shopctl's operations (failover, drill, reindex). The
 * fleet's own app log group belongs to WebTier.
 */
export const DEFAULT_LOG_GROUPS = ["storefront/audit", "shopctl/operations"] as const;

const LOG_GROUP_NAME = /^[\w\-./#]{1,512}$/;

export interface AppLogGroupsArgs {
  /** Prefix of every name, e.g. `/shop/prod`. */
  readonly prefix: string;
  /** Suffixes under the prefix: `storefront/app` gives `<prefix>/storefront/app`. */
  readonly names: readonly string[];
  readonly retentionDays: number;
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly deletionProtection: boolean;
  readonly transform?: Transform<aws.cloudwatch.LogGroupArgs>;
}

export function validateLogGroups(check: ArgsChecker, args: Pick<AppLogGroupsArgs, "prefix" | "names" | "retentionDays">): void {
  checkLogRetention(check, args.retentionDays);
  const seen = new Set<string>();
  for (const suffix of args.names) {
    const full = logGroupName(args.prefix, suffix);
    check.require(suffix.trim() !== "" && LOG_GROUP_NAME.test(full), "logGroups", suffix,
      `log group ${JSON.stringify(full)} must be 1 to 512 letters, digits, "_", "-", ".", "/" or "#"`);
    const key = resourceSuffix(suffix);
    check.require(!seen.has(key), "logGroups", suffix, `log group ${full} is listed twice (or differs from another only in punctuation)`);
    seen.add(key);
  }
}

function resourceSuffix(suffix: string): string {
  return `logs-${suffix.replace(/[^a-zA-Z0-9]+/g, "-").replace(/^-|-$/g, "")}`;
}

export function logGroupName(prefix: string, suffix: string): string {
  return `${prefix.replace(/\/+$/, "")}/${suffix.replace(/^\/+/, "")}`;
}

/** One KMS-encrypted log group per name, each with the retention set: nothing is kept forever by accident. */
export function createAppLogGroups(name: string, parent: pulumi.Resource, args: AppLogGroupsArgs): Map<string, aws.cloudwatch.LogGroup> {
  const groups = new Map<string, aws.cloudwatch.LogGroup>();
  for (const suffix of args.names) {
    const resourceName = childName(name, resourceSuffix(suffix));
    groups.set(suffix, new aws.cloudwatch.LogGroup(...transform(args.transform, resourceName, {
      name: logGroupName(args.prefix, suffix),
      retentionInDays: args.retentionDays,
      kmsKeyId: args.kmsKeyArn,
      logGroupClass: "STANDARD",
      deletionProtectionEnabled: args.deletionProtection,
      tags: { DataClass: "logs" },
    }, { parent })));
  }
  return groups;
}
