// Runs a policy array over resources the way the Pulumi engine and @pulumi/policy's analyzer do
// (pkg/resource/deploy/analyze_snapshot.go; @pulumi/policy server.js), without the Pulumi CLI:
//  - every resource gets each resource policy with its inputs; the stack gets each stack policy
//    once, with every resource's state (outputs), parents and dependencies linked;
//  - each call sees fresh props behind @pulumi/policy's own unknown-checking proxy: reading an
//    unknown value ends that validation, which is then "not evaluated" (the engine prints it as an
//    advisory "can't run during preview"; it is no verdict on the resource, so not a finding);
//  - `isType`/`asType` compare Pulumi type tokens; `notApplicable()` ends a validation silently;
//  - a policy's level comes from the reconciled config; "disabled" skips it, "remediate" reports
//    as mandatory; a stack violation that names no resource of the stack lands on the root stack.
import type {
  EnforcementLevel,
  Policy,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Json } from "../lib/values.js";
import { initialConfigLayer, reconcileConfig, type PackConfigLayer, type ResolvedPolicyConfig } from "./config.js";
import { PolicyRuntimeError } from "./errors.js";
import { nameFromUrn, providerUrnOf, ROOT_STACK_TYPE, type EvaluationResource } from "./resource.js";
import { unknownCheckingProxy, UnknownValueError, unknownPath, type UnknownValueErrorInstance } from "./unknowns.js";

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface EvaluateOptions {
  readonly pack: { readonly name: string; readonly version: string };
  readonly policies: readonly AnyPolicy[];
  /** The level of policies that declare none. @default "advisory" (as `new PolicyPack`) */
  readonly packEnforcementLevel?: EnforcementLevel;
  /** The third argument of `new PolicyPack(...)`. */
  readonly initialConfig?: PolicyPackConfig;
  /** Config files, applied in order after the initial config (see config.ts). */
  readonly configLayers?: readonly PackConfigLayer[];
  readonly stackTags?: ReadonlyMap<string, string>;
}

/** Which policy judged which resource: what a violation and a check left open both name. */
export interface PolicySubject {
  readonly policy: string;
  /** The level it was (or would have been) reported at: "remediate" reports as mandatory. */
  readonly enforcementLevel: "mandatory" | "advisory";
  readonly severity: Severity | undefined;
  readonly urn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly scope: "resource" | "stack";
}

/** One violation, as the CLI would print it. */
export interface Finding extends PolicySubject {
  readonly message: string;
}

/**
 * A policy that could not judge a resource: it read a value unknown until the update (a preview's
 * computed id or ARN). Neither a pass nor a violation.
 */
export interface NotEvaluated extends PolicySubject {
  // `urn`: for a stack policy, the one resource with the unknown value there, else the root stack.
  /** The unknown property's path in the props the policy read (`.kmsKeyId`). */
  readonly property: string;
  /** What the engine prints for it: "can't run policy ... during preview: ...". */
  readonly message: string;
}

export interface PolicyOutcome {
  readonly name: string;
  readonly description: string;
  readonly severity: Severity | undefined;
  readonly enforcementLevel: EnforcementLevel;
  readonly kind: "resource" | "stack";
  /** Resource types a resource policy ran on (it did not call notApplicable). */
  readonly evaluatedTypes: readonly string[];
  /** Whether a stack policy ran to the end (false when not applicable or disabled). */
  readonly evaluatedStack: boolean;
  /** Distinct reasons the policy gave for not applying. */
  readonly notApplicable: readonly string[];
}

export interface Evaluation {
  readonly findings: readonly Finding[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly policies: readonly PolicyOutcome[];
  readonly resourceCount: number;
  readonly rootStackUrn: string;
}

class NotApplicableError extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "not applicable");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

function attachedType(value: unknown): string | undefined {
  const type = (value as { __pulumiType?: unknown } | null | undefined)?.__pulumiType;
  return typeof type === "string" && type.length > 0 ? type : undefined;
}

/** @pulumi/policy's isTypeOf: the class's `__pulumiType`, else its `isInstance`. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = attachedType(resourceClass);
  if (pulumiType !== undefined) return type === pulumiType;
  const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
  return typeof isInstance === "function" && (isInstance as (value: unknown) => unknown)({ __pulumiType: type }) === true;
}

function isResourcePolicy(policy: AnyPolicy): policy is ResourceValidationPolicy {
  const validation = (policy as ResourceValidationPolicy).validateResource;
  if (typeof validation === "function") return true;
  return Array.isArray(validation) && validation.every((item) => typeof item === "function");
}

function isStackPolicy(policy: AnyPolicy): policy is StackValidationPolicy {
  return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/** Fresh, proxied props for one call, as the analyzer deserializes them per validation. */
function freshProps(values: Json): Json {
  return unknownCheckingProxy(structuredClone(values));
}

function optionsOf(resource: EvaluationResource): PolicyResourceOptions {
  return {
    protect: resource.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(resource.parent === undefined ? {} : { parent: resource.parent }),
  };
}

function rootStackUrnOf(resources: readonly EvaluationResource[]): string {
  const root = resources.find((resource) => resource.type === ROOT_STACK_TYPE && resource.parent === undefined);
  if (root !== undefined) return root.urn;
  const sample = resources[0]?.urn.split("::") ?? [];
  const stack = sample[0]?.replace(/^urn:pulumi:/, "") ?? "stack";
  const project = sample[1] ?? "project";
  return `urn:pulumi:${stack}::${project}::${ROOT_STACK_TYPE}::${project}-${stack}`;
}

interface Tally {
  readonly types: Set<string>;
  readonly reasons: Set<string>;
  ranStack: boolean;
}

/**
 * Evaluates `options.policies` over `resources`. Throws a PolicyConfigError for config the engine
 * would refuse and a PolicyRuntimeError when a policy throws anything else.
 */
export async function evaluate(resources: readonly EvaluationResource[], options: EvaluateOptions): Promise<Evaluation> {
  const packLevel = options.packEnforcementLevel ?? "advisory";
  const configs = reconcileConfig(options.policies, packLevel, [initialConfigLayer(options.initialConfig), ...(options.configLayers ?? [])]);
  const stackTags = options.stackTags ?? new Map<string, string>();
  const rootStackUrn = rootStackUrnOf(resources);
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const findings: Finding[] = [];
  const notEvaluated: NotEvaluated[] = [];
  const tallies = new Map<string, Tally>(options.policies.map((policy) => [policy.name, { types: new Set(), reasons: new Set(), ranStack: false }]));
  const tally = (policy: string): Tally => tallies.get(policy) ?? { types: new Set(), reasons: new Set(), ranStack: false };

  const providerOf = (resource: EvaluationResource): PolicyProviderResource | undefined => {
    if (resource.provider === undefined) return undefined;
    const provider = byUrn.get(providerUrnOf(resource.provider));
    if (provider === undefined) return undefined;
    return { type: provider.type, urn: provider.urn, name: provider.name, props: freshProps(provider.inputs) };
  };
  const configOf = (policy: Policy): ResolvedPolicyConfig => configs.get(policy.name) ?? { enforcementLevel: packLevel, properties: {} };
  const reportedLevel = (level: EnforcementLevel): "mandatory" | "advisory" => (level === "advisory" ? "advisory" : "mandatory");
  const unknownRead = (policy: Policy, level: EnforcementLevel, target: { urn: string; type: string; name: string }, scope: NotEvaluated["scope"], error: UnknownValueErrorInstance): NotEvaluated => ({
    policy: policy.name,
    enforcementLevel: reportedLevel(level),
    severity: policy.severity,
    urn: target.urn,
    resourceType: target.type,
    resourceName: target.name,
    scope,
    property: unknownPath(error),
    message: `can't run policy '${policy.name}' from policy pack '${options.pack.name}@v${options.pack.version}' during preview: ${error.message}`,
  });

  for (const resource of resources) {
    for (const policy of options.policies) {
      const config = configOf(policy);
      if (config.enforcementLevel === "disabled" || !isResourcePolicy(policy) || policy.validateResource === undefined) continue;
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      const fastType = validations.length === 1 ? attachedType(validations[0]) : undefined;
      if (fastType !== undefined && fastType !== resource.type) {
        tally(policy.name).reasons.add(`Policy only applies to resources of type '${fastType}'`);
        continue;
      }
      const report: ReportViolation = (message) => {
        findings.push({
          policy: policy.name,
          enforcementLevel: reportedLevel(config.enforcementLevel),
          severity: policy.severity,
          urn: resource.urn,
          resourceType: resource.type,
          resourceName: resource.name,
          message: message === "" ? policy.description : message,
          scope: "resource",
        });
      };
      for (const validation of validations) {
        const props = freshProps(resource.inputs);
        const provider = providerOf(resource);
        const args: ResourceValidationArgs = {
          type: resource.type,
          props,
          urn: resource.urn,
          name: resource.name,
          opts: optionsOf(resource),
          stackTags,
          isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
          asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
          getConfig: (() => structuredClone(config.properties)) as ResourceValidationArgs["getConfig"],
          notApplicable: throwNotApplicable,
          ...(provider === undefined ? {} : { provider }),
        };
        try {
          await validation(args, report);
          tally(policy.name).types.add(resource.type);
        } catch (error) {
          if (error instanceof UnknownValueError) notEvaluated.push(unknownRead(policy, config.enforcementLevel, resource, "resource", error));
          else if (error instanceof NotApplicableError) tally(policy.name).reasons.add(error.reason ?? "not applicable");
          else throw new PolicyRuntimeError(policy.name, resource.urn, error);
        }
      }
    }
  }

  for (const policy of options.policies) {
    const config = configOf(policy);
    if (config.enforcementLevel === "disabled" || !isStackPolicy(policy)) continue;
    const fastType = attachedType(policy.validateStack);
    if (fastType !== undefined && !resources.some((resource) => resource.type === fastType)) {
      tally(policy.name).reasons.add(`Policy only applies to resources of type '${fastType}'`);
      continue;
    }
    const policyResources = linkStackResources(resources, providerOf);
    const root = byUrn.get(rootStackUrn);
    const report: ReportViolation = (message, urn) => {
      const target = urn !== undefined && byUrn.has(urn) ? byUrn.get(urn) : undefined;
      findings.push({
        policy: policy.name,
        enforcementLevel: reportedLevel(config.enforcementLevel),
        severity: policy.severity,
        urn: target?.urn ?? rootStackUrn,
        resourceType: target?.type ?? ROOT_STACK_TYPE,
        resourceName: target?.name ?? root?.name ?? nameFromUrn(rootStackUrn),
        message: message === "" ? policy.description : message,
        scope: "stack",
      });
    };
    const args: StackValidationArgs = {
      resources: policyResources,
      stackTags,
      getConfig: (() => structuredClone(config.properties)) as StackValidationArgs["getConfig"],
      notApplicable: throwNotApplicable,
    };
    try {
      await policy.validateStack(args, report);
      tally(policy.name).ranStack = true;
    } catch (error) {
      if (error instanceof UnknownValueError) {
        // The path is relative to one resource's props: name that resource when only one has an
        // unknown value there, else the root stack (as the engine does).
        const holders = resources.filter((resource) => readsUnknown(resource.outputs, error.props));
        const [holder] = holders;
        const target = holders.length === 1 && holder !== undefined ? holder : { urn: rootStackUrn, type: ROOT_STACK_TYPE, name: root?.name ?? nameFromUrn(rootStackUrn) };
        notEvaluated.push(unknownRead(policy, config.enforcementLevel, target, "stack", error));
      } else if (error instanceof NotApplicableError) tally(policy.name).reasons.add(error.reason ?? "not applicable");
      else throw new PolicyRuntimeError(policy.name, undefined, error);
    }
  }

  return {
    findings,
    notEvaluated,
    resourceCount: resources.length,
    rootStackUrn,
    policies: options.policies.map((policy) => {
      const counted = tally(policy.name);
      return {
        name: policy.name,
        description: policy.description,
        severity: policy.severity,
        enforcementLevel: configOf(policy).enforcementLevel,
        kind: isStackPolicy(policy) ? "stack" : "resource",
        evaluatedTypes: [...counted.types].sort(),
        evaluatedStack: counted.ranStack,
        notApplicable: [...counted.reasons],
      };
    }),
  };
}

/** Whether reading `path` in `values` hits an unknown value (asked of the very proxy the policies read through). */
function readsUnknown(values: Json, path: readonly PropertyKey[]): boolean {
  let value: unknown = unknownCheckingProxy(values);
  try {
    for (const key of path) {
      if (typeof value !== "object" || value === null) return false;
      value = (value as Record<PropertyKey, unknown>)[key];
    }
    return false;
  } catch (error) {
    if (error instanceof UnknownValueError) return true;
    throw error;
  }
}

/** Stack resources with state props, parents and dependencies linked as the analyzer links them. */
function linkStackResources(
  resources: readonly EvaluationResource[],
  providerOf: (resource: EvaluationResource) => PolicyProviderResource | undefined,
): PolicyResource[] {
  const linked = resources.map((resource) => {
    const props = freshProps(resource.outputs);
    const provider = providerOf(resource);
    const policyResource: PolicyResource = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: optionsOf(resource),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(resource.type, resourceClass),
      asType: ((resourceClass: unknown) => (isTypeOf(resource.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
      ...(provider === undefined ? {} : { provider }),
    };
    return policyResource;
  });
  const byUrn = new Map(linked.map((resource) => [resource.urn, resource]));
  const lookup = (urns: readonly string[] | undefined): PolicyResource[] =>
    (urns ?? []).map((urn) => byUrn.get(urn)).filter((resource): resource is PolicyResource => resource !== undefined);
  resources.forEach((resource, index) => {
    const policyResource = linked[index];
    if (policyResource === undefined) return;
    const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
    if (parent !== undefined) policyResource.parent = parent;
    policyResource.dependencies = lookup(resource.dependencies);
    policyResource.propertyDependencies = Object.fromEntries(
      Object.entries(resource.propertyDependencies ?? {}).map(([property, urns]) => [property, lookup(urns)]),
    );
  });
  return linked;
}
