import type { Command } from "commander";
import { bashScript, completionEntries, zshScript } from "../../completion/scripts.js";
import { ExitCode } from "../../exit-codes.js";
import type { GlobalOptions } from "../../global-options.js";
import { printJson, printResult, type Io } from "../../io.js";

export function completion(shell: "bash" | "zsh", program: Command, options: GlobalOptions, io: Io): Promise<ExitCode> {
  const entries = completionEntries(program);
  const script = shell === "bash" ? bashScript(entries, program.name()) : zshScript(entries, program.name());
  if (options.json) printJson(io, { shell, script });
  else printResult(io, script);
  return Promise.resolve(ExitCode.Ok);
}
