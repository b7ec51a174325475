import type { Command } from "commander";
import type { ExitCode } from "../exit-codes.js";
import type { Io } from "../io.js";
import { registerConfig } from "./config.js";
import { registerCoreCommands } from "./core.js";
import { registerPolicy } from "./policy.js";
import { registerCatalog } from "./catalog.js";
import { registerReindex } from "./reindex.js";
import { registerDisasterRecovery } from "./dr-register.js";

/** Wraps a command's action so that its exit code and errors reach main's single exit path. */
export type CommandRunner = <O>(action: (options: O, io: Io) => Promise<ExitCode>) => (options: O) => Promise<void>;

/**
 * Every command, registered cheaply: definitions import only commander; each action imports its
 * implementation when it runs, so `shopctl --help` loads neither Pulumi, the AWS SDK nor inquirer.
 */
export function registerCommands(program: Command, runner: CommandRunner): void {
  registerConfig(program, runner);
  registerCoreCommands(program, runner);
  registerPolicy(program, runner);
  registerCatalog(program, runner);
  registerReindex(program, runner);
  registerDisasterRecovery(program, runner);
}
