import * as aws from "@pulumi/aws";
import { validateResourceOfType, validateStackResourcesOfType, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { parsePackConfig } from "./config.js";
import { PolicyRuntimeError } from "./errors.js";
import { evaluate, type AnyPolicy } from "./evaluate.js";
import { UNKNOWN, type EvaluationResource } from "./resource.js";

const STACK = "urn:pulumi:qa::shop-platform::pulumi:pulumi:Stack::shop-platform-qa";
const PROVIDER = "urn:pulumi:qa::shop-platform::pulumi:providers:aws::primary";
const pack = { name: "shop-guardrails", version: "1.2.3" };

function res(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<EvaluationResource> = {}): EvaluationResource {
  return { urn: `urn:pulumi:qa::shop-platform::${type}::${name}`, type, name, custom: true, inputs, outputs: inputs, parent: STACK, provider: `${PROVIDER}::id-1`, ...extra };
}

const stack: EvaluationResource = { urn: STACK, type: "pulumi:pulumi:Stack", name: "shop-platform-qa", custom: false, inputs: {}, outputs: {} };
const primary: EvaluationResource = { urn: PROVIDER, type: "pulumi:providers:aws", name: "primary", custom: true, inputs: { region: "eu-west-1" }, outputs: {} };
const bucket = res("aws:s3/bucket:Bucket", "assets", { bucket: "assets", forceDestroy: true });

const run = (resources: EvaluationResource[], policies: AnyPolicy[], config?: Record<string, unknown>) =>
  evaluate([stack, primary, ...resources], { pack, policies, configLayers: config === undefined ? [] : [parsePackConfig(config, "test")] });

describe("the offline evaluator mirrors the analyzer", () => {
  it("runs validateResourceOfType policies on matching types only and records where they ran", async () => {
    const policy: ResourceValidationPolicy = {
      name: "no-force-destroy",
      description: "no force-destroyable buckets",
      enforcementLevel: "mandatory",
      severity: "high",
      validateResource: validateResourceOfType(aws.s3.Bucket, (props, _args, report) => {
        if (props.forceDestroy === true) report(`bucket ${String(props.bucket)} can be force-destroyed`);
      }),
    };
    const evaluation = await run([bucket, res("aws:sns/topic:Topic", "alarms", {})], [policy]);
    expect(evaluation.findings).toEqual([{
      policy: "no-force-destroy", enforcementLevel: "mandatory", severity: "high", urn: bucket.urn, resourceType: bucket.type,
      resourceName: "assets", message: "bucket assets can be force-destroyed", scope: "resource",
    }]);
    expect(evaluation.policies[0]).toMatchObject({ evaluatedTypes: ["aws:s3/bucket:Bucket"], notApplicable: ["Policy only applies to resources of type 'aws:s3/bucket:Bucket'"] });
  });

  it("gives resource policies isType/asType, the provider's inputs and the policy's config", async () => {
    const seen: unknown[] = [];
    const policy: ResourceValidationPolicy = {
      name: "probe",
      description: "probe",
      configSchema: { properties: { limit: { type: "integer", default: 3 } } },
      validateResource: (args) => {
        seen.push([args.isType(aws.s3.Bucket), args.asType(aws.s3.Bucket)?.bucket, args.provider?.props.region, args.getConfig<{ limit: number }>().limit, args.opts.parent]);
      },
    };
    await run([bucket], [policy], { probe: { limit: 5 } });
    expect(seen).toContainEqual([true, "assets", "eu-west-1", 5, STACK]);
    expect(seen).toContainEqual([false, undefined, undefined, 5, undefined]);
  });

  it("reports a policy that read an unknown value as not evaluated, with the property path, never as a violation", async () => {
    const policy: ResourceValidationPolicy = {
      name: "reads-key",
      description: "reads the key",
      enforcementLevel: "mandatory",
      severity: "critical",
      validateResource: validateResourceOfType(aws.s3.BucketServerSideEncryptionConfiguration, (props, _args, report) => {
        if (props.rules[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId === undefined) report("unreachable");
      }),
    };
    const type = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
    const unknownKey = res(type, "assets", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }] });
    const evaluation = await run([unknownKey], [policy]);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.notEvaluated).toEqual([{
      policy: "reads-key", enforcementLevel: "mandatory", severity: "critical", urn: unknownKey.urn, resourceType: type, resourceName: "assets",
      scope: "resource", property: ".rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId",
      message: "can't run policy 'reads-key' from policy pack 'shop-guardrails@v1.2.3' during preview: string value at .rules.0.applyServerSideEncryptionByDefault.kmsMasterKeyId can't be known during preview",
    }]);
    // It did not run to the end on that type, so the type is not counted as judged.
    expect(evaluation.policies[0]).toMatchObject({ evaluatedTypes: [] });
  });

  it("reports a stack policy that read an unknown value as not evaluated, on the one resource that has it or else the root stack", async () => {
    const policy: StackValidationPolicy = {
      name: "reads-arns",
      description: "reads every arn",
      enforcementLevel: "advisory",
      validateStack: (args, report) => { if (args.resources.some((resource) => resource.props.arn === "")) report("unreachable"); },
    };
    const assets = res("aws:s3/bucket:Bucket", "assets", { arn: UNKNOWN });
    const one = await run([assets, bucket], [policy]);
    expect(one.findings).toEqual([]);
    expect(one.notEvaluated).toEqual([expect.objectContaining({ policy: "reads-arns", enforcementLevel: "advisory", urn: assets.urn, resourceName: "assets", scope: "stack", property: ".arn" })]);
    const two = await run([assets, res("aws:s3/bucket:Bucket", "logs", { arn: UNKNOWN })], [policy]);
    expect(two.notEvaluated).toEqual([expect.objectContaining({ policy: "reads-arns", urn: STACK, resourceType: "pulumi:pulumi:Stack", scope: "stack", property: ".arn" })]);
  });

  it("skips disabled policies and reports remediate-level policies as mandatory", async () => {
    const failing = (name: string): ResourceValidationPolicy => ({ name, description: name, enforcementLevel: "advisory", validateResource: (_args, report) => { report(name); } });
    const evaluation = await run([bucket], [failing("off"), failing("fix")], { off: "disabled", fix: "remediate" });
    expect(new Set(evaluation.findings.map((finding) => `${finding.policy}:${finding.enforcementLevel}`))).toEqual(new Set(["fix:mandatory"]));
    expect(evaluation.policies.find((policy) => policy.name === "off")?.enforcementLevel).toBe("disabled");
  });

  it("gives stack policies every resource's state with parents and dependencies linked", async () => {
    const child = res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "assets-block", { bucket: "assets" }, {
      outputs: { bucket: "assets", id: "assets" }, dependencies: [bucket.urn], propertyDependencies: { bucket: [bucket.urn] },
    });
    const seen: unknown[] = [];
    const policy: StackValidationPolicy = {
      name: "links",
      description: "links",
      validateStack: (args) => {
        const block = args.resources.find((resource) => resource.name === "assets-block");
        seen.push(args.resources.length, block?.parent?.type, block?.dependencies.map((dependency) => dependency.name), block?.propertyDependencies.bucket?.[0]?.name, block?.props.id, block?.provider?.name);
      },
    };
    await run([bucket, child], [policy]);
    expect(seen).toEqual([4, "pulumi:pulumi:Stack", ["assets"], "assets", "assets", "primary"]);
  });

  it("puts a stack violation that names no resource of the stack on the root stack", async () => {
    const policy: StackValidationPolicy = {
      name: "stacky",
      description: "stack-level requirement",
      enforcementLevel: "mandatory",
      validateStack: (args, report) => {
        report("missing a thing");
        report("named", bucket.urn);
        report("", "urn:pulumi:qa::shop-platform::aws:s3/bucket:Bucket::elsewhere");
        expect(args.resources.length).toBeGreaterThan(0);
      },
    };
    const evaluation = await run([bucket], [policy]);
    expect(evaluation.findings.map((finding) => [finding.urn, finding.resourceType, finding.resourceName, finding.message])).toEqual([
      [STACK, "pulumi:pulumi:Stack", "shop-platform-qa", "missing a thing"],
      [bucket.urn, "aws:s3/bucket:Bucket", "assets", "named"],
      [STACK, "pulumi:pulumi:Stack", "shop-platform-qa", "stack-level requirement"],
    ]);
  });

  it("records validateStackResourcesOfType's not-applicable reason when the type is absent", async () => {
    const policy: StackValidationPolicy = {
      name: "topics",
      description: "topics",
      validateStack: validateStackResourcesOfType(aws.sns.Topic, (_topics, _args, report) => { report("ran"); }),
    };
    const evaluation = await run([bucket], [policy]);
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.policies[0]).toMatchObject({ evaluatedStack: false, notApplicable: ["Policy only applies to resources of type 'aws:sns/topic:Topic'"] });
  });

  it("does not let one policy's changes to props leak into another's", async () => {
    const mutate: ResourceValidationPolicy = { name: "mutate", description: "m", validateResource: (args) => { args.props.forceDestroy = false; } };
    const read: ResourceValidationPolicy = { name: "read", description: "r", validateResource: (args, report) => { if (args.props.forceDestroy === true) report("still force-destroyable"); } };
    const evaluation = await run([bucket], [mutate, read]);
    expect(evaluation.findings.map((finding) => finding.message)).toEqual(["still force-destroyable"]);
  });

  it("fails loudly, naming the policy and resource, when a policy throws", async () => {
    const broken: ResourceValidationPolicy = { name: "broken", description: "b", validateResource: () => { throw new TypeError("boom"); } };
    const error = await run([bucket], [broken]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PolicyRuntimeError);
    expect((error as Error).message).toMatch(/^policy broken failed on urn:pulumi:qa::shop-platform::pulumi:pulumi:Stack::shop-platform-qa: boom$/);
  });
});
