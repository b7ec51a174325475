import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import type { StatusOptions } from "./options.js";

/** `shopctl status`: the outputs plus live health from AWS. */
export function registerStatus(program: Command, runner: CommandRunner): void {
  addStateOptions(addGlobalOptions(program.command("status")))
    .summary("live health of a deployed stack")
    .description("a deployed stack's live health per region: web fleet in service, database status and replica lag, search domain, alarms in ALARM, newest backup; exit 1 when unhealthy")
    .addHelpText("after", examples(
      "shopctl status --stack prod",
      "shopctl status --stack prod --json | jq .health.status",
    ))
    .action(runner(async (options: StatusOptions, io) => (await import("./status-action.js")).status(options, io)));
}
