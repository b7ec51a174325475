import type { Command } from "commander";
import { addGlobalOptions, examples, type GlobalOptions } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import type { ConfigValidateOptions } from "./options.js";

/** `shopctl config validate|show`: check stack files against the schema before anything runs. */
export function registerConfig(program: Command, runner: CommandRunner): void {
  const config = program
    .command("config")
    .description("validate and show stack configuration (stacks/Pulumi.<stack>.yaml)");

  addGlobalOptions(config.command("validate"))
    .description("validate a stack's config, or every stack's; exit 2 listing every bad key")
    .option("--all-stacks", "validate every stacks/Pulumi.*.yaml", false)
    .addHelpText("after", examples("shopctl config validate --stack prod", "shopctl config validate --all-stacks --json"))
    .action(runner(async (options: ConfigValidateOptions, io) => (await import("./config-actions.js")).validate(options, io)));

  addGlobalOptions(config.command("show"))
    .description("print a stack's config with every tier default filled in")
    .addHelpText("after", examples("shopctl config show --stack dev", "shopctl config show --stack prod --json"))
    .action(runner(async (options: GlobalOptions, io) => (await import("./config-actions.js")).show(options, io)));
}
