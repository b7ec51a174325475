/** The fields of an ARN: `arn:partition:service:region:account:resource`. */
export interface Arn {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  partition: string;
  service: string;
  /** Empty for global services (IAM, S3 buckets). */
  region: string;
  /** Empty for S3 buckets; `aws` for AWS-managed IAM policies. */
  account: string;
  /** Everything after the account, colons included (`secret:name-AbCdEf`, `db:shop-prod`). */
  resource: string;
}

const PARTITION = /^aws(-[a-z]+)*$/;
const SERVICE = /^[a-z0-9-]+$/;
const REGION = /^[a-z0-9-]*$/;
const ACCOUNT = /^(\d{12}|aws)?$/;

/** The ARN's fields, or undefined when `text` is not a well-formed ARN. */
export function parseArn(text: string): Arn | undefined {
  const [prefix, partition, service, region, account, ...rest] = text.split(":");
  const resource = rest.join(":");
  if (prefix !== "arn" || partition === undefined || service === undefined || region === undefined || account === undefined || resource === "") return undefined;
  if (!PARTITION.test(partition) || !SERVICE.test(service) || !REGION.test(region) || !ACCOUNT.test(account)) return undefined;
  return { partition, service, region, account, resource };
}

/** The region of an ARN; undefined when it has none (a global resource) or is not an ARN. */
export function arnRegion(text: string): string | undefined {
  const region = parseArn(text)?.region;
  return region === "" ? undefined : region;
}
