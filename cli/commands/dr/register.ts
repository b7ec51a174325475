import type { Command } from "commander";
import type { CommandRunner } from "../common/runner.js";
import { registerBackup } from "./backup.js";
import { registerDr } from "./dr.js";
import { registerDrill } from "./drill.js";
import { registerFailback } from "./failback.js";
import { registerFailover } from "./failover.js";

/** The disaster recovery commands (dr, failover, failback, drill, backup): definitions only; each action loads its module when it runs. */
export function registerDisasterRecovery(program: Command, runner: CommandRunner): void {
  registerDr(program, runner);
  registerFailover(program, runner);
  registerFailback(program, runner);
  registerDrill(program, runner);
  registerBackup(program, runner);
}
