import {
  validateResourceOfType,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type StackValidationArgs,
} from "@pulumi/policy";
import type * as pulumi from "@pulumi/pulumi";
import type { ResolvedResource } from "@pulumi/pulumi/queryable/index.js";

/**
 * `T` with every property optional, all the way down. Policies read what a program, a state file
 * or a preview actually holds, and any of those may leave out what the resource's type calls
 * required; typing props this way keeps the @pulumi/aws property names checked while making the
 * policy handle absence.
 */
export type Loose<T> = T extends string | number | boolean
  ? T | undefined
  : T extends null | undefined
    ? undefined
    : T extends readonly (infer E)[]
      ? readonly Loose<E>[] | undefined
      : T extends object
        ? LooseObject<T> | undefined
        : undefined;
export type LooseObject<T> = { readonly [K in keyof T]?: Loose<T[K]> };

/** A resource class of @pulumi/aws, e.g. `aws.s3.Bucket`. */
export type ResourceClass<TResource extends pulumi.Resource = pulumi.Resource, TArgs = unknown> =
  new (name: string, args: TArgs, ...rest: never[]) => TResource;

/** The inputs of `TResource` as a resource validation sees them. */
export type InputsOf<TArgs> = LooseObject<pulumi.Unwrap<NonNullable<TArgs>>>;
/** The state (outputs) of `TResource` as a stack validation sees it. */
export type StateOf<TResource extends pulumi.Resource> = LooseObject<ResolvedResource<TResource>>;

// @pulumi/policy types classes with `...rest: any[]`; these are the same classes, named without `any`.
type LibraryClass<R extends pulumi.Resource, A> = Parameters<typeof validateResourceOfType<R, A>>[0];
type IsTypeClass = Parameters<PolicyResource["isType"]>[0];

/**
 * `validateResourceOfType` from @pulumi/policy (so the analyzer's fast type filter applies), with
 * loosely typed props. Pass several to `validateResource` to cover aliases such as `aws.lb` and
 * `aws.alb`.
 */
export function validateTyped<TResource extends pulumi.Resource, TArgs>(
  resourceClass: ResourceClass<TResource, TArgs>,
  validate: (props: InputsOf<TArgs>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  return validateResourceOfType(resourceClass as LibraryClass<TResource, TArgs>, (props, args, report) => {
    validate(props as InputsOf<TArgs>, args, report);
  });
}

/** A stack resource with its state typed as `TResource`'s. */
export interface Typed<TResource extends pulumi.Resource> {
  readonly resource: PolicyResource;
  readonly props: StateOf<TResource>;
}

/** The resources of any of `classes` (e.g. `aws.s3.Bucket` and its deprecated `BucketV2`). */
export function resourcesOf<TResource extends pulumi.Resource>(
  resources: StackValidationArgs["resources"],
  ...classes: ResourceClass<TResource, never>[]
): Typed<TResource>[] {
  return resources
    .filter((resource) => classes.some((resourceClass) => resource.isType(resourceClass as unknown as IsTypeClass)))
    .map((resource) => ({ resource, props: resource.props as StateOf<TResource> }));
}
