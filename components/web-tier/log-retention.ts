/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const CLOUDWATCH_LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Fails with a clear message unless `days` is a retention CloudWatch Logs accepts. "Never
 * expire" (0) is refused on purpose: every log group here has a retention.
 */
export function assertLogRetentionDays(owner: string, key: string, days: number): void {
  if (!(CLOUDWATCH_LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
    throw new Error(`${owner}: ${key} must be one of CloudWatch Logs' retention periods (${CLOUDWATCH_LOG_RETENTION_DAYS.join(", ")} days); got ${days}.`);
  }
}
