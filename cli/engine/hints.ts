/**
 * What to try next for the errors a deploy meets most. The first matching rule wins; an error
 * nobody recognised gets the generic hint, never a guess.
 */
const RULES: readonly { pattern: RegExp; hint: string }[] = [
  { pattern: /ExpiredToken|RequestExpired|token (has|is) expired/i, hint: "your AWS session expired: refresh the credentials (aws sso login, or new keys) and run the command again" },
  { pattern: /InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|no valid credential|NoCredentialProviders/i, hint: "the AWS credentials are missing or wrong: run `shopctl doctor` to see which identity shopctl uses" },
  { pattern: /AccessDenied|UnauthorizedOperation|not authorized to perform/i, hint: "the deploying identity lacks a permission: the message names the action; grant it to the role you deploy with (see `shopctl doctor` for the identity)" },
  { pattern: /OptInRequired|not (enabled|subscribed)|region.*(disabled|not enabled)/i, hint: "the region or service is not enabled for this account: enable it in the AWS console (Account > AWS Regions) or choose another region" },
  { pattern: /LimitExceeded|QuotaExceeded|quota|VcpuLimitExceeded|TooManyBuckets/i, hint: "an AWS service quota is reached: request an increase in Service Quotas for that region, or lower the size in the stack config" },
  { pattern: /AlreadyExists|already exists|BucketAlreadyOwnedByYou|EntityAlreadyExists|DBInstanceAlreadyExists/i, hint: "a resource with that physical name already exists outside this stack: import it (`pulumi import`), delete it, or rename the stack" },
  { pattern: /InsufficientInstanceCapacity|Unsupported.*(instance|zone)|not supported in.*zone/i, hint: "the instance type is not available in one of the zones: pick another type in the stack config (web.instanceType, database.instanceClass) or fewer zones" },
  { pattern: /DeletionProtection|deletion protection/i, hint: "deletion protection is on: set shop:database.deletionProtection to false and run `shopctl up` first, if deleting is really intended" },
  { pattern: /locked by|ConcurrentUpdate|currently in progress/i, hint: "another update holds the stack's lock: wait for it, or if it crashed, run `pulumi cancel` against the same backend" },
  { pattern: /passphrase|decrypt|incorrect passphrase/i, hint: "the secrets passphrase is wrong or missing: set PULUMI_CONFIG_PASSPHRASE (or _FILE) to the stack's passphrase" },
  { pattern: /Throttling|Rate exceeded|TooManyRequests/i, hint: "AWS throttled the requests: run the command again; it resumes where it stopped" },
  { pattern: /timeout|timed out|DeadlineExceeded/i, hint: "an operation timed out: run the command again (Pulumi resumes); if it repeats, check the resource in the AWS console" },
];

export const GENERIC_HINT = "run `shopctl up` again once the cause is fixed: Pulumi resumes where it stopped; `shopctl doctor` checks the basics";

export function hintFor(message: string): string {
  return RULES.find((rule) => rule.pattern.test(message))?.hint ?? GENERIC_HINT;
}
