import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import { addOutputsFile, addRunControl, type DrillOptions } from "./options.js";

/** `shopctl drill`: restore the newest backup into an isolated instance, run the app on it, tear down, report. */
export function registerDrill(program: Command, runner: CommandRunner): void {
  const command = program
    .command("drill")
    .summary("a DR drill that never touches production traffic")
    .description([
      "restore the newest recovery point of the DR vault into an isolated drill database (subnet group and security groups named",
      "explicitly), start one drill instance of the app against it, verify the app through SSM, measure the restore time, tear",
      "everything down and report. No Route 53, fleet or runtime-parameter change. A failed drill tears down what it created.",
    ].join("\n"))
    .option("--cleanup", "only tear down what an unfinished drill created", false)
    .option("--restore-role-arn <arn>", "the IAM role AWS Backup restores with (default: the stack's backup role, <stack>-backup-backup)")
    .option("--report-dir <dir>", "where the report goes (default $SHOPCTL_HOME/dr/<stack>/reports)");
  addStateOptions(addOutputsFile(addRunControl(addGlobalOptions(command), "drill", false)))
    .addHelpText("after", examples(
      "shopctl drill --stack prod --dry-run",
      "shopctl drill --stack prod",
      "shopctl drill --stack prod --resume     # after an interruption",
      "shopctl drill --stack prod --cleanup    # tear down an abandoned drill",
    ))
    .action(runner(async (options: DrillOptions, io) => (await import("./drill-action.js")).drill(options, io)));
}
