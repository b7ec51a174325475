// Policy pack config resolved as the Pulumi engine resolves it (pkg/resource/analyzer/config.go,
// ReconcilePolicyPackConfig): each policy starts from its schema defaults and its declared
// enforcement level, then the pack's initial config is applied, then each config file in turn;
// the result is validated against each policy's config schema. A config file maps a policy name
// (or "all", for the enforcement level of every policy) to an enforcement level or to an object
// of properties with an optional `enforcementLevel`.
import type { EnforcementLevel, Policy, PolicyPackConfig } from "@pulumi/policy";
import { z } from "zod";
import { isRecord, type Json } from "../lib/values.js";
import { PolicyConfigError } from "./errors.js";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** One policy's entry: what a config file or the initial config says about it. */
export interface PolicyConfigEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties?: Json;
}
export type PackConfigLayer = Readonly<Record<string, PolicyConfigEntry>>;

/** A policy's resolved config: the level it runs at and what `getConfig()` returns. */
export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Json;
}

/** Parses a config file's JSON the way `pulumi --policy-pack-config` does; `source` names it in errors. */
export function parsePackConfig(document: unknown, source: string): PackConfigLayer {
  if (!isRecord(document)) throw new PolicyConfigError(source, ["expected a JSON object mapping policy names to an enforcement level or an object"]);
  const problems: string[] = [];
  const layer: Record<string, PolicyConfigEntry> = {};
  for (const [policy, value] of Object.entries(document)) {
    if (policy === "environments") {
      problems.push("environments: Pulumi ESC environments cannot be resolved offline; put the values in the file");
      continue;
    }
    if (typeof value === "string") {
      if (isEnforcementLevel(value)) layer[policy] = { enforcementLevel: value };
      else problems.push(`${policy}: "${value}" is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
      continue;
    }
    if (!isRecord(value)) {
      problems.push(`${policy}: ${JSON.stringify(value)} is not a valid value; must be a string or object`);
      continue;
    }
    const { enforcementLevel, ...properties } = value;
    if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
      problems.push(`${policy}: enforcementLevel ${JSON.stringify(enforcementLevel)} is not a valid enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`);
      continue;
    }
    layer[policy] = {
      ...(enforcementLevel === undefined ? {} : { enforcementLevel }),
      ...(Object.keys(properties).length > 0 ? { properties } : {}),
    };
  }
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return layer;
}

/** The pack's `initialConfig` (the third argument of `new PolicyPack`) as a layer. */
export function initialConfigLayer(initialConfig: PolicyPackConfig | undefined): PackConfigLayer {
  return parsePackConfig(initialConfig ?? {}, "the policy pack's initial config");
}

function applyLayer(result: Map<string, ResolvedPolicyConfig>, layer: PackConfigLayer): void {
  const all = layer.all?.enforcementLevel;
  if (all !== undefined) {
    for (const [name, config] of result) result.set(name, { ...config, enforcementLevel: all });
  }
  for (const [name, given] of Object.entries(layer)) {
    const current = result.get(name);
    // Entries for policies the pack does not have are kept, as the engine keeps them, but unused.
    if (current === undefined) continue;
    result.set(name, {
      enforcementLevel: given.enforcementLevel ?? current.enforcementLevel,
      properties: { ...current.properties, ...given.properties },
    });
  }
}

function defaultsOf(policy: Policy): Json {
  const properties = policy.configSchema?.properties ?? {};
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([, schema]) => "default" in schema)
      .map(([key, schema]) => [key, structuredClone(schema.default)]),
  );
}

function validate(policy: Policy, properties: Json): string[] {
  const schema = policy.configSchema;
  if (schema === undefined) return [];
  const validator = z.fromJSONSchema({
    type: "object",
    properties: schema.properties as Record<string, z.core.JSONSchema.JSONSchema>,
    ...(schema.required === undefined ? {} : { required: schema.required }),
  });
  const result = validator.safeParse(properties);
  if (result.success) return [];
  return result.error.issues.map((issue) => `${policy.name}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
}

/**
 * Every policy's config: schema defaults, then the declared (or the pack's) enforcement level,
 * then `layers` in order. Throws a PolicyConfigError listing every schema violation.
 */
export function reconcileConfig(
  policies: readonly Policy[],
  packEnforcementLevel: EnforcementLevel,
  layers: readonly PackConfigLayer[],
  source = "the merged policy config (schema defaults, initial config, config files)",
): Map<string, ResolvedPolicyConfig> {
  const result = new Map<string, ResolvedPolicyConfig>();
  for (const policy of policies) {
    result.set(policy.name, { enforcementLevel: policy.enforcementLevel ?? packEnforcementLevel, properties: defaultsOf(policy) });
  }
  for (const layer of layers) applyLayer(result, layer);
  const problems = policies.flatMap((policy) => validate(policy, result.get(policy.name)?.properties ?? {}));
  if (problems.length > 0) throw new PolicyConfigError(source, problems);
  return result;
}
