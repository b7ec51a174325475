import { digitsFrom, hexFrom } from "./hashing.js";
import type { PropertyReader } from "./property-values.js";
import type { AutoName } from "./resource-model.js";

/**
 * The physical name Pulumi/AWS would give a resource, or `undefined` when the program set the
 * name property itself (possibly to a value that is unknown during a preview).
 *
 * - no name: `<logical name>-<7 hex>` (Pulumi's auto-name), cut to fit `maxLength`;
 * - a `namePrefix`-style input: `<prefix><26 digits>` (Terraform's unique-id suffix).
 */
export function autoNameFor(rule: AutoName, inputs: PropertyReader, logicalName: string, seed: string): string | undefined {
  if (inputs.has(rule.property)) return undefined;
  const fixedPrefix = rule.fixedPrefix ?? "";
  const maxLength = rule.maxLength ?? 255;
  if (rule.prefixProperty !== undefined && inputs.has(rule.prefixProperty)) {
    const prefixInput = inputs.string(rule.prefixProperty);
    // An unknown prefix (preview) leaves the name unknown too.
    if (prefixInput === undefined) return undefined;
    return `${prefixInput}2024010100000000${digitsFrom(`${seed}|prefix`, 10)}`.slice(0, maxLength);
  }
  const suffix = `-${hexFrom(`${seed}|autoname`, 7)}`;
  const readable = rule.lowercase === true ? logicalName.toLowerCase() : logicalName;
  const room = Math.max(1, maxLength - fixedPrefix.length - suffix.length);
  return `${fixedPrefix}${readable.slice(0, room)}${suffix}`;
}
