import { charsFrom, UPPER_ALNUM } from "./hashing.js";

// Published, per-region AWS constants. Where AWS publishes a real value we use it, so that code
// under test that hard-codes or validates these (Route 53 alias targets, ELB log bucket policies,
// CloudFront-only security groups) behaves as it would against AWS. Unlisted regions get a
// deterministic, plausible stand-in.

export const MOCK_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

export interface Partition {
  readonly partition: "aws" | "aws-cn" | "aws-us-gov";
  readonly dnsSuffix: string;
  readonly reverseDnsPrefix: string;
}

export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
  if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
  return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

/** Z + 13 upper-case characters: the shape of AWS's older canonical hosted zone ids. */
function plausibleZoneId(seed: string): string {
  return `Z${charsFrom(seed, UPPER_ALNUM, 13)}`;
}

// Source: https://docs.aws.amazon.com/general/latest/gr/elb.html (as mirrored by the Terraform
// AWS provider's aws_lb_hosted_zone_id data source).
const ALB_ZONE_IDS: Readonly<Record<string, string>> = {
  "af-south-1": "Z268VQBMOI5EKX",
  "ap-east-1": "Z3DQVH9N71FHZ0",
  "ap-northeast-1": "Z14GRHDCWA56QT",
  "ap-northeast-2": "ZWKZPGTI48KDX",
  "ap-northeast-3": "Z5LXEXXYW11ES",
  "ap-south-1": "ZP97RAFLXTNZK",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ca-central-1": "ZQSVJUPU6J1EY",
  "cn-north-1": "Z1GDH35T77C1KE",
  "cn-northwest-1": "ZM7IZAIOVVDZF",
  "eu-central-1": "Z215JYRZR1TBD5",
  "eu-north-1": "Z23TAZ6LKFMNIO",
  "eu-south-1": "Z3ULH7SSC9OV64",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "eu-west-3": "Z3Q77PNBQS71R4",
  "me-south-1": "ZS929ML54UICD",
  "sa-east-1": "Z2P70J7HTTTPLU",
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-gov-east-1": "Z166TLBEWOO7G0",
  "us-gov-west-1": "Z33AYJ8TM3BH4J",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
};

const NLB_ZONE_IDS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "Z31USIVHYNEOWT",
  "ap-southeast-1": "ZKVM4W9LS7TM",
  "ap-southeast-2": "ZCT6FZBF4DROD",
  "ca-central-1": "Z2EPGBW3API2WT",
  "eu-central-1": "Z3F0SRJ5LGBH90",
  "eu-north-1": "Z1UDT6IFJ4EJM",
  "eu-west-1": "Z2IFOLAFXWLO4F",
  "eu-west-2": "ZD4D7Y8KGAS4G",
  "eu-west-3": "Z1CMS0P5QUZ6D5",
  "us-east-1": "Z26RNL4JYFTOTI",
  "us-east-2": "ZLMOA37VPKANP",
  "us-west-1": "Z24FKFUX50B4VW",
  "us-west-2": "Z18D5FSROUN65G",
};

export function loadBalancerZoneId(region: string, loadBalancerType: string): string {
  const table = loadBalancerType === "network" ? NLB_ZONE_IDS : ALB_ZONE_IDS;
  return table[region] ?? plausibleZoneId(`${loadBalancerType}-zone:${region}`);
}

// Source: S3 website endpoints table, https://docs.aws.amazon.com/general/latest/gr/s3.html
const S3_ZONE_IDS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "Z2M4EHUR26P7ZW",
  "ap-northeast-2": "Z3W03O7B5YMIYP",
  "ap-south-1": "Z11RGJOFQNVJUP",
  "ap-southeast-1": "Z3O0J2DXBE1FTB",
  "ap-southeast-2": "Z1WCIGYICN2BYD",
  "ca-central-1": "Z1QDHH18159H29",
  "eu-central-1": "Z21DNDUVLTQW6Q",
  "eu-north-1": "Z3BAZG2TWCNX0D",
  "eu-west-1": "Z1BKCTXD74EZPE",
  "eu-west-2": "Z3GKZC51ZF0DB4",
  "eu-west-3": "Z3R1K369G5AVDG",
  "sa-east-1": "Z7KQH4QJS55SO",
  "us-east-1": "Z3AQBSTGFYJSTF",
  "us-east-2": "Z2O1EMRO9K5GLX",
  "us-gov-west-1": "Z31GFT0UA1I2HV",
  "us-west-1": "Z2F56UZL2M1ACD",
  "us-west-2": "Z3BJ6K6RIION7M",
};

export function s3HostedZoneId(region: string): string {
  return S3_ZONE_IDS[region] ?? plausibleZoneId(`s3-zone:${region}`);
}

/** Every CloudFront distribution lives in this hosted zone. */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

// Source: ELB access-log bucket policy docs (Terraform's aws_elb_service_account data source).
// Regions opened after August 2022 have no account: they use the log-delivery service principal.
const ELB_ACCOUNT_IDS: Readonly<Record<string, string>> = {
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-south-1": "718504428378",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-southeast-3": "589379963580",
  "ca-central-1": "985666609251",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
  "eu-central-1": "054676820928",
  "eu-north-1": "897822967062",
  "eu-south-1": "635631232127",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-west-3": "009996457667",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-gov-east-1": "190560391635",
  "us-gov-west-1": "048591011584",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
};

export function elbServiceAccountId(region: string): string | undefined {
  return ELB_ACCOUNT_IDS[region];
}

/** The AWS-managed prefix list of CloudFront's origin-facing addresses. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

const CLOUDFRONT_ORIGIN_FACING_IDS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "pl-58a04531",
  "ap-southeast-1": "pl-31a34658",
  "ap-southeast-2": "pl-b8a742d1",
  "eu-central-1": "pl-a3a144ca",
  "eu-west-1": "pl-4fa04526",
  "eu-west-2": "pl-93a247fa",
  "us-east-1": "pl-3b927c52",
  "us-east-2": "pl-b6a144df",
  "us-west-1": "pl-4ea04527",
  "us-west-2": "pl-82a045eb",
};

export function cloudFrontOriginFacingPrefixListId(region: string): string | undefined {
  return CLOUDFRONT_ORIGIN_FACING_IDS[region];
}

const REGION_DESCRIPTIONS: Readonly<Record<string, string>> = {
  "ap-northeast-1": "Asia Pacific (Tokyo)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
  "ap-southeast-2": "Asia Pacific (Sydney)",
  "ca-central-1": "Canada (Central)",
  "cn-north-1": "China (Beijing)",
  "eu-central-1": "Europe (Frankfurt)",
  "eu-north-1": "Europe (Stockholm)",
  "eu-west-1": "Europe (Ireland)",
  "eu-west-2": "Europe (London)",
  "eu-west-3": "Europe (Paris)",
  "sa-east-1": "South America (Sao Paulo)",
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-gov-west-1": "AWS GovCloud (US-West)",
  "us-west-1": "US West (N. California)",
  "us-west-2": "US West (Oregon)",
};

export function regionDescription(region: string): string {
  return REGION_DESCRIPTIONS[region] ?? region;
}

// Availability zone letters differ per region (us-east-1 has six; us-west-1 offers two to most
// accounts; ap-northeast-1 has no "b" for new accounts).
const AZ_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-west-1": ["a", "c"],
  "us-west-2": ["a", "b", "c", "d"],
};

export function availabilityZoneNames(region: string): string[] {
  return (AZ_LETTERS[region] ?? ["a", "b", "c"]).map((letter) => `${region}${letter}`);
}

const DIRECTION_ABBREVIATIONS: Readonly<Record<string, string>> = {
  central: "c",
  east: "e",
  north: "n",
  northeast: "ne",
  northwest: "nw",
  south: "s",
  southeast: "se",
  southwest: "sw",
  west: "w",
};

/** `use1` for us-east-1, `euc1` for eu-central-1, `usgw1` for us-gov-west-1: the AZ id prefix. */
export function zoneIdPrefix(region: string): string {
  const parts = region.split("-");
  const number = parts.at(-1) ?? "1";
  const direction = parts.at(-2) ?? "";
  const geography = parts.slice(0, -2).join("").replace("gov", "g");
  return `${geography}${DIRECTION_ABBREVIATIONS[direction] ?? direction.charAt(0)}${number}`;
}

export function availabilityZoneIds(region: string): string[] {
  return availabilityZoneNames(region).map((_, index) => `${zoneIdPrefix(region)}-az${index + 1}`);
}

/** The AZ id that goes with an AZ name (`us-east-1b` → `use1-az2`). */
export function availabilityZoneIdOf(zoneName: string): string {
  const region = zoneName.slice(0, -1);
  const names = availabilityZoneNames(region);
  const index = names.indexOf(zoneName);
  return `${zoneIdPrefix(region)}-az${index >= 0 ? index + 1 : zoneName.charCodeAt(zoneName.length - 1) - 96}`;
}

/** The public EC2 DNS domain: us-east-1 keeps its historical `compute-1` name. */
export function ec2PublicDnsDomain(region: string): string {
  const { dnsSuffix } = partitionOf(region);
  return region === "us-east-1" ? `compute-1.${dnsSuffix}` : `${region}.compute.${dnsSuffix}`;
}
