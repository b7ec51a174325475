import * as pulumi from "@pulumi/pulumi";

// Property values reach the mock cloud in two encodings:
//  - in `Mocks.newResource`/`call`, already deserialized by the SDK's MockMonitor: secrets are
//    `{ [specialSigKey]: specialSecretSig, value }` wrappers and, during preview, unknowns are the
//    SDK's `unknown` sentinel object;
//  - on the wire (the monitor's request/response structs), where unknowns are a sentinel string
//    and resource references/assets carry their own signatures.
// This module reads both without leaking `any`.

export type Properties = Record<string, unknown>;

export function isRecord(value: unknown): value is Properties {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function signatureOf(value: Properties): unknown {
  return value[pulumi.runtime.specialSigKey];
}

export function isSecretWrapper(value: unknown): value is Properties & { value: unknown } {
  return isRecord(value) && signatureOf(value) === pulumi.runtime.specialSecretSig;
}

/** The plain value behind a secret wrapper (or the value itself). */
export function unwrapSecret(value: unknown): unknown {
  return isSecretWrapper(value) ? unwrapSecret(value.value) : value;
}

/** True for a value the engine does not know yet (preview only). */
export function isUnknownValue(value: unknown): boolean {
  return value === pulumi.runtime.unknownValue || pulumi.isUnknown(value);
}

/**
 * Typed, forgiving access to a resource's or invoke's inputs: each reader returns `undefined`
 * (or an empty list) when the property is absent, unknown, or of another type, and sees through
 * secrets.
 */
export class PropertyReader {
  constructor(readonly values: Properties) {}

  /** The raw value, secrets unwrapped. */
  raw(key: string): unknown {
    return unwrapSecret(this.values[key]);
  }

  /** Present (possibly unknown during preview): the program set this property. */
  has(key: string): boolean {
    const value = this.values[key];
    return value !== undefined && value !== null;
  }

  isUnknown(key: string): boolean {
    return isUnknownValue(this.values[key]);
  }

  string(key: string): string | undefined {
    const value = this.raw(key);
    return typeof value === "string" && value !== pulumi.runtime.unknownValue ? value : undefined;
  }

  number(key: string): number | undefined {
    const value = this.raw(key);
    if (typeof value === "number") return value;
    if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
    return undefined;
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    return undefined;
  }

  strings(key: string): string[] {
    const value = this.raw(key);
    if (!Array.isArray(value)) return [];
    return value.map(unwrapSecret).filter((item): item is string => typeof item === "string");
  }

  record(key: string): PropertyReader | undefined {
    const value = this.raw(key);
    if (isRecord(value)) return new PropertyReader(value);
    // Nested blocks (`vpcOptions`, `viewerCertificate`) sometimes arrive as one-element lists.
    if (Array.isArray(value) && isRecord(value[0])) return new PropertyReader(value[0]);
    return undefined;
  }

  records(key: string): PropertyReader[] {
    const value = this.raw(key);
    if (!Array.isArray(value)) return isRecord(value) ? [new PropertyReader(value)] : [];
    return value.map(unwrapSecret).filter(isRecord).map((item) => new PropertyReader(item));
  }

  stringMap(key: string): Record<string, string> {
    const value = this.raw(key);
    if (!isRecord(value)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      const plain = unwrapSecret(v);
      if (typeof plain === "string") out[k] = plain;
    }
    return out;
  }
}

/** A property value decoded from the wire, with the top-level keys that were secret or unknown. */
export interface DecodedProperties {
  readonly values: Properties;
  readonly secretKeys: string[];
  readonly unknownKeys: string[];
}

/**
 * Decodes a wire struct (`Struct.toJavaScript()`) into plain values: secrets unwrapped, unknowns
 * `undefined`, resource references replaced by their id (or URN), assets by their path/text/uri.
 * Nothing is constructed, so decoding has no side effects on the SDK.
 */
export function decodeWireProperties(wire: Properties): DecodedProperties {
  const values: Properties = {};
  const secretKeys: string[] = [];
  const unknownKeys: string[] = [];
  for (const [key, raw] of Object.entries(wire)) {
    const flags = { secret: false, unknown: false };
    const value = decodeWireValue(raw, flags);
    if (value !== undefined) values[key] = value;
    if (flags.secret) secretKeys.push(key);
    if (flags.unknown) unknownKeys.push(key);
  }
  return { values, secretKeys, unknownKeys };
}

function decodeWireValue(raw: unknown, flags: { secret: boolean; unknown: boolean }): unknown {
  if (raw === pulumi.runtime.unknownValue) {
    flags.unknown = true;
    return undefined;
  }
  if (Array.isArray(raw)) return raw.map((item) => decodeWireValue(item, flags));
  if (!isRecord(raw)) return raw;
  const signature = signatureOf(raw);
  switch (signature) {
    case undefined:
      return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, decodeWireValue(v, flags)]));
    case pulumi.runtime.specialSecretSig:
      flags.secret = true;
      return decodeWireValue(raw.value, flags);
    case pulumi.runtime.specialOutputValueSig:
      if (raw.secret === true) flags.secret = true;
      if (!("value" in raw)) {
        flags.unknown = true;
        return undefined;
      }
      return decodeWireValue(raw.value, flags);
    case pulumi.runtime.specialResourceSig: {
      const id = raw.id;
      return typeof id === "string" && id !== "" ? id : raw.urn;
    }
    default: {
      // Assets and archives: keep their describing fields, drop the signature.
      const { [pulumi.runtime.specialSigKey]: _signature, ...rest } = raw;
      return rest;
    }
  }
}
