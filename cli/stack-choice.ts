import { UsageError } from "./exit-codes.js";
import { canPrompt, type Io } from "./io.js";

/**
 * The stack to act on: the flag when given; otherwise ask on a terminal; otherwise a usage
 * error that names the flag, since CI has nobody to answer a prompt.
 */
export async function chooseStack(io: Io, flag: string | undefined, available: readonly string[]): Promise<string> {
  if (flag !== undefined && flag !== "") {
    if (!available.includes(flag)) {
      throw new UsageError(`no stack named "${flag}": stacks/Pulumi.${flag}.yaml does not exist (stacks: ${available.join(", ") || "none"}; create one with shopctl init)`);
    }
    return flag;
  }
  if (!canPrompt(io)) {
    throw new UsageError(`which stack? pass --stack NAME (one of: ${available.join(", ")}); there is no terminal to ask on`);
  }
  const { select } = await import("@inquirer/prompts");
  return select({ message: "Stack", choices: available.map((name) => ({ name, value: name })) }, { output: io.stderr });
}
