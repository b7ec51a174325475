import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../main.js";
import { memoryIo } from "../../test/memory-io.js";
import { bashScript, completionEntries, zshScript } from "./scripts.js";

const entries = completionEntries(buildProgram(memoryIo(), () => undefined));

/** Ask the generated bash completion what it offers for a command line (the last word is being typed). */
function complete(words: string[], env: Record<string, string> = {}): string[] {
  const script = `${bashScript(entries)}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _shopctl; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync("bash", ["--norc", "--noprofile", "-c", script], { encoding: "utf8", env: { PATH: process.env.PATH, ...env } });
  expect(result.stderr).toBe("");
  return result.stdout.split("\n").filter((line) => line !== "");
}

describe("shell completion", () => {
  it("is read from the command tree: every command with its flags", () => {
    const top = entries.find((entry) => entry.path === "");
    expect(top?.subcommands).toEqual(expect.arrayContaining(["config", "init", "preview", "up", "destroy", "status", "outputs", "doctor", "completion"]));
    expect(entries.find((entry) => entry.path === "up")?.flags).toEqual(expect.arrayContaining(["--stack", "--json", "--dry-run", "--yes", "--backend"]));
    expect(entries.find((entry) => entry.path === "init")?.valueFlags["--tier"]).toEqual(["dev", "staging", "prod"]);
  });

  it("completes commands, subcommands, flags and fixed values in bash", () => {
    expect(complete(["shopctl", "pre"])).toEqual(["preview"]);
    expect(complete(["shopctl", "config", "v"])).toEqual(["validate"]);
    expect(complete(["shopctl", "preview", "--off"])).toEqual(["--offline"]);
    expect(complete(["shopctl", "init", "--tier", ""])).toEqual(["dev", "staging", "prod"]);
    expect(complete(["shopctl", "completion", ""])).toEqual(expect.arrayContaining(["bash", "zsh"]));
  });

  it("completes --stack with the stack files of the stacks folder", () => {
    expect(complete(["shopctl", "up", "--stack", "p"])).toEqual(["prod"]);
    expect(complete(["shopctl", "status", "-s", ""]).sort()).toEqual(["dev", "prod", "staging"]);
  });

  it("gives zsh the same completion through bashcompinit", () => {
    const script = zshScript(entries);
    expect(script.split("\n")[0]).toBe("#compdef shopctl");
    expect(script).toContain("autoload -U +X bashcompinit && bashcompinit");
    expect(script).toContain("complete -F _shopctl shopctl");
    expect(spawnSync("bash", ["-n"], { input: script }).status).toBe(0);
  });
});
