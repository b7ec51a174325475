import type { Command } from "commander";
import { addDryRun, addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addLocalOption, addStateOptions } from "../common/state-options.js";
import type { UpOptions } from "./options.js";

/** `shopctl up`: preflight, then `pulumi up` with the policy pack, one progress line per resource. */
export function registerUp(program: Command, runner: CommandRunner): void {
  const command = program
    .command("up")
    .summary("deploy a stack after the preflight checks")
    .description("deploy a stack: preflight (config, offline policy check, doctor's checks), then `pulumi up` with the policy pack attached")
    .option("-y, --yes", "do not ask to type the stack name (prod asks otherwise)", false)
    .option("--ignore-dr-state", "deploy even though the DR journals say the stack is failed over or in a DR run (up refuses otherwise)", false);
  addLocalOption(addStateOptions(addDryRun(addGlobalOptions(command))))
    .addHelpText("after", examples(
      "shopctl up --stack dev",
      "shopctl up --local --stack prod --yes # the whole platform through the real engine, against the local cloud",
      "shopctl up --stack prod              # asks you to type \"prod\"",
      "CI=true shopctl up --stack prod --yes --json",
      "shopctl up --stack staging --dry-run # preflight and a live preview; changes nothing",
    ))
    .action(runner(async (options: UpOptions, io) => (await import("./up-action.js")).up(options, io)));
}
