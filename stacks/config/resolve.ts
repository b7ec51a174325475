import { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import { ConfigError, MISSING, type ConfigIssue } from "./errors.js";
import { deepMerge, getPath } from "./merge.js";
import { crossFieldIssues } from "./rules.js";
import { STACK_CONFIG_KEYS, TIERS, stackConfigSchema, type StackConfig, type Tier } from "./schema.js";
import { TIER_DEFAULTS } from "./tier-defaults.js";

export const CONFIG_NAMESPACE = "shop";
/** Pulumi files bare keys under the project's name; ours all live under `shop:`. */
const PROJECT_NAMESPACE = "shop-platform";

/**
 * Validate a stack's config, given as namespaced keys exactly as they appear under `config:` in
 * `Pulumi.<stack>.yaml` (`shop:tier`, `shop:network`, `aws:region`, ...), and fill tier defaults.
 * Throws a ConfigError listing every bad key; returns a fully resolved config otherwise.
 */
export function resolveStackConfig(namespaced: Record<string, unknown>, source = "stack config"): StackConfig {
  const issues: ConfigIssue[] = [];
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(namespaced)) {
    const [namespace, name] = splitKey(key);
    if (namespace === CONFIG_NAMESPACE) raw[name] = value;
    else if (namespace === PROJECT_NAMESPACE) issues.push(unknownKey(key, value, STACK_CONFIG_KEYS, name, `${CONFIG_NAMESPACE}:`));
  }
  const awsRegion = namespaced["aws:region"];
  if (awsRegion !== undefined && raw.primaryRegion !== undefined && awsRegion !== raw.primaryRegion) {
    issues.push({ path: "aws:region", found: awsRegion, expected: `the same region as shop:primaryRegion (${JSON.stringify(raw.primaryRegion)}), or no aws:region at all` });
  }

  const tier = (TIERS as readonly unknown[]).includes(raw.tier) ? (raw.tier as Tier) : undefined;
  // With a bad tier, check the rest against the strictest defaults so every other problem still shows.
  const merged = deepMerge(TIER_DEFAULTS[tier ?? "prod"], raw);
  const result = stackConfigSchema.safeParse(merged, { reportInput: true });
  if (!result.success) issues.push(...result.error.issues.flatMap((issue) => toConfigIssues(issue, merged)));
  issues.push(...crossFieldIssues(merged, raw, tier));

  if (issues.length > 0 || !result.success) {
    const sorted = dedupe(issues).sort((a, b) => a.path.localeCompare(b.path));
    throw new ConfigError(source, sorted);
  }
  return result.data;
}

/** Pulumi hands config to a program as strings; objects, lists, numbers and booleans as JSON. */
export function fromPulumiConfigMap(config: Record<string, string>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) values[key] = parseConfigValue(value);
  return values;
}

/** The inverse of fromPulumiConfigMap: what the engine would pass for a stack file's values. */
export function toPulumiConfigMap(values: Record<string, unknown>): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return config;
}

function parseConfigValue(value: string): unknown {
  if (!/^\s*[[{"\d-]|^(true|false|null)$/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function splitKey(key: string): [string, string] {
  const colon = key.indexOf(":");
  return colon < 0 ? [PROJECT_NAMESPACE, key] : [key.slice(0, colon), key.slice(colon + 1)];
}

function unknownKey(path: string, found: unknown, candidates: readonly string[], name: string, prefix: string): ConfigIssue {
  const suggestion = didYouMean(name, candidates);
  const known = `known keys here: ${candidates.join(", ")}`;
  return {
    path,
    found,
    expected: suggestion ? `no such key; did you mean ${prefix}${suggestion}?` : `no such key (${known})`,
  };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = `${CONFIG_NAMESPACE}:`;
  path.forEach((step, index) => {
    if (typeof step === "number") out += `[${step}]`;
    else out += index === 0 ? String(step) : `.${String(step)}`;
  });
  return out;
}

function toConfigIssues(issue: z.core.$ZodIssue, merged: Record<string, unknown>): ConfigIssue[] {
  if (issue.code === "unrecognized_keys") {
    const candidates = keysOfSchemaAt(issue.path);
    const parent = issue.path.length === 0 ? `${CONFIG_NAMESPACE}:` : `${formatPath(issue.path)}.`;
    return issue.keys.map((key) =>
      unknownKey(formatPath([...issue.path, key]), getPath(merged, [...issue.path, key] as (string | number)[]), candidates, key, parent));
  }
  const path = issue.path as (string | number)[];
  const found = getPath(merged, path);
  let expected = issue.message;
  if (issue.code === "invalid_value" && typeof found === "string") {
    const suggestion = didYouMean(found, issue.values.filter((value): value is string => typeof value === "string"));
    if (suggestion !== undefined) expected += ` (did you mean ${suggestion}?)`;
  }
  return [{ path: formatPath(path), found: found === undefined ? MISSING : found, expected }];
}

/** The keys an object schema accepts at a path, for did-you-mean suggestions. */
function keysOfSchemaAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = stackConfigSchema;
  for (const step of path) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap();
    if (!(schema instanceof z.ZodObject)) return [];
    const next = (schema.shape as Record<string, z.core.$ZodType | undefined>)[String(step)];
    if (next === undefined) return [];
    schema = next;
  }
  while (schema instanceof z.ZodOptional) schema = schema.unwrap();
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path}\u0000${issue.expected}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

