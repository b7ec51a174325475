import { Option, type Command } from "commander";
import type { StateFlags } from "../engine/settings.js";
import type { GlobalOptions } from "../global-options.js";

// Option definitions shared by the DR commands (dr, failover, failback, drill, backup). This
// module imports only commander: `shopctl --help` must load neither Pulumi nor the AWS SDK.

export interface DrReadOptions extends GlobalOptions, StateFlags {
  outputsFile?: string;
}

export interface DrChangeOptions extends DrReadOptions {
  dryRun: boolean;
  resume: boolean;
  yes: boolean;
}

/** `--outputs-file`: mid-outage, the state backend may not answer. */
export function addOutputsFile(command: Command): Command {
  return command.addOption(new Option("--outputs-file <file>", "read the stack outputs from this JSON file (saved with `shopctl outputs --json`; DR commands keep a copy in $SHOPCTL_HOME/dr/<stack>/outputs.json) instead of the state backend").env("SHOPCTL_OUTPUTS_FILE"));
}

/** `--dry-run`, `--resume`, and `--yes` for commands that ask prod users to type the stack name. */
export function addRunControl(command: Command, what: string, confirms = true): Command {
  command
    .option("--dry-run", "run the preflight and print the plan; make no change", false)
    .option("--resume", `continue an interrupted ${what} from its journal (completed steps are skipped, the step in progress is re-verified)`, false);
  return confirms ? command.option("-y, --yes", "do not ask to type the stack name (prod asks otherwise)", false) : command;
}
