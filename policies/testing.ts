// Test support for policies: hand-made resources in the shape the engine records them, and a
// table-driven runner that puts every case through the evaluator, as `shopctl policy check` does.
import { describe, expect, it } from "vitest";
import { evaluate, type Finding } from "./evaluator/evaluate.js";
import { parsePackConfig } from "./evaluator/config.js";
import type { EvaluationResource } from "./evaluator/resource.js";
import type { ShopPolicy } from "./lib/define.js";
import type { Json } from "./lib/values.js";

export const TEST_STACK = "test";
const PROJECT = "shop-platform";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:${TEST_STACK}::${PROJECT}::${type}::${name}`;
}

export interface ResourceOptions {
  /** Inputs when they differ from the state (resource policies read inputs, stack policies state). */
  readonly inputs?: Json;
  /** A provider reference made by `provider()`; otherwise the region's default provider. */
  readonly provider?: EvaluationResource;
  readonly region?: string;
  readonly parent?: string;
  readonly propertyDependencies?: Record<string, readonly EvaluationResource[]>;
}

/** Every provider made by `provider()`, so `withProviders` adds the one a resource refers to. */
const knownProviders = new Map<string, EvaluationResource>();

/** An AWS provider resource (its inputs hold the region and default tags, as JSON text). */
export function provider(name: string, region: string, defaultTags?: Record<string, string>): EvaluationResource {
  const inputs: Json = { region, ...(defaultTags === undefined ? {} : { defaultTags: JSON.stringify({ tags: defaultTags }) }) };
  const made: EvaluationResource = { urn: urnOf("pulumi:providers:aws", name), type: "pulumi:providers:aws", name, custom: true, inputs, outputs: inputs };
  knownProviders.set(made.urn, made);
  return made;
}

export function providerRef(providerResource: EvaluationResource): string {
  return `${providerResource.urn}::${providerResource.name}-id`;
}

/** A custom resource whose inputs and state are `props` (unless `options.inputs` says otherwise). */
export function resource(type: string, name: string, props: Json, options: ResourceOptions = {}): EvaluationResource {
  const owner = options.provider ?? provider(`default-${options.region ?? "eu-west-1"}`, options.region ?? "eu-west-1");
  return {
    urn: urnOf(type, name),
    type,
    name,
    custom: true,
    inputs: options.inputs ?? props,
    outputs: props,
    provider: providerRef(owner),
    parent: options.parent,
    propertyDependencies: Object.fromEntries(
      Object.entries(options.propertyDependencies ?? {}).map(([key, targets]) => [key, targets.map((target) => target.urn)]),
    ),
  };
}

/** The providers `resources` refer to, added once each so that regions resolve as in a state file. */
export function withProviders(resources: readonly EvaluationResource[], extra: readonly EvaluationResource[] = []): EvaluationResource[] {
  const stack: EvaluationResource = { urn: urnOf("pulumi:pulumi:Stack", `${PROJECT}-${TEST_STACK}`), type: "pulumi:pulumi:Stack", name: `${PROJECT}-${TEST_STACK}`, custom: false, inputs: {}, outputs: {} };
  const providers = new Map<string, EvaluationResource>(extra.map((item) => [item.urn, item]));
  for (const item of resources) {
    const reference = item.provider;
    if (reference === undefined) continue;
    const urn = reference.slice(0, reference.lastIndexOf("::"));
    if (providers.has(urn) || resources.some((candidate) => candidate.urn === urn)) continue;
    const known = knownProviders.get(urn);
    if (known === undefined) throw new Error(`test resource ${item.urn} refers to provider ${urn}, which provider() never made`);
    providers.set(urn, known);
  }
  return [stack, ...providers.values(), ...resources];
}

/** Runs one policy over `resources` (providers added) with `config` as the config file. */
export async function runPolicy(policy: ShopPolicy, resources: readonly EvaluationResource[], config?: Json): Promise<Finding[]> {
  const evaluation = await evaluate(withProviders(resources), {
    pack: { name: "shop-guardrails", version: "0.0.0-test" },
    policies: [policy],
    configLayers: config === undefined ? [] : [parsePackConfig({ [policy.name]: config }, "test config")],
  });
  // A case whose policy reads a value the case left unknown proves nothing either way.
  if (evaluation.notEvaluated.length > 0) throw new Error(`not evaluated: ${evaluation.notEvaluated.map((entry) => entry.message).join("; ")}`);
  return [...evaluation.findings];
}

export interface PolicyCase {
  readonly label: string;
  readonly resources: () => EvaluationResource[];
  /** The policy's config properties for this case (as a config file would give them). */
  readonly config?: Json;
  /** For violating cases: what the message must say. */
  readonly message?: RegExp;
  /** For violating cases: the resource the violation must land on (default: any). */
  readonly urn?: string;
}

export interface PolicyCases {
  readonly passing: readonly PolicyCase[];
  readonly violating: readonly PolicyCase[];
}

/**
 * One describe block per policy of a service module: each passing case yields no finding; each
 * violating case yields a real (not an unknown-value) finding with the expected message. Fails if
 * a policy of the module lacks either kind of case.
 */
export function describePolicies(policies: readonly ShopPolicy[], cases: Readonly<Record<string, PolicyCases>>): void {
  it("every policy has at least one passing and one violating case", () => {
    expect(Object.keys(cases).sort()).toEqual(policies.map((policy) => policy.name).sort());
    for (const [name, { passing, violating }] of Object.entries(cases)) {
      expect(passing.length, `${name} passing cases`).toBeGreaterThan(0);
      expect(violating.length, `${name} violating cases`).toBeGreaterThan(0);
    }
  });
  for (const policy of policies) {
    const policyCases = cases[policy.name];
    if (policyCases === undefined) continue;
    describe(policy.name, () => {
      for (const testCase of policyCases.passing) {
        it(`passes: ${testCase.label}`, async () => {
          const findings = await runPolicy(policy, testCase.resources(), testCase.config);
          expect(findings.map((finding) => finding.message)).toEqual([]);
        });
      }
      for (const testCase of policyCases.violating) {
        it(`violates: ${testCase.label}`, async () => {
          const findings = await runPolicy(policy, testCase.resources(), testCase.config);
          expect(findings.length, "expected a violation").toBeGreaterThan(0);
          for (const finding of findings) expect(finding.enforcementLevel).toBe(policy.enforcementLevel);
          if (testCase.message !== undefined) expect(findings.map((finding) => finding.message).join("\n")).toMatch(testCase.message);
          if (testCase.urn !== undefined) expect(findings.map((finding) => finding.urn)).toContain(testCase.urn);
        });
      }
    });
  }
}
