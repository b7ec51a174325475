import { Argument, type Command } from "commander";
import { addGlobalOptions, examples, type GlobalOptions } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";

/** `shopctl completion bash|zsh`: a completion script generated from the command tree. */
export function registerCompletion(program: Command, runner: CommandRunner): void {
  addGlobalOptions(program.command("completion"))
    .summary("print a bash or zsh completion script")
    .description("print a shell completion script for bash or zsh")
    .addArgument(new Argument("<shell>", "bash or zsh").choices(["bash", "zsh"]))
    .addHelpText("after", examples(
      "eval \"$(shopctl completion bash)\"          # in ~/.bashrc",
      "eval \"$(shopctl completion zsh)\"           # in ~/.zshrc, after compinit",
      "shopctl completion bash > /etc/bash_completion.d/shopctl",
    ))
    .action(async (shell: "bash" | "zsh", options: GlobalOptions) => {
      await runner(async (opts: GlobalOptions, io) => (await import("./completion-action.js")).completion(shell, program, opts, io))(options);
    });
}
