import type { Command } from "commander";
import type { CommandRunner } from "../common/runner.js";
import { registerCompletion } from "./completion.js";
import { registerConfig } from "./config.js";
import { registerDestroy } from "./destroy.js";
import { registerDoctor } from "./doctor.js";
import { registerInit } from "./init.js";
import { registerOutputs } from "./outputs.js";
import { registerPreview } from "./preview.js";
import { registerStatus } from "./status.js";
import { registerUp } from "./up.js";

/** The core commands (config, init, preview, up, destroy, status, outputs, doctor, completion): definitions only; each action loads its module when it runs. */
export function registerCoreCommands(program: Command, runner: CommandRunner): void {
  registerConfig(program, runner);
  registerInit(program, runner);
  registerPreview(program, runner);
  registerUp(program, runner);
  registerDestroy(program, runner);
  registerStatus(program, runner);
  registerOutputs(program, runner);
  registerDoctor(program, runner);
  registerCompletion(program, runner);
}
