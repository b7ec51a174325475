// Where resources come from: a `pulumi stack export` file, a `pulumi preview --json` document, or
// the program run under the mock cloud. Each becomes EvaluationResource values, with property
// values decoded as the engine decodes them for the analyzer.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { isRecord, type Json } from "../lib/values.js";
import { ResourceSourceError } from "./errors.js";
import { nameFromUrn, UNKNOWN, type EvaluationResource } from "./resource.js";

/** What `pulumi policy analyze --file` analyses an undecryptable secret as. */
export const REDACTED_SECRET = "[secret]";

function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (!isRecord(value)) return value;
  const signature = value[pulumi.runtime.specialSigKey];
  switch (signature) {
    case undefined:
      return decodeProperties(value);
    case pulumi.runtime.specialSecretSig:
      if (typeof value.plaintext === "string") return decodeValue(JSON.parse(value.plaintext) as unknown);
      if ("value" in value) return decodeValue(value.value);
      return REDACTED_SECRET;
    case pulumi.runtime.specialResourceSig:
      return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
    case pulumi.runtime.specialAssetSig:
    case pulumi.runtime.specialArchiveSig: {
      const { [pulumi.runtime.specialSigKey]: _signature, ...rest } = value;
      return decodeProperties(rest);
    }
    default:
      // Byte strings and non-finite floats keep their encoded value.
      return "value" in value ? value.value : value;
  }
}

/** Property values as the analyzer receives them: secrets unwrapped, references as ids, null kept. */
export function decodeProperties(values: unknown): Json {
  if (!isRecord(values)) return {};
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined).map(([key, value]) => [key, decodeValue(value)]));
}

const stateSchema = z.looseObject({
  urn: z.string().min(1).startsWith("urn:pulumi:", { error: "a Pulumi URN (urn:pulumi:...)" }),
  type: z.string().min(1),
  custom: z.boolean().optional(),
  delete: z.boolean().optional(),
  id: z.string().optional(),
  inputs: z.record(z.string(), z.unknown()).optional(),
  outputs: z.record(z.string(), z.unknown()).optional(),
  parent: z.string().optional(),
  provider: z.string().optional(),
  protect: z.boolean().optional(),
  dependencies: z.array(z.string()).optional(),
  propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
});
type State = z.infer<typeof stateSchema>;

const exportSchema = z.looseObject({
  version: z.literal(3, { error: "version 3 (the format `pulumi stack export` writes)" }),
  deployment: z.looseObject({ resources: z.array(stateSchema).optional() }, { error: "a deployment object" }),
});

const previewSchema = z.looseObject({
  steps: z.array(z.looseObject({ op: z.string(), urn: z.string(), newState: stateSchema.optional() })),
});

function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(document)"}: ${issue.message}`);
}

function fromState(state: State, useInputsAsOutputs: boolean): EvaluationResource {
  const inputs = decodeProperties(state.inputs);
  const outputs = decodeProperties(state.outputs);
  return {
    urn: state.urn,
    type: state.type,
    name: nameFromUrn(state.urn),
    custom: state.custom ?? false,
    inputs,
    // A preview's planned state may carry no outputs yet: the engine then analyses the inputs.
    outputs: useInputsAsOutputs && Object.keys(outputs).length === 0 ? inputs : outputs,
    parent: state.parent,
    provider: state.provider,
    dependencies: state.dependencies,
    propertyDependencies: state.propertyDependencies,
    protect: state.protect,
  };
}

/** Resources of a `pulumi stack export` document (pending deletions are left out, as the engine does). */
export function fromStackExport(document: unknown, source: string): EvaluationResource[] {
  if (isRecord(document) && Array.isArray(document.steps)) {
    throw new ResourceSourceError(source, ["this is a `pulumi preview --json` document, not a stack export: pass it with --from-preview"]);
  }
  const parsed = exportSchema.safeParse(document);
  if (!parsed.success) throw new ResourceSourceError(source, ["not a `pulumi stack export` document:", ...problemsOf(parsed.error)]);
  return (parsed.data.deployment.resources ?? []).filter((state) => state.delete !== true).map((state) => fromState(state, false));
}

const DELETING_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace", "read-discard"]);

/** Resources a `pulumi preview --json` document plans to have: each URN's last new state. */
export function fromPreviewJson(document: unknown, source: string): EvaluationResource[] {
  if (isRecord(document) && isRecord(document.deployment)) {
    throw new ResourceSourceError(source, ["this is a `pulumi stack export` document, not a preview: pass it with --from-export"]);
  }
  const parsed = previewSchema.safeParse(document);
  if (!parsed.success) throw new ResourceSourceError(source, ["not a `pulumi preview --json` document:", ...problemsOf(parsed.error)]);
  const planned = new Map<string, EvaluationResource>();
  for (const step of parsed.data.steps) {
    if (DELETING_OPS.has(step.op) || step.newState === undefined) continue;
    planned.set(step.newState.urn, fromState(step.newState, true));
  }
  return [...planned.values()];
}

/** The slice of the mock cloud's CollectedResource (local-cloud) this module reads. */
export interface CollectedLike {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent: string | undefined;
  readonly provider: string | undefined;
  readonly custom: boolean;
  readonly id: string | undefined;
  readonly inputs: Json;
  readonly outputs: Json;
  readonly unknownProperties?: readonly string[];
}

const PROVIDER_PREFIX = "pulumi:providers:";

/**
 * Resources of a program run under the mock cloud. Resources without an explicit provider get the
 * stack's default provider (as the engine registers one, `default`, with the stack's region), so
 * a policy reads their region the way it does in a real state file. State gains the `id` the
 * engine keeps in outputs; values a preview could not know become the unknown marker.
 */
export function fromCollected(resources: readonly CollectedLike[], options: { readonly defaultRegion: string }): EvaluationResource[] {
  const result: EvaluationResource[] = [];
  const defaults = new Map<string, string>();
  const defaultProvider = (resource: CollectedLike): string => {
    const pkg = resource.type.split(":")[0] ?? "aws";
    const stackPrefix = resource.urn.split("::").slice(0, 2).join("::");
    const urn = `${stackPrefix}::${PROVIDER_PREFIX}${pkg}::default`;
    if (!defaults.has(urn)) {
      defaults.set(urn, `${urn}::default`);
      result.push({ urn, type: `${PROVIDER_PREFIX}${pkg}`, name: "default", custom: true, inputs: { region: options.defaultRegion }, outputs: { region: options.defaultRegion } });
    }
    return defaults.get(urn) ?? `${urn}::default`;
  };
  for (const resource of resources) {
    const needsDefault = resource.custom && resource.provider === undefined && !resource.type.startsWith(PROVIDER_PREFIX) && !resource.type.startsWith("pulumi:");
    const outputs: Json = { ...resource.outputs };
    if (resource.custom && resource.id !== undefined && outputs.id === undefined) outputs.id = resource.id;
    for (const key of resource.unknownProperties ?? []) {
      if (outputs[key] === undefined) outputs[key] = UNKNOWN;
    }
    result.push({
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      custom: resource.custom,
      inputs: { ...resource.inputs },
      outputs,
      parent: resource.parent,
      provider: needsDefault ? defaultProvider(resource) : resource.provider,
    });
  }
  return result;
}
