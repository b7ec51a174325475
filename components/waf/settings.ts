import type * as pulumi from "@pulumi/pulumi";
import type { EdgeFirewallArgs, ScopedRateLimit } from "../waf.js";
import { ArgsChecker } from "../common/args.js";
import { HTTP_HEADER_NAME } from "../common/http.js";
import { checkLogRetention } from "../common/log-retention.js";

export const DEFAULT_SCOPED_RATE_LIMITS: readonly ScopedRateLimit[] = [
  { name: "login", pathPrefix: "/login", methods: ["POST"], limit: 100 },
  { name: "checkout", pathPrefix: "/checkout", methods: ["POST"], limit: 100 },
];

export const RATE_WINDOWS = [60, 120, 300, 600] as const;
export type RateWindowSeconds = (typeof RATE_WINDOWS)[number];

/** Always redacted from WAF logs: credentials and session cookies have no place in logs. */
const REDACTED_HEADERS = ["authorization", "cookie"];
const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const RULE_NAME = /^[A-Za-z0-9_-]{1,100}$/;

/** The args with their defaults applied, once checked. */
export interface FirewallSettings {
  rateLimit: number;
  rateWindowSeconds: number;
  scopedRateLimits: readonly ScopedRateLimit[];
  botControl: boolean;
  countOnly: boolean;
  logRetentionDays: number;
  redactedHeaders: string[];
}

/** Checks every arg with a clear error and applies the defaults. */
export function validateFirewallArgs(name: string, args: EdgeFirewallArgs): FirewallSettings {
  const check = new ArgsChecker(`EdgeFirewall "${name}"`);
  check.require((args.logKmsKeyArn as pulumi.Input<string> | undefined) !== undefined, "logKmsKeyArn", undefined,
    "logKmsKeyArn is required: the us-east-1 KMS key (an edge KeyRing's logs key) that encrypts the WAF log group");
  // WAF's limits on a rate-based rule.
  const rateLimit = check.integer("rateLimit", args.rateLimit ?? 2000, 10, 2_000_000_000);
  const rateWindowSeconds = check.oneOf<number>("rateWindowSeconds", args.rateWindowSeconds ?? 300, RATE_WINDOWS);
  return {
    rateLimit,
    rateWindowSeconds,
    scopedRateLimits: checkScopedRateLimits(check, args.scopedRateLimits ?? DEFAULT_SCOPED_RATE_LIMITS, rateLimit),
    botControl: args.botControl ?? false,
    countOnly: args.countOnly ?? false,
    logRetentionDays: checkLogRetention(check, args.logRetentionDays ?? 365),
    redactedHeaders: redactedHeaders(check, args.extraRedactedHeaders ?? []),
  };
}

/** Unique rule names, absolute paths, known methods, and each limit stricter than the site-wide one. */
function checkScopedRateLimits(check: ArgsChecker, limits: readonly ScopedRateLimit[], rateLimit: number): readonly ScopedRateLimit[] {
  const seen = new Set<string>();
  for (const [index, limit] of limits.entries()) {
    const where = `scopedRateLimits[${index}]`;
    check.matches(`${where}.name`, limit.name, RULE_NAME, '1 to 100 letters, digits, "-" or "_"');
    check.require(!seen.has(limit.name.toLowerCase()), `${where}.name`, limit.name, `${where}.name "${limit.name}" is used twice; rule names must be unique`);
    seen.add(limit.name.toLowerCase());
    check.require(limit.pathPrefix.startsWith("/"), `${where}.pathPrefix`, limit.pathPrefix, `${where}.pathPrefix must start with "/", got "${limit.pathPrefix}"`);
    for (const method of limit.methods ?? []) check.oneOf(`${where}.methods`, method, HTTP_METHODS);
    check.require(Number.isInteger(limit.limit) && limit.limit >= 10 && limit.limit < rateLimit, `${where}.limit`, limit.limit,
      `${where}.limit must be a whole number from 10 up to the site-wide rateLimit (${rateLimit}), exclusive, got ${limit.limit}`);
  }
  return limits;
}

/** `authorization` and `cookie`, plus the extra headers, lower-cased and each once. */
function redactedHeaders(check: ArgsChecker, extra: readonly string[]): string[] {
  const headers = [...REDACTED_HEADERS];
  for (const header of extra) {
    check.matches("extraRedactedHeaders", header, HTTP_HEADER_NAME, "an HTTP header name");
    if (!headers.includes(header.toLowerCase())) headers.push(header.toLowerCase());
  }
  return headers;
}
