import type { CollectedResource } from "../../local-cloud/index.js";
import { STACK_TYPE } from "../engine/urns.js";

export const SECRET_MASK = "[secret]";

/** One resource as `preview --offline --json --inputs` prints it: what the program asked for. */
export interface ResourceDetails {
  urn: string;
  /** The explicit provider reference `urn::id`, `null` for the default provider. */
  provider: string | null;
  /** Inputs as the program passed them, top-level secrets masked. */
  inputs: Record<string, unknown>;
  ignoreChanges: readonly string[];
}

export interface PlanDetails {
  resources: ResourceDetails[];
  /** The stack's outputs, top-level secrets masked. */
  outputs: Record<string, unknown>;
}

function masked(values: Record<string, unknown>, secrets: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, secrets.includes(key) ? SECRET_MASK : value]));
}

/**
 * Every resource's inputs and the stack's outputs: a byte-for-byte comparable record of what a
 * program declares, e.g. to prove a refactoring changes no URN, name, input or output.
 */
export function planDetails(collected: readonly CollectedResource[]): PlanDetails {
  const stack = collected.find((resource) => resource.type === STACK_TYPE);
  return {
    resources: collected
      .filter((resource) => resource.type !== STACK_TYPE)
      .map((resource) => ({
        urn: resource.urn,
        provider: resource.provider ?? null,
        inputs: masked(resource.inputs, resource.secretProperties),
        ignoreChanges: resource.ignoreChanges,
      })),
    outputs: stack === undefined ? {} : masked(stack.outputs, stack.secretProperties),
  };
}
