import type { PolicyResource } from "@pulumi/policy";
import { isRecord, jsonOf, stringOf, stringMapOf } from "./values.js";

/**
 * The values other resources use to point at `resource`: its id and ARN from the state, plus the
 * name properties given (a bucket setting names its bucket by `bucket`, an RDS replica its source
 * by ARN or identifier).
 */
export function identifiersOf(resource: PolicyResource, ...nameProperties: string[]): Set<string> {
  const ids = new Set<string>();
  for (const key of ["id", "arn", ...nameProperties]) {
    const value = stringOf(resource.props[key]);
    if (value !== undefined) ids.add(value);
  }
  return ids;
}

/**
 * True when `pointer` refers to `target` through `property`: its value is one of the target's
 * identifiers, or (in a state file, where dependencies are recorded) the property depends on the
 * target. The second way still works when a name was unknown at plan time.
 */
export function refersTo(pointer: PolicyResource, property: string, target: PolicyResource, ids: ReadonlySet<string>): boolean {
  const value: unknown = pointer.props[property];
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.some((item) => typeof item === "string" && ids.has(item))) return true;
  return (pointer.propertyDependencies[property] ?? []).some((dependency) => dependency.urn === target.urn);
}

/**
 * The region a resource lives in: its own v7 `region` property, else the region of its provider
 * (the provider's inputs, as the engine passes them to the analyzer).
 */
export function regionOf(resource: PolicyResource): string | undefined {
  return stringOf(resource.props.region) ?? stringOf(resource.provider?.props.region);
}

/** A resource's tags with the provider's default tags beneath, as AWS applies them. */
export function effectiveTags(resource: PolicyResource): Record<string, string> | undefined {
  const { props } = resource;
  if (typeof props.tagsAll === "object" && props.tagsAll !== null) return stringMapOf(props.tagsAll);
  if (typeof props.tags !== "object" || props.tags === null || Array.isArray(props.tags)) return undefined;
  // Provider inputs hold `defaultTags` as JSON text: `{"tags":{...}}`.
  const defaultTags = jsonOf(resource.provider?.props.defaultTags);
  const defaults = isRecord(defaultTags) ? stringMapOf(defaultTags.tags) : {};
  return { ...defaults, ...stringMapOf(props.tags) };
}
