import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, CommanderError } from "commander";
import { projectRoot } from "../stacks/project-root.js";
import { registerCommands } from "./commands/registry.js";
import type { CommandRunner } from "./commands/common/runner.js";
import { CliError, ExitCode } from "./exit-codes.js";
import { log, printJson, processIo, type Io } from "./io.js";

const EXIT_CODES_HELP = `
Exit codes:
  0  done
  1  failed (or violations found)
  2  bad usage or bad stack config; nothing was attempted
  3  refused by a preflight check; nothing was changed

Prompts appear only on a terminal with CI unset; otherwise pass every input as a flag.
Results go to stdout, progress and logs to stderr; --json prints exactly one JSON document.
`;

function version(): string {
  const manifest = JSON.parse(readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as { version?: string };
  return manifest.version ?? "0.0.0";
}

export function buildProgram(io: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command("shopctl")
    .description("Run the shop-platform: provision stacks, preview offline, check policy, fail over to the DR region, reindex the catalog")
    .version(version(), "-v, --version", "print the shopctl version")
    .helpOption("-h, --help", "show help for a command")
    .addHelpText("after", EXIT_CODES_HELP)
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  program.configureHelp({ sortSubcommands: true });
  const runner: CommandRunner = (action) => async (options) => {
    setExit(await action(options, io));
  };
  registerCommands(program, runner);
  return program;
}

/** Run shopctl with `argv` (as process.argv) and return its exit code; never calls process.exit. */
export async function run(argv: readonly string[], io: Io = processIo()): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const program = buildProgram(io, (code) => { exitCode = code; });
  const wantsJson = argv.includes("--json");
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    return reportError(error, io, wantsJson);
  }
}

function reportError(error: unknown, io: Io, wantsJson: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // Help and version are requested output, not errors; commander already printed them.
    if (["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code)) return ExitCode.Ok;
    if (wantsJson) printJson(io, { error: { message: error.message, exitCode: ExitCode.Usage } });
    return ExitCode.Usage;
  }
  const { code, details } = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  log(io, code === ExitCode.Failed && error instanceof Error && !(error instanceof CliError) ? `error: ${message}` : message);
  if (wantsJson) printJson(io, { error: { message, exitCode: code, details } });
  return code;
}

function classify(error: unknown): { code: ExitCode; details: unknown } {
  if (error instanceof CliError) return { code: error.exitCode, details: error.details };
  // Config errors come from stacks/, which main does not import eagerly; recognise them by shape.
  if (error instanceof Error && error.name === "ConfigError" && "issues" in error) {
    return { code: ExitCode.Usage, details: { issues: error.issues } };
  }
  if (error instanceof Error && error.name === "ExitPromptError") return { code: ExitCode.Usage, details: undefined };
  return { code: ExitCode.Failed, details: undefined };
}
