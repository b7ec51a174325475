import { Option, type Command } from "commander";

/** The flags every shopctl command takes: --stack (or $SHOPCTL_STACK) and --json. */
export interface GlobalOptions {
  stack?: string;
  json: boolean;
}

export function addGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option("-s, --stack <name>", "stack to act on (stacks/Pulumi.<name>.yaml)").env("SHOPCTL_STACK"))
    .option("--json", "print one JSON document on stdout instead of text", false);
}

/** `--dry-run`, for every command that changes something. */
export function addDryRun(command: Command): Command {
  return command.option("--dry-run", "show what would change and change nothing", false);
}

export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join("\n")}\n`;
}
