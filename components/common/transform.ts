import * as pulumi from "@pulumi/pulumi";

/**
 * How a user changes a child resource a component creates, without forking the component.
 *
 * - An object is merged over the component's args: plain objects key by key, anything else
 *   (arrays, Outputs, resources) replaced whole.
 * - A function receives the args, the resource options and the child's name. It edits args and
 *   options in place and may return a new name for the child.
 *
 * Renaming a deployed child replaces it: Pulumi sees a new URN. (Resource-option `transforms`
 * throw under Pulumi's mocks in the current SDK, so components apply these themselves.)
 *
 * @example
 * ```ts
 * new Database("prod", {
 *   ...args,
 *   transforms: {
 *     instance: { performanceInsightsRetentionPeriod: 731 },
 *     parameterGroup: (args, opts) => { opts.protect = true; },
 *   },
 * });
 * ```
 */
// A function that only edits args and options returns nothing, hence `void` beside the new name.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type Transform<T> = TransformArgs<T> | ((args: T, opts: pulumi.CustomResourceOptions, name: string) => string | void);

/**
 * The object form: any key at any depth of plain objects may be left out, so
 * `{ defaultCacheBehavior: { compress: false } }` changes one setting and keeps the others.
 */
export type TransformArgs<T> = { [K in keyof T]?: T[K] | NestedTransformArgs<Settled<T[K]>> };
type Settled<V> = V extends pulumi.Output<infer U> ? U : V extends Promise<infer U> ? U : V;
type NestedTransformArgs<U> = U extends readonly unknown[] ? never : U extends object ? TransformArgs<U> : never;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function merged(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? merged(current, value) : value;
  }
  return result;
}

/**
 * The name, args and options to create a child with, after the user's transform. Spread it into
 * the constructor: `new aws.s3.Bucket(...transform(transforms?.bucket, name, args, { parent }))`.
 */
export function transform<T extends object>(
  change: Transform<T> | undefined,
  name: string,
  args: T,
  opts: pulumi.CustomResourceOptions = {},
): [string, T, pulumi.CustomResourceOptions] {
  if (change === undefined) return [name, args, opts];
  if (typeof change === "function") {
    const renamed = change(args, opts, name);
    return [typeof renamed === "string" && renamed.length > 0 ? renamed : name, args, opts];
  }
  return [name, merged(args as Record<string, unknown>, change) as T, opts];
}
