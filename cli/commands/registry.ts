import type { Command } from "commander";
import { registerCatalogCommands } from "./catalog/register.js";
import { registerCoreCommands } from "./core/register.js";
import { registerDisasterRecovery } from "./dr/register.js";
import { registerPolicy } from "./policy/policy.js";
import type { CommandRunner } from "./common/runner.js";

/**
 * Every command, registered cheaply, one area at a time: definitions import only commander; each
 * action imports its implementation when it runs, so `shopctl --help` loads neither Pulumi, the AWS
 * SDK nor inquirer. Nothing under commands/ imports this module, which keeps the graph acyclic.
 */
export function registerCommands(program: Command, runner: CommandRunner): void {
  registerCoreCommands(program, runner);
  registerPolicy(program, runner);
  registerCatalogCommands(program, runner);
  registerDisasterRecovery(program, runner);
}
