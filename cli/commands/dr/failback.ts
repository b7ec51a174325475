import { Argument, type Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import { addOutputsFile, addRunControl, FAILBACK_PHASES, type FailbackOptions, type FailbackPhaseArgument } from "./options.js";

/** `shopctl failback [phase]`: the way back after a failover, one phase per invocation. */
export function registerFailback(program: Command, runner: CommandRunner): void {
  const command = program
    .command("failback")
    .summary("return to the primary region after a failover, phase by phase")
    .description([
      "the phased way back after a failover; each phase is its own invocation with its own journal, and `failback` alone shows where they stand:",
      "  replicate  a cross-region replica of the promoted DR database in the primary region (under the primary's identifier), waited into sync",
      "  switch     a graceful failover back: fence DR, promote that replica, primary fleet up, Route 53 health check restored, verified, reported",
      "  standby    the DR replica re-created from the primary, the DR runtime parameters and fleet back to standby",
      "Instances a phase replaces are renamed <id>-retired-<run>, never deleted.",
    ].join("\n"))
    .addArgument(new Argument("[phase]", "the phase to run, or status").choices(FAILBACK_PHASES).default("status"))
    .option("--retire-old-primary", "replicate: rename the old primary (its data diverged at the failover) out of the way, keeping it", false)
    .option("--kms-key-id <key>", "replicate/standby: KMS key of the new replica when the replaced instance cannot lend its own")
    .option("--subnet-group <name>", "replicate/standby: DB subnet group of the new replica (default: the replaced instance's)")
    .option("--security-group-ids <ids>", "replicate/standby: comma-separated security groups of the new replica (default: the replaced instance's)")
    .option("--instance-class <class>", "replicate/standby: instance class of the new replica (default: the replaced instance's)")
    .option("--max-lag <duration>", "replicate: in sync means ReplicaLag at most this; switch: refuse above it (default 5s; the stack's RPO for switch)")
    .option("--search-path <path>", "switch: the product search the verification runs through the site URL", "/search?q=test")
    .option("--report-dir <dir>", "switch: where the report goes (default $SHOPCTL_HOME/dr/<stack>/reports)")
    .option("--step-timeout <duration>", "cap every wait of the phase");
  addStateOptions(addOutputsFile(addRunControl(addGlobalOptions(command), "failback phase")))
    .addHelpText("after", examples(
      "shopctl failback --stack prod                                   # where failback stands, and the next phase",
      "shopctl failback replicate --stack prod --retire-old-primary",
      "shopctl failback switch --stack prod --dry-run",
      "shopctl failback switch --stack prod",
      "shopctl failback standby --stack prod",
    ))
    .action(async (phase: FailbackPhaseArgument, options: FailbackOptions) => {
      await runner(async (opts: FailbackOptions, io) => (await import("./failback-action.js")).failback(phase, opts, io))(options);
    });
}
