import { InvalidArgumentError } from "commander";

/** A commander parser for an integer flag within [min, max]; a bad value is a usage error (exit 2). */
export function integerIn(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`${flag} must be an integer from ${min} to ${max}; got "${value}"`);
    }
    return number;
  };
}

/** `--replicas auto|N`. */
export function replicasValue(value: string): "auto" | number {
  if (value === "auto") return "auto";
  return integerIn("--replicas", 0, 5)(value);
}

/** A plain lower-case identifier (the catalog schema). */
export function identifier(flag: string): (value: string) => string {
  return (value) => {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
      throw new InvalidArgumentError(`${flag} must be a lower-case identifier (letters, digits, _; max 63); got "${value}"`);
    }
    return value;
  };
}

export function aliasValue(value: string): string {
  if (!/^[a-z0-9][a-z0-9_-]{0,199}$/.test(value)) {
    throw new InvalidArgumentError(`--alias must be lower-case letters, digits, _ and -, starting with a letter or digit; got "${value}"`);
  }
  return value;
}
