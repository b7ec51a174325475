import type { ArgsChecker } from "./args.js";

/**
 * The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. "Never expire"
 * is left out on purpose: every log group here has a retention.
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Fails unless `days` is a retention CloudWatch Logs accepts; returns it. */
export function checkLogRetention(check: ArgsChecker, days: number, arg = "logRetentionDays"): number {
  return check.oneOf<number>(arg, days, LOG_RETENTION_DAYS);
}
