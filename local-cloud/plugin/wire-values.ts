import * as pulumi from "@pulumi/pulumi";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { isRecord, type Properties, unwrapSecret } from "../property-values.js";

// The engine sends property values as protobuf Structs in which secrets, resource references,
// output values and assets are objects carrying a signature key. The plugin accepts all of them
// (as the SDK's own provider server does) and turns each struct, on the way in, into the shape the
// mock cloud reads under mocks: secrets stay `{ [sig]: secretSig, value }` wrappers (so they stay
// secret in the outputs), unknowns stay the unknown sentinel, a resource reference becomes its id
// (its URN for a component), an output value becomes its value.

const { Struct } = structPb;
type Struct = structPb.Struct;
type JavaScriptValue = structPb.JavaScriptValue;

const SIG = pulumi.runtime.specialSigKey;

function secretWrapper(value: unknown): Properties {
  return { [SIG]: pulumi.runtime.specialSecretSig, value };
}

export function normalizeWireValue(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(normalizeWireValue);
  if (!isRecord(raw)) return raw;
  switch (raw[SIG]) {
    case undefined:
      return Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, normalizeWireValue(value)]));
    case pulumi.runtime.specialSecretSig:
      return secretWrapper(normalizeWireValue(raw.value));
    case pulumi.runtime.specialResourceSig: {
      const id = raw.id;
      // A custom resource's reference carries its id (unknown while a preview plans its create).
      return typeof id === "string" && id !== "" ? id : raw.urn;
    }
    case pulumi.runtime.specialOutputValueSig: {
      const value = "value" in raw ? normalizeWireValue(raw.value) : pulumi.runtime.unknownValue;
      return raw.secret === true ? secretWrapper(value) : value;
    }
    default:
      // Assets and archives: kept as they came.
      return raw;
  }
}

/** A request's struct as plain properties (see above); an absent struct is empty. */
export function fromWire(struct: Struct | undefined): Properties {
  if (struct === undefined) return {};
  const normalized = normalizeWireValue(struct.toJavaScript());
  return isRecord(normalized) ? normalized : {};
}

function toJavaScriptValue(value: unknown): JavaScriptValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(toJavaScriptValue);
  if (isRecord(value)) return toJavaScriptObject(value);
  throw new Error(`cannot send a ${typeof value} to the engine: property values are JSON-like.`);
}

function toJavaScriptObject(values: Properties): Record<string, JavaScriptValue> {
  const out: Record<string, JavaScriptValue> = {};
  // An undefined property is absent, not null: null would read as "set to null" to the engine.
  for (const [key, value] of Object.entries(values)) if (value !== undefined) out[key] = toJavaScriptValue(value);
  return out;
}

export function toWire(values: Properties): Struct {
  return Struct.fromJavaScript(toJavaScriptObject(values));
}

/** The value with every secret wrapper removed, for comparisons. */
export function withoutSecrets(value: unknown): unknown {
  const plain = unwrapSecret(value);
  if (Array.isArray(plain)) return plain.map(withoutSecrets);
  if (isRecord(plain)) return Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, withoutSecrets(item)]));
  return plain;
}
