import type { Command } from "commander";
import type { StateFlags } from "../engine/settings.js";
import { addGlobalOptions, examples, type GlobalOptions } from "../global-options.js";
import type { CommandRunner } from "./registry.js";
import { addStateOptions } from "./state-options.js";

export type StatusOptions = GlobalOptions & StateFlags;

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
