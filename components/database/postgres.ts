import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { childName } from "../conventions.js";
import type { ArgsChecker } from "../common/args.js";
import { type Transform, transform } from "../common/transform.js";

/** What RDS PostgreSQL exports to CloudWatch Logs: the server log and the major-upgrade log. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** `"16"` or `"16.4"`; returns the major version. RDS's oldest supported major is 13. */
export function postgresMajor(check: ArgsChecker, engineVersion: string): number {
  const match = /^(\d+)(\.\d+)?$/.exec(engineVersion);
  const major = match ? Number(match[1]) : NaN;
  if (!(major >= 13)) check.fail("engineVersion", engineVersion, 'a PostgreSQL version of 13 or later such as "16" or "16.4"');
  return major;
}

/**
 * The parameter group both the primary and the replica use: TLS is mandatory (force_ssl, TLS 1.2
 * at least), and statements slower than `slowStatementMs`, connections, disconnections and lock
 * waits are logged (to the `postgresql` log export).
 */
export function postgresParameterGroup(
  parent: pulumi.Resource,
  name: string,
  major: number,
  slowStatementMs: number,
  change: Transform<aws.rds.ParameterGroupArgs> | undefined,
): aws.rds.ParameterGroup {
  return new aws.rds.ParameterGroup(...transform<aws.rds.ParameterGroupArgs>(
    change,
    childName(name, "params"),
    {
      family: `postgres${major}`,
      description: "TLS required; slow statements and connections logged",
      parameters: [
        { name: "rds.force_ssl", value: "1" },
        { name: "ssl_min_protocol_version", value: "TLSv1.2" },
        { name: "log_min_duration_statement", value: String(slowStatementMs) },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
      ],
    },
    { parent },
  ));
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;
const TIME = "([01]\\d|2[0-3]):([0-5]\\d)";
const BACKUP_WINDOW = new RegExp(`^${TIME}-${TIME}$`);
const MAINTENANCE_WINDOW = new RegExp(`^(${DAYS.join("|")}):${TIME}-(${DAYS.join("|")}):${TIME}$`);

/** Half-open [start, end) minute ranges; `end` may pass `period` (a window across midnight). */
type Span = readonly [number, number];

function spanLength([start, end]: Span): number {
  return end - start;
}

function overlaps(a: Span, b: Span, period: number): boolean {
  // Compare b against a in the same period and shifted one period either way (wrap-around).
  return [-period, 0, period].some((shift) => a[0] < b[1] + shift && b[0] + shift < a[1]);
}

function span(startMinute: number, endMinute: number, period: number): Span {
  return [startMinute, endMinute > startMinute ? endMinute : endMinute + period];
}

/**
 * RDS's daily backup window (`hh24:mi-hh24:mi`, UTC) and weekly maintenance window
 * (`ddd:hh24:mi-ddd:hh24:mi`): each at least 30 minutes, and they must not overlap.
 */
export function checkWindows(check: ArgsChecker, backupWindow: string, maintenanceWindow: string): void {
  const backup = BACKUP_WINDOW.exec(backupWindow);
  if (!backup) check.fail("backupWindow", backupWindow, 'a daily UTC window "hh24:mi-hh24:mi" such as "02:00-03:00"');
  const maintenance = MAINTENANCE_WINDOW.exec(maintenanceWindow);
  if (!maintenance) check.fail("maintenanceWindow", maintenanceWindow, 'a weekly UTC window "ddd:hh24:mi-ddd:hh24:mi" such as "sun:03:30-sun:04:30"');

  const [, bh1, bm1, bh2, bm2] = backup.map(Number);
  const backupSpan = span(Number(bh1) * 60 + Number(bm1), Number(bh2) * 60 + Number(bm2), DAY_MINUTES);
  if (spanLength(backupSpan) < 30) check.fail("backupWindow", backupWindow, "a window of at least 30 minutes");

  const dayIndex = (day: string | undefined) => DAYS.indexOf(day as (typeof DAYS)[number]);
  const weekMinute = (day: string | undefined, hour: string | undefined, minute: string | undefined) =>
    dayIndex(day) * DAY_MINUTES + Number(hour) * 60 + Number(minute);
  const [, d1, h1, m1, d2, h2, m2] = maintenance;
  const maintenanceSpan = span(weekMinute(d1, h1, m1), weekMinute(d2, h2, m2), WEEK_MINUTES);
  if (spanLength(maintenanceSpan) < 30) check.fail("maintenanceWindow", maintenanceWindow, "a window of at least 30 minutes");

  const clash = DAYS.some((_, day) => {
    const daily: Span = [backupSpan[0] + day * DAY_MINUTES, backupSpan[1] + day * DAY_MINUTES];
    return overlaps(daily, maintenanceSpan, WEEK_MINUTES);
  });
  if (clash) check.fail("maintenanceWindow", maintenanceWindow, `a window that does not overlap the backup window ${backupWindow}`);
}
