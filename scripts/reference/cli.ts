import type { EventEmitter } from "node:events";
import type { Command, Option } from "commander";
import { anchor, code, document, escapeHtml, generatedHeader, table } from "./markdown.js";

export interface ArgumentDoc {
  name: string;
  required: boolean;
  variadic: boolean;
  description: string;
  defaultValue: unknown;
  choices: readonly string[] | undefined;
}

export interface OptionDoc {
  flags: string;
  description: string;
  defaultValue: unknown;
  /** commander's own wording for a default that is not a plain value. */
  defaultDescription: string | undefined;
  env: string | undefined;
  choices: readonly string[] | undefined;
  mandatory: boolean;
}

export interface CommandDoc {
  /** `shopctl config validate`. */
  path: string;
  depth: number;
  usage: string;
  summary: string;
  description: string;
  aliases: string[];
  arguments: ArgumentDoc[];
  options: OptionDoc[];
  /** Text the command adds to its help (examples, notes), as printed. */
  beforeHelp: string;
  afterHelp: string;
  subcommands: { path: string; summary: string }[];
}

/**
 * Every command of a built program, depth first with subcommands sorted by name. Only the
 * definitions are read: actions load their modules when they run, so nothing runs here.
 */
export function extractCli(program: Command): CommandDoc[] {
  const docs: CommandDoc[] = [];
  const visit = (command: Command, parents: string[]): void => {
    const path = [...parents, command.name()];
    const help = command.createHelp();
    const children = help.visibleCommands(command)
      // The implicit `help` command is commander's, not one of ours: it is not in `commands`.
      .filter((child) => command.commands.includes(child))
      .sort((a, b) => (a.name() < b.name() ? -1 : a.name() > b.name() ? 1 : 0));
    docs.push({
      path: path.join(" "),
      depth: parents.length,
      usage: help.commandUsage(command),
      summary: command.summary(),
      description: command.description(),
      aliases: command.aliases(),
      // Not help.visibleArguments: it shows none unless one has a description; we want them all.
      arguments: command.registeredArguments.map((argument) => ({
        name: argument.name(),
        required: argument.required,
        variadic: argument.variadic,
        description: argument.description,
        defaultValue: argument.defaultValue as unknown,
        choices: argument.argChoices,
      })),
      options: help.visibleOptions(command).filter((option) => option.long !== "--help").map(optionDoc),
      beforeHelp: helpText(command, "beforeHelp"),
      afterHelp: helpText(command, "afterHelp"),
      subcommands: children.map((child) => ({ path: [...path, child.name()].join(" "), summary: child.summary() || child.description() })),
    });
    for (const child of children) visit(child, path);
  };
  visit(program, []);
  return docs;
}

function optionDoc(option: Option): OptionDoc {
  return {
    flags: option.flags,
    description: option.description,
    defaultValue: option.defaultValue,
    defaultDescription: option.defaultValueDescription,
    env: option.envVar,
    choices: option.argChoices,
    mandatory: option.mandatory,
  };
}

/**
 * What `addHelpText(position, ...)` added: commander keeps it as listeners on the command's help
 * events, so emit the event with a context that collects what they write.
 */
function helpText(command: Command, event: "beforeHelp" | "afterHelp"): string {
  let text = "";
  // commander's typings do not resolve its EventEmitter base under typed linting; it is one.
  (command as unknown as EventEmitter).emit(event, { error: false, command, write: (chunk: string) => { text += chunk; } });
  return text.replace(/\s+$/, "").replace(/^\s*\n/, "");
}

/** The whole of docs/reference/cli.md. */
export function renderCli(commands: readonly CommandDoc[], sourceLabel: string): string {
  const toc = commands.map((command) => `${"  ".repeat(command.depth)}- [${command.path}](#${anchor(command.path)})${command.summary === "" ? "" : ` — ${escapeHtml(command.summary)}`}`);
  return document([
    generatedHeader(sourceLabel),
    "# shopctl command reference",
    "Every command and subcommand of `shopctl`, with its arguments, options and examples, as `--help` prints them. Every command also takes `-h, --help`.",
    "## Contents",
    toc.join("\n"),
    ...commands.map(renderCommand),
  ]);
}

function renderCommand(command: CommandDoc): string {
  const blocks = [`## ${command.path}`];
  if (command.summary !== "" && command.summary !== command.description) blocks.push(`**${escapeHtml(command.summary)}**`);
  if (command.description !== "") blocks.push(escapeHtml(command.description));
  blocks.push(`Usage: ${code(command.usage)}`);
  if (command.aliases.length > 0) blocks.push(`Aliases: ${command.aliases.map(code).join(", ")}`);
  if (command.beforeHelp !== "") blocks.push(fenced(command.beforeHelp));
  if (command.arguments.length > 0) {
    blocks.push("### Arguments");
    blocks.push(table(["Argument", "Description", "Default"], command.arguments.map((argument) => [
      code(`${argument.required ? "<" : "["}${argument.name}${argument.variadic ? "..." : ""}${argument.required ? ">" : "]"}`),
      withChoices(argument.description, argument.choices),
      argument.defaultValue === undefined ? "" : code(JSON.stringify(argument.defaultValue)),
    ])));
  }
  if (command.options.length > 0) {
    blocks.push("### Options");
    blocks.push(table(["Option", "Description", "Default", "Environment"], command.options.map((option) => [
      code(option.flags),
      `${option.mandatory ? "**Required.** " : ""}${withChoices(option.description, option.choices)}`,
      defaultText(option),
      option.env === undefined ? "" : code(option.env),
    ])));
  }
  if (command.subcommands.length > 0) {
    blocks.push("### Subcommands");
    blocks.push(command.subcommands.map(({ path, summary }) => `- [${path}](#${anchor(path)})${summary === "" ? "" : ` — ${escapeHtml(summary)}`}`).join("\n"));
  }
  if (command.afterHelp !== "") blocks.push(fenced(command.afterHelp));
  return blocks.join("\n\n");
}

function withChoices(description: string, choices: readonly string[] | undefined): string {
  return choices === undefined ? description : `${description} (one of ${choices.map(code).join(", ")})`;
}

function defaultText(option: OptionDoc): string {
  if (option.defaultDescription !== undefined) return option.defaultDescription;
  return option.defaultValue === undefined ? "" : code(JSON.stringify(option.defaultValue));
}

/** Help text as printed, in a block so its alignment survives. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}
