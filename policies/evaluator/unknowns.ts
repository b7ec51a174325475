// @pulumi/policy exports its unknown-checking proxy and UnknownValueError from its index, but
// ships their declarations stripped (proxy.d.ts is empty). The evaluator must use these very
// objects, so that a policy reading an unknown value fails exactly as under the real analyzer;
// this module gives them the types their implementation has.
import * as policyLibrary from "@pulumi/policy";

interface UnknownChecking {
  /** Wraps `value` so that reading an unknown sentinel anywhere inside throws UnknownValueError. */
  unknownCheckingProxy: <T extends object>(value: T) => T;
  UnknownValueError: new (...args: never[]) => Error;
}

const library = policyLibrary as unknown as UnknownChecking;

export const unknownCheckingProxy: UnknownChecking["unknownCheckingProxy"] = library.unknownCheckingProxy;
export const UnknownValueError: UnknownChecking["UnknownValueError"] = library.UnknownValueError;
