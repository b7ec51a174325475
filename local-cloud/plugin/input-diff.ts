import { isRecord, type Properties } from "../property-values.js";
import { withoutSecrets } from "./wire-values.js";

// The mock cloud's outputs are a function of the inputs (plus stack, type, name and region, which a
// diff cannot change), so "did anything change" is "did the inputs change": old INPUTS against new
// inputs, never old outputs against new inputs (outputs carry computed values the program never
// set, which would read as updates on every run).

export type PropertyChange = "add" | "delete" | "update";

export interface InputDiff {
  readonly changed: boolean;
  /** The top-level properties that changed, sorted. */
  readonly diffs: readonly string[];
  readonly detailed: Readonly<Record<string, PropertyChange>>;
}

/**
 * AWS's write-only arguments (`passwordWo`, `secretStringWo`, ...): AWS never returns them, so a
 * new value (a password generated afresh on every run) is no change; their `<name>Version`
 * companion is what triggers an update, as with the real provider.
 */
export function isWriteOnly(property: string): boolean {
  return /[a-z]Wo$/.test(property);
}

/** Absent, undefined and null all mean "not set". */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (isUnset(a) || isUnset(b)) return isUnset(a) && isUnset(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (isRecord(a) || isRecord(b)) {
    if (!isRecord(a) || !isRecord(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((key) => sameValue(a[key], b[key]));
  }
  return a === b;
}

/**
 * The top-level input properties that differ. Secrets compare by value; a value unknown in a
 * preview differs from any known one; write-only arguments never differ. `ignoreChanges` holds
 * top-level property names to skip (the engine has already applied nested paths to the new inputs
 * before it asks).
 */
export function diffInputs(oldInputs: Properties, newInputs: Properties, ignoreChanges: readonly string[] = []): InputDiff {
  const ignored = new Set(ignoreChanges);
  const keys = [...new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)])].filter((key) => !ignored.has(key) && !isWriteOnly(key)).sort();
  const detailed: Record<string, PropertyChange> = {};
  for (const key of keys) {
    const before = withoutSecrets(oldInputs[key]);
    const after = withoutSecrets(newInputs[key]);
    if (sameValue(before, after)) continue;
    detailed[key] = isUnset(before) ? "add" : isUnset(after) ? "delete" : "update";
  }
  const diffs = Object.keys(detailed);
  return { changed: diffs.length > 0, diffs, detailed };
}
