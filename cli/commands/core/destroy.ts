import type { Command } from "commander";
import { addDryRun, addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addLocalOption, addStateOptions } from "../common/state-options.js";
import type { DestroyOptions } from "./options.js";

/** `shopctl destroy`: delete every resource of a stack, refusing while deletion protection is on. */
export function registerDestroy(program: Command, runner: CommandRunner): void {
  const command = program
    .command("destroy")
    .summary("delete every resource of a stack")
    .description("delete every resource of a stack; staging and prod ask you to type the stack name; stops while deletion protection is on")
    .option("-y, --yes", "do not ask to type the stack name (staging and prod ask otherwise)", false);
  addLocalOption(addStateOptions(addDryRun(addGlobalOptions(command))))
    .addHelpText("after", examples(
      "shopctl destroy --stack dev",
      "shopctl destroy --stack staging --dry-run   # what would be deleted",
      "CI=true shopctl destroy --stack staging --yes --json",
    ))
    .action(runner(async (options: DestroyOptions, io) => (await import("./destroy-action.js")).destroy(options, io)));
}
