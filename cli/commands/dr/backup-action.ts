import { ExitCode, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { resolveTarget } from "../../live/target.js";
import { auditBackups, renderAudit, scheduleInterval } from "../../dr/backup-audit.js";
import { parseDuration } from "../../dr/duration.js";
import { defaultDrDeps, type DrDeps, readCaller } from "../../dr/operation.js";
import { loadDrOutputs } from "../../dr/outputs-source.js";
import type { BackupOptions } from "./options.js";

/** Slack after a scheduled run: the backup window plus the time a snapshot and its copy take. */
const SCHEDULE_SLACK_MS = 2 * 3_600_000;

export async function backupReport(mode: "status" | "verify", options: BackupOptions, io: Io, deps: DrDeps = defaultDrDeps): Promise<ExitCode> {
  const days = Number(options.days);
  if (!Number.isInteger(days) || days < 1 || days > 90) throw new UsageError(`--days ${options.days}: expected a whole number of days from 1 to 90`);
  const target = await resolveTarget(options, io);
  const { config } = target.loaded;
  const maxAgeMs = options.maxAge === undefined ? scheduleInterval(config.backup.daily.schedule) + SCHEDULE_SLACK_MS : parseDuration(options.maxAge, "--max-age");
  const { outputs, source } = await loadDrOutputs(target, options.outputsFile, io, deps.live);
  if (!options.json) log(io, `reading the backups of ${target.stack} from AWS Backup (outputs from ${source})...`);
  const call = readCaller(deps, io);
  const audit = await auditBackups(outputs, config, { env: io.env, call, now: new Date(deps.clock.now()), days, maxAgeMs });
  if (options.json) printJson(io, { ...audit, withinPolicy: audit.problems.length === 0 });
  else printResult(io, renderAudit(audit));
  return mode === "verify" && audit.problems.length > 0 ? ExitCode.Failed : ExitCode.Ok;
}
