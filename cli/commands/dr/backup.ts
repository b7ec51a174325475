import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import { addOutputsFile, type BackupOptions } from "./options.js";

/** `shopctl backup status|verify`: recovery points, failed jobs and vault locks against the stack's policy. */
export function registerBackup(program: Command, runner: CommandRunner): void {
  const backup = program
    .command("backup")
    .summary("AWS Backup recovery points, failed jobs and vault locks")
    .description("the stack's backups per vault and region: recovery points, the newest within the schedule, failed backup and copy jobs, vault lock state");
  const define = (name: "status" | "verify", summary: string, description: string, lines: string[]) => {
    addStateOptions(addOutputsFile(addGlobalOptions(backup.command(name))))
      .summary(summary)
      .description(description)
      .option("--days <n>", "failed backup and copy jobs of the last N days count", "7")
      .option("--max-age <duration>", "the newest recovery point of each resource may be this old (default: the daily schedule's interval plus 2h)")
      .addHelpText("after", examples(...lines))
      .action(runner(async (options: BackupOptions, io) => (await import("./backup-action.js")).backupReport(name, options, io)));
  };
  define("status", "show the backups of a stack", "recovery points per vault and region, the newest per protected resource against the schedule, failed backup and copy jobs, vault lock state; exit 0 whatever it finds", [
    "shopctl backup status --stack prod",
    "shopctl backup status --stack prod --json | jq .problems",
  ]);
  define("verify", "check the backups against the policy (exit 1 when out of policy)", "the same checks as `backup status`; exit 1 when anything is out of policy (a late or missing recovery point, a failed job, a vault lock that differs from the config)", [
    "shopctl backup verify --stack prod            # in CI, daily",
    "shopctl backup verify --stack prod --days 1 --json",
  ]);
}
