import { Option, type Command } from "commander";
import type { StateFlags } from "../../engine/settings.js";
import type { GlobalOptions } from "../../global-options.js";

// Option definitions and the options each DR command's action receives (dr, failover, failback,
// drill, backup). This module imports only commander: `shopctl --help` must load neither Pulumi nor
// the AWS SDK; and actions import their options from here, never from their definition: no cycle.

export interface DrReadOptions extends GlobalOptions, StateFlags {
  outputsFile?: string;
}

export interface DrChangeOptions extends DrReadOptions {
  dryRun: boolean;
  resume: boolean;
  yes: boolean;
}

export interface DrStatusOptions extends DrReadOptions {
  maxLag?: string;
}

export interface DrUnlockOptions extends DrReadOptions {
  force: boolean;
}

export interface FailoverOptions extends DrChangeOptions {
  mode: string;
  maxDataLoss?: string;
  force: boolean;
  acknowledge?: string;
  databaseSecretArn?: string;
  searchPath?: string;
  reportDir?: string;
  stepTimeout?: string;
}

export interface FailbackOptions extends DrChangeOptions {
  retireOldPrimary: boolean;
  kmsKeyId?: string;
  subnetGroup?: string;
  securityGroupIds?: string;
  instanceClass?: string;
  maxLag?: string;
  searchPath?: string;
  reportDir?: string;
  stepTimeout?: string;
}

export const FAILBACK_PHASES = ["status", "replicate", "switch", "standby"] as const;
export type FailbackPhaseArgument = (typeof FAILBACK_PHASES)[number];

export interface DrillOptions extends Omit<DrChangeOptions, "yes"> {
  cleanup: boolean;
  restoreRoleArn?: string;
  reportDir?: string;
}

export interface BackupOptions extends DrReadOptions {
  days: string;
  maxAge?: string;
}

/** `--outputs-file`: mid-outage, the state backend may not answer. */
export function addOutputsFile(command: Command): Command {
  return command.addOption(new Option("--outputs-file <file>", "read the stack outputs from this JSON file (saved with `shopctl outputs --json`; DR commands keep a copy in $SHOPCTL_HOME/dr/<stack>/outputs.json) instead of the state backend").env("SHOPCTL_OUTPUTS_FILE"));
}

/** `--dry-run`, `--resume`, and `--yes` for commands that ask prod users to type the stack name. */
export function addRunControl(command: Command, what: string, confirms = true): Command {
  command
    .option("--dry-run", "run the preflight and print the plan; make no change", false)
    .option("--resume", `continue an interrupted ${what} from its journal (completed steps are skipped, the step in progress is re-verified)`, false);
  return confirms ? command.option("-y, --yes", "do not ask to type the stack name (prod asks otherwise)", false) : command;
}
