import { hexFrom, uuidFrom } from "../hashing.js";
import type { ResourceContext } from "../resource-model.js";

export interface ParsedArn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string | undefined): ParsedArn | undefined {
  if (arn?.startsWith("arn:") !== true) return undefined;
  const [, partition, service, region, account, ...rest] = arn.split(":");
  if (partition === undefined || service === undefined || region === undefined || account === undefined) return undefined;
  return { partition, service, region, account, resource: rest.join(":") };
}

/** The VPC that the first known subnet belongs to, else a stable stand-in for the region's default VPC. */
export function vpcOfSubnets(r: ResourceContext, subnetIds: readonly string[]): string {
  for (const subnetId of subnetIds) {
    const vpcId = r.inventory.stringOf(subnetId, "vpcId");
    if (vpcId !== undefined) return vpcId;
  }
  return defaultVpcId(r);
}

export function defaultVpcId(r: ResourceContext): string {
  return `vpc-${hexFrom(`default-vpc:${r.accountId}:${r.region}`, 17)}`;
}

/** The AZ of each known subnet (deduplicated), else the region's first ones. */
export function zonesOfSubnets(r: ResourceContext, subnetIds: readonly string[]): string[] {
  const zones = subnetIds
    .map((id) => r.inventory.stringOf(id, "availabilityZone"))
    .filter((zone): zone is string => zone !== undefined);
  if (zones.length > 0) return [...new Set(zones)];
  return subnetIds.map((_, index) => `${r.region}${"abcdef".charAt(index % 6)}`);
}

/** The ARN of the AWS-managed KMS key for a service (`aws/rds`, `aws/backup`, ...). */
export function awsManagedKeyArn(r: ResourceContext, alias: string): string {
  return r.arn("kms", `key/${uuidFrom(`aws-managed-key:${r.accountId}:${r.region}:${alias}`)}`);
}

/** Resolves a KMS key reference (id, ARN, alias name or alias ARN) to a key ARN. */
export function kmsKeyArnOf(r: ResourceContext, reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const known = r.inventory.get(reference);
  if (known?.type === "aws:kms/alias:Alias") {
    const target = known.state.targetKeyArn;
    return typeof target === "string" ? target : undefined;
  }
  const knownArn = known?.state.arn;
  if (typeof knownArn === "string") return knownArn;
  if (reference.startsWith("arn:")) return reference;
  if (reference.startsWith("alias/")) return r.arn("kms", reference);
  return r.arn("kms", `key/${reference}`);
}
