import { parseStackOutputs, type StackOutputs } from "../../stacks/outputs.js";
import { StackNotDeployedError, type Engine, type EngineOutputs } from "../engine/engine.js";
import { CliError, ExitCode, RefusedError } from "../exit-codes.js";

export interface ReadOutputs {
  outputs: StackOutputs;
  raw: EngineOutputs;
}

/**
 * The stack's outputs, checked against shop-platform's outputs contract. A stack that was
 * never deployed refuses (exit 3); outputs from another version of the program fail (exit 1).
 */
export async function readOutputs(engine: Engine, stack: string): Promise<ReadOutputs> {
  let raw: EngineOutputs;
  try {
    raw = await engine.outputs();
  } catch (error) {
    if (error instanceof StackNotDeployedError) {
      throw new RefusedError(`${error.message}: run \`shopctl up --stack ${stack}\` first, or pass the --backend it was deployed with`);
    }
    throw error;
  }
  try {
    return { outputs: parseStackOutputs(raw.values, stack), raw };
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), ExitCode.Failed);
  }
}

/** Outputs with secret values replaced, for printing: secrets never reach stdout or logs. */
export function maskSecrets(raw: EngineOutputs): Record<string, unknown> {
  return Object.fromEntries(Object.entries(raw.values).map(([key, value]) => [key, raw.secretKeys.includes(key) ? "[secret]" : value]));
}

/** `a.b.c  value` lines of a nested object, for text output. */
export function flatten(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, item]) => flatten(item, prefix === "" ? key : `${prefix}.${key}`));
  }
  return [[prefix, typeof value === "string" ? value : JSON.stringify(value)]];
}

export function renderKeyValues(pairs: readonly [string, string][]): string {
  const width = Math.max(0, ...pairs.map(([key]) => key.length));
  return pairs.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join("\n");
}
