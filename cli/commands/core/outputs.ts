import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addLocalOption, addStateOptions } from "../common/state-options.js";
import type { OutputsOptions } from "./options.js";

/** `shopctl outputs`: the deployed stack's outputs, checked against the outputs contract. */
export function registerOutputs(program: Command, runner: CommandRunner): void {
  addLocalOption(addStateOptions(addGlobalOptions(program.command("outputs"))))
    .summary("a deployed stack's outputs")
    .description("print a deployed stack's outputs (site URL, load balancers, database, search, backup vaults, ...)")
    .addHelpText("after", examples(
      "shopctl outputs --stack prod",
      "shopctl outputs --stack prod --json | jq -r .outputs.siteUrl",
    ))
    .action(runner(async (options: OutputsOptions, io) => (await import("./outputs-action.js")).outputs(options, io)));
}
