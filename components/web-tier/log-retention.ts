import { LOG_RETENTION_DAYS as CLOUDWATCH_LOG_RETENTION_DAYS } from "../shared/log-retention.js";

/**
 * Fails with a clear message unless `days` is a retention CloudWatch Logs accepts. "Never
 * expire" (0) is refused on purpose: every log group here has a retention.
 */
export function assertLogRetentionDays(owner: string, key: string, days: number): void {
  if (!(CLOUDWATCH_LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new Error(`${owner}: ${key} must be one of CloudWatch Logs' retention periods (${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")} days); got ${days}.`);
  }
}
