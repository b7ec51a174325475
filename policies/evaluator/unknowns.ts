// @pulumi/policy exports its unknown-checking proxy and UnknownValueError from its index, but
// ships their declarations stripped (proxy.d.ts is empty). The evaluator must use these very
// objects, so that a policy reading an unknown value fails exactly as under the real analyzer;
// this module gives them the types their implementation has.
import * as policyLibrary from "@pulumi/policy";

/** What the proxy throws: the path it read, from the props it wrapped (`["rule", "0", "kmsKeyId"]`). */
export interface UnknownValueErrorInstance extends Error {
  readonly props: readonly PropertyKey[];
}

interface UnknownChecking {
  /** Wraps `value` so that reading an unknown sentinel anywhere inside throws UnknownValueError. */
  unknownCheckingProxy: <T extends object>(value: T) => T;
  UnknownValueError: new (...args: never[]) => UnknownValueErrorInstance;
}

const library = policyLibrary as unknown as UnknownChecking;

export const unknownCheckingProxy: UnknownChecking["unknownCheckingProxy"] = library.unknownCheckingProxy;
export const UnknownValueError: UnknownChecking["UnknownValueError"] = library.UnknownValueError;

/** The unknown property's path as @pulumi/policy's message names it: `.rule.0.kmsKeyId`. */
export function unknownPath(error: UnknownValueErrorInstance): string {
  return `.${error.props.map((key) => String(key)).join(".")}`;
}
