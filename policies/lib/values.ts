// Readers that take a property as the engine hands it over and answer one question, whatever
// shape the value arrived in: @pulumi/aws declares some booleans as strings ("true"), and older
// state or a hand-written file may hold a nested block as a one-element list.

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `true` or `"true"`. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** `false` or `"false"` (absent is neither true nor false). */
export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A list, or the single value as a list, or nothing. */
export function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  return value === undefined || value === null ? [] : [value];
}

/** A nested block, given as an object or as a one-element list. */
export function blockOf(value: unknown): Json | undefined {
  const item: unknown = Array.isArray(value) ? (value as unknown[])[0] : value;
  return isRecord(item) ? item : undefined;
}

export function blocksOf(value: unknown): Json[] {
  return listOf(value).filter(isRecord);
}

export function stringsOf(value: unknown): string[] {
  return listOf(value).filter((item): item is string => typeof item === "string");
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function numberOf(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** A JSON document given as a string (as AWS takes it) or already as an object. */
export function jsonOf(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** A string map (tags), given as an object or as a JSON string (provider inputs are). */
export function stringMapOf(value: unknown): Record<string, string> {
  const parsed = jsonOf(value);
  if (!isRecord(parsed)) return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

/** The region field of an ARN (`arn:aws:rds:eu-west-1:123:db:x` → `eu-west-1`); empty for global ARNs. */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts[0] === "arn" && parts.length >= 6 ? parts[3] || undefined : undefined;
}

/** An AWS-managed key (`alias/aws/s3`, `arn:...:alias/aws/rds`) is not a customer-managed key. */
export function isAwsManagedKey(key: string): boolean {
  return /(^|[:/])alias\/aws\//.test(key);
}
