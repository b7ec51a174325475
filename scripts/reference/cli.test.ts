import { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../cli/main.js";
import { processIo } from "../../cli/io.js";
import { extractCli, renderCli } from "./cli.js";

function sampleProgram(): Command {
  const program = new Command("tool").description("a sample tool");
  const stack = program.command("stack").summary("manage stacks").description("create and remove stacks");
  stack.command("remove <name> [more...]")
    .description("remove stacks")
    .addOption(new Option("--region <region>", "where").env("TOOL_REGION").default("eu-west-1"))
    .option("--force", "skip the prompt", false)
    .addHelpText("after", "\nExamples:\n  $ tool stack remove dev")
    .action(() => { throw new Error("actions never run while documenting"); });
  stack.command("add").description("add a stack");
  return program;
}

describe("cli reference", () => {
  it("lists every command depth first, subcommands sorted, with arguments, options and help text", () => {
    const commands = extractCli(sampleProgram());
    expect(commands.map((command) => command.path)).toEqual(["tool", "tool stack", "tool stack add", "tool stack remove"]);
    const remove = commands[3];
    expect(remove?.arguments).toEqual([
      { name: "name", required: true, variadic: false, description: "", defaultValue: undefined, choices: undefined },
      { name: "more", required: false, variadic: true, description: "", defaultValue: undefined, choices: undefined },
    ]);
    expect(remove?.options.map((option) => [option.flags, option.defaultValue, option.env])).toEqual([
      ["--region <region>", "eu-west-1", "TOOL_REGION"],
      ["--force", false, undefined],
    ]);
    expect(remove?.afterHelp).toBe("Examples:\n  $ tool stack remove dev");
    const markdown = renderCli(commands, "a sample");
    expect(markdown).toContain("| `--region <region>` | where | `\"eu-west-1\"` | `TOOL_REGION` |");
    expect(markdown).toContain("  - [tool stack](#tool-stack) — manage stacks");
  });

  it("documents the real shopctl program without running any action", () => {
    const commands = extractCli(buildProgram(processIo(), () => undefined));
    const paths = commands.map((command) => command.path);
    expect(paths[0]).toBe("shopctl");
    expect(paths).toContain("shopctl config validate");
    expect(commands.find((command) => command.path === "shopctl config validate")?.afterHelp).toContain("$ shopctl config validate");
  });
});
