import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addLocalOption, addStateOptions } from "../common/state-options.js";
import type { DoctorOptions } from "./options.js";

/** `shopctl doctor`: is this machine ready to deploy? Each failing check says how to fix it. */
export function registerDoctor(program: Command, runner: CommandRunner): void {
  addLocalOption(addStateOptions(addGlobalOptions(program.command("doctor"))))
    .summary("check that this machine can deploy")
    .description("check this machine: Node.js, the Pulumi CLI, the state backend, the secrets provider, AWS credentials and (with --stack) access to the stack's regions; exit 1 when a check fails")
    .addHelpText("after", examples(
      "shopctl doctor",
      "shopctl doctor --stack prod",
      "shopctl doctor --backend s3://acme-pulumi-state?region=eu-west-1 --secrets-provider awskms://alias/pulumi?region=eu-west-1 --json",
    ))
    .action(runner(async (options: DoctorOptions, io) => (await import("./doctor-action.js")).doctor(options, io)));
}
