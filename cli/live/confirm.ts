import { RefusedError, UsageError } from "../exit-codes.js";
import { canPrompt, type Io } from "../io.js";

/**
 * Ask the user to type the stack's name before a dangerous operation; `--yes` stands in for
 * typing it in CI. Without a terminal and without --yes the command stops and names the flag.
 */
export async function confirmByTypingStack(io: Io, stack: string, what: string, yes: boolean): Promise<void> {
  if (yes) return;
  ensureCanConfirm(io, stack, what, yes);
  const { input } = await import("@inquirer/prompts");
  const typed = await input({ message: `This will ${what} stack ${stack}. Type the stack name to confirm:` }, { output: io.stderr });
  if (typed.trim() !== stack) throw new RefusedError(`you typed "${typed.trim()}", not "${stack}"; nothing was changed`);
}

/** Fail fast, before a long preflight, when confirmation will be needed and cannot be asked for. */
export function ensureCanConfirm(io: Io, stack: string, what: string, yes: boolean): void {
  if (!yes && !canPrompt(io)) {
    throw new UsageError(`to ${what} stack ${stack}, confirm with --yes (there is no terminal to type the stack name on)`);
  }
}
