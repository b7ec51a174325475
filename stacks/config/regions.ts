import { EDGE_REGION } from "../../components/common/regions.js";

/** Where CloudFront, its certificates and its WAF live, whatever the stack's regions. */
export { EDGE_REGION };

/** AWS regions shop-platform can deploy to, grouped by the legal jurisdiction their data sits in. */
export const AWS_REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "ca-central-1", "ca-west-1", "mx-central-1", "sa-east-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-central-2",
  "eu-north-1", "eu-south-1", "eu-south-2",
  "il-central-1", "me-south-1", "me-central-1", "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
  "ap-southeast-5", "ap-southeast-7",
  "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
] as const;

export type AwsRegion = (typeof AWS_REGIONS)[number];

/**
 * Where each residency setting allows data to live. `eu` means EU member states only:
 * London (eu-west-2) and Zurich (eu-central-2) carry an `eu-` prefix but are outside the EU.
 */
export const RESIDENCY_REGIONS = {
  any: AWS_REGIONS,
  eu: ["eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2"],
  us: ["us-east-1", "us-east-2", "us-west-1", "us-west-2"],
  ca: ["ca-central-1", "ca-west-1"],
  uk: ["eu-west-2"],
} as const satisfies Record<string, readonly AwsRegion[]>;

export type DataResidency = keyof typeof RESIDENCY_REGIONS;
export const DATA_RESIDENCIES = Object.keys(RESIDENCY_REGIONS) as DataResidency[];

export function isRegionAllowed(residency: DataResidency, region: string): boolean {
  return (RESIDENCY_REGIONS[residency] as readonly string[]).includes(region);
}

/** The AWS partition a region belongs to: ARNs and service principals differ per partition. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
