import type { Command } from "commander";

/** A command path (`config validate`) with its flags and the values some flags accept. */
export interface CompletionEntry {
  path: string;
  subcommands: string[];
  flags: string[];
  /** Flags that take a value, with the values when they are a fixed set (`--tier`: dev staging prod). */
  valueFlags: Record<string, string[]>;
}

/** Everything the completion scripts need, read from the commander tree so they never drift. */
export function completionEntries(program: Command): CompletionEntry[] {
  const entries: CompletionEntry[] = [];
  const visit = (command: Command, path: string) => {
    const options = command.options.filter((option) => !option.hidden);
    const flags = [...options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => flag !== undefined)), "--help"];
    const valueFlags: Record<string, string[]> = {};
    for (const option of options) {
      if (!option.required && !option.optional) continue;
      for (const flag of [option.long, option.short]) if (flag !== undefined) valueFlags[flag] = option.argChoices ?? [];
    }
    const subcommands = command.commands.map((sub) => sub.name()).filter((name) => name !== "help");
    const argumentChoices = command.registeredArguments.flatMap((argument) => argument.argChoices ?? []);
    entries.push({ path, subcommands: [...subcommands, ...argumentChoices], flags, valueFlags });
    for (const sub of command.commands) visit(sub, path === "" ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, "");
  return entries;
}

const quote = (words: readonly string[]) => words.join(" ");

/** Bash: `eval "$(shopctl completion bash)"`, or save it under /etc/bash_completion.d/. */
export function bashScript(entries: readonly CompletionEntry[], name = "shopctl"): string {
  const fn = `_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`;
  const cases = entries.map((entry) => `    "${entry.path}") words="${quote([...entry.subcommands, ...entry.flags])}" ;;`).join("\n");
  const valueCases = new Map<string, string>();
  for (const entry of entries) {
    for (const [flag, values] of Object.entries(entry.valueFlags)) {
      if (flag === "--stack" || flag === "-s") continue;
      valueCases.set(`"${entry.path}:${flag}"`, values.length > 0 ? `COMPREPLY=($(compgen -W "${quote(values)}" -- "$cur")); return 0 ;;` : "COMPREPLY=(); return 0 ;;");
    }
  }
  const valueLines = [...valueCases.entries()].map(([key, body]) => `    ${key}) ${body}`).join("\n");
  return `# ${name} completion for bash. Load it with:  eval "$(${name} completion bash)"
${fn}_stacks() {
  local dir="\${SHOPCTL_STACKS_DIR:-stacks}" file
  for file in "$dir"/Pulumi.*.yaml; do
    [[ -e "$file" ]] || continue
    file="\${file##*/Pulumi.}"
    printf '%s\\n' "\${file%.yaml}"
  done
}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" word words i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    case "\${path:+$path }$word" in
${entries.filter((entry) => entry.path !== "").map((entry) => `      "${entry.path}") path="${entry.path}" ;;`).join("\n")}
    esac
  done
  if [[ "$prev" == "--stack" || "$prev" == "-s" ]]; then
    COMPREPLY=($(compgen -W "$(${fn}_stacks)" -- "$cur")); return 0
  fi
  case "$path:$prev" in
${valueLines}
  esac
  case "$path" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F ${fn} ${name}
`;
}

/** Zsh runs the bash completion through bashcompinit: one definition for both shells. */
export function zshScript(entries: readonly CompletionEntry[], name = "shopctl"): string {
  return `#compdef ${name}
# ${name} completion for zsh. Load it with:  eval "$(${name} completion zsh)"  (after compinit)
autoload -U +X bashcompinit && bashcompinit
${bashScript(entries, name)}`;
}
