import type { Json } from "../lib/values.js";

/**
 * A resource as the evaluator takes it: what the engine records for it in a deployment. Property
 * values are plain JSON with secrets already unwrapped and unknown values (a preview's computed
 * properties) as Pulumi's unknown sentinel string, as the analyzer receives them.
 */
export interface EvaluationResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** What resource policies see: the resource's inputs. */
  readonly inputs: Json;
  /** What stack policies see: the resource's state after the operation. */
  readonly outputs: Json;
  readonly parent?: string | undefined;
  /** The provider reference, `<provider urn>::<provider id>`. */
  readonly provider?: string | undefined;
  readonly dependencies?: readonly string[] | undefined;
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>> | undefined;
  readonly protect?: boolean | undefined;
}

/** Pulumi's marker for a value not known until the update runs (`pulumi.runtime.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** The resource name inside a URN (`urn:pulumi:stack::project::type::name`); names may contain `::`. */
export function nameFromUrn(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The provider URN inside a provider reference (`<urn>::<id>`). */
export function providerUrnOf(reference: string): string {
  const separator = reference.lastIndexOf("::");
  return separator < 0 ? reference : reference.slice(0, separator);
}
