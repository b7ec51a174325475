import { readFileSync } from "node:fs";
import { validateXML } from "xmllint-wasm";
import { describe, expect, it } from "vitest";
import { loadPolicyEngine, type Evaluation, type Finding, type NotEvaluated, type PolicyOutcome } from "../../../policies/api.js";
import { formatJunit } from "./format-junit.js";
import { formatSarif, sarifLevel } from "./format-sarif.js";
import { formatText } from "./format-text.js";
import { failed, jsonDocument, type PolicyReport } from "./report.js";

const { policies } = await loadPolicyEngine();

const URN = "urn:pulumi:dev::shop-platform::aws:rds/instance:Instance::db";
const finding = (policy: string, enforcementLevel: "mandatory" | "advisory", message: string, extra: Partial<Finding> = {}): Finding => ({
  policy, enforcementLevel, severity: "high", urn: URN, resourceType: "aws:rds/instance:Instance", resourceName: "db", message, scope: "resource", ...extra,
});
const notEvaluated = (policy: string, enforcementLevel: "mandatory" | "advisory", property: string): NotEvaluated => ({
  policy, enforcementLevel, severity: "critical", urn: URN, resourceType: "aws:rds/instance:Instance", resourceName: "db", scope: "resource", property,
  message: `can't run policy '${policy}' from policy pack 'shop-guardrails@v9.9.9' during preview: string value at ${property} can't be known during preview`,
});
const outcome = (name: string, extra: Partial<PolicyOutcome> = {}): PolicyOutcome => ({
  name, description: name, severity: "high", enforcementLevel: "mandatory", kind: "resource", evaluatedTypes: [], evaluatedStack: false, notApplicable: [], ...extra,
});

function evaluation(findings: Finding[], outcomes: PolicyOutcome[], unknown: NotEvaluated[] = []): Evaluation {
  return { findings, notEvaluated: unknown, policies: outcomes, resourceCount: 3, rootStackUrn: "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev" };
}

const devEvaluation = evaluation(
  [finding("rds-multi-az", "advisory", "The instance is not Multi-AZ."), finding("rds-not-public", "mandatory", "The instance is <publicly> accessible & \"open\".")],
  [
    outcome("rds-not-public", { evaluatedTypes: ["aws:rds/instance:Instance"] }),
    outcome("rds-multi-az", { enforcementLevel: "advisory", evaluatedTypes: ["aws:rds/instance:Instance"] }),
    outcome("kms-key-rotation", { notApplicable: ["Policy only applies to resources of type 'aws:kms/key:Key'"] }),
    outcome("iam-no-wildcard-admin", { enforcementLevel: "disabled" }),
    outcome("backup-selection-covers-database", { kind: "stack", evaluatedStack: true }),
  ],
);
const prodEvaluation = evaluation([], [outcome("rds-not-public", { evaluatedTypes: ["aws:rds/instance:Instance"] })]);

// A first deployment's preview: the key ARNs are unknown, so two policies could not judge the database.
const previewEvaluation = evaluation(
  [finding("rds-multi-az", "advisory", "The instance is not Multi-AZ.")],
  [
    outcome("rds-encrypted-customer-key"),
    outcome("rds-enhanced-monitoring", { enforcementLevel: "advisory" }),
    outcome("rds-multi-az", { enforcementLevel: "advisory", evaluatedTypes: ["aws:rds/instance:Instance"] }),
  ],
  [notEvaluated("rds-encrypted-customer-key", "mandatory", ".kmsKeyId"), notEvaluated("rds-enhanced-monitoring", "advisory", ".monitoringRoleArn")],
);

const JUNIT_XSD = readFileSync(new URL("fixtures/junit.xsd", import.meta.url), "utf8");

/** The JUnit report against the common JUnit schema (fixtures/junit.xsd), with xmllint's errors. */
async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit.xsd", contents: JUNIT_XSD }] });
  return result.errors.map((error) => error.rawMessage);
}

const report = (checked: PolicyReport["checked"]): PolicyReport => ({ pack: { name: "shop-guardrails", version: "9.9.9" }, policies, checked });
const dev = { target: { name: "dev", kind: "stack" as const, location: "stacks/Pulumi.dev.yaml" }, evaluation: devEvaluation };
const preview = { target: { name: "plan.json", kind: "preview" as const, location: "plan.json" }, evaluation: previewEvaluation };
const prod = { target: { name: "prod", kind: "stack" as const, location: "stacks/Pulumi.prod.yaml" }, evaluation: prodEvaluation };

describe("policy check reports", () => {
  it("fail only on a mandatory finding", () => {
    expect(failed(report([dev]))).toBe(true);
    expect(failed(report([prod]))).toBe(false);
  });

  it("JSON for several stacks names each violation's stack and summarises each stack", () => {
    const document = jsonDocument(report([dev, prod])) as { violations: { stack: string }[]; summary: unknown; stacks: unknown; policies: unknown[] };
    expect(document.violations.map((violation) => violation.stack)).toEqual(["dev", "dev"]);
    const none = { notEvaluated: 0, notEvaluatedMandatory: 0 };
    expect(document.summary).toEqual({ resources: 6, mandatory: 1, advisory: 1, ...none });
    expect(document.stacks).toEqual([{ stack: "dev", summary: { resources: 3, mandatory: 1, advisory: 1, ...none } }, { stack: "prod", summary: { resources: 3, mandatory: 0, advisory: 0, ...none } }]);
    expect(document.policies).toHaveLength(policies.length);
  });

  it("text puts mandatory findings first within a resource and explains each policy once", () => {
    const text = formatText(report([dev, prod]));
    expect(text).toMatch(/MANDATORY high {5}rds-not-public: [^\n]*\n {4}fix: [\s\S]*advisory {2}high {5}rds-multi-az/);
    expect(text).toContain("FAIL  dev: 1 mandatory and 1 advisory violation(s) in 3 resources");
    expect(text).toContain("ok    prod: no violations in 3 resources");
  });

  it("SARIF levels follow severity", () => {
    expect([sarifLevel("critical"), sarifLevel("high"), sarifLevel("medium"), sarifLevel("low"), sarifLevel(undefined)]).toEqual(["error", "error", "warning", "note", "warning"]);
    const sarif = JSON.parse(formatSarif(report([dev, prod]))) as { runs: { automationDetails: { id: string }; results: unknown[] }[] };
    expect(sarif.runs.map((run) => [run.automationDetails.id, run.results.length])).toEqual([["shop-guardrails/dev/", 2], ["shop-guardrails/prod/", 0]]);
  });

  it("JUnit escapes XML and marks failures, advisories, skipped and disabled policies", () => {
    const xml = formatJunit(report([dev]));
    expect(xml).toContain(`<failure type="mandatory" message="The instance is &lt;publicly&gt; accessible &amp; &quot;open&quot;.">`);
    expect(xml).toMatch(/<testcase classname="rds-multi-az" name="aws:rds\/instance:Instance">\n {6}<system-out>advisory:\ndb \(urn:[^)]*\): The instance is not Multi-AZ\.<\/system-out>/);
    expect(xml).toMatch(/<testcase classname="kms-key-rotation" name="\(not applicable\)">\n {6}<skipped message="Policy only applies to resources of type &apos;aws:kms\/key:Key&apos;"\/>/);
    expect(xml).toMatch(/<testcase classname="iam-no-wildcard-admin" name="\(disabled\)">\n {6}<skipped message="disabled by the policy config"\/>/);
    expect(xml).toContain(`<testcase classname="backup-selection-covers-database" name="(stack)"/>`);
    expect(xml).toMatch(/<testsuite name="shop-guardrails \(dev\)" tests="5" failures="1" errors="0" skipped="2">/);
  });
  it("JUnit validates against the common JUnit schema, for one target and several", async () => {
    expect(await junitSchemaErrors(formatJunit(report([dev])))).toEqual([]);
    expect(await junitSchemaErrors(formatJunit(report([dev, prod, preview])))).toEqual([]);
    expect(formatJunit(report([dev, prod]))).toMatch(/<testsuites name="shop-guardrails" tests="6" failures="1" errors="0">/);
  });

  it("JUnit replaces characters XML 1.0 cannot carry and keeps newlines in attributes", async () => {
    const message = "line one\nline two\r\tend \uD800 \uDFFF \uFFFE \uFFFF \u0001 \u{1F600} \uD83D\uDE00";
    const odd = evaluation([finding("rds-not-public", "mandatory", message)], [outcome("rds-not-public", { evaluatedTypes: ["aws:rds/instance:Instance"] })]);
    const xml = formatJunit(report([{ target: { name: "odd", kind: "stack", location: "x" }, evaluation: odd }]));
    expect(xml).toContain(`message="line one&#10;line two&#13;&#9;end \uFFFD \uFFFD \uFFFD \uFFFD \uFFFD \u{1F600} \u{1F600}"`);
    expect(xml).not.toMatch(/[\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    // The body keeps its newlines as they are: element content is not normalised.
    expect(xml).toContain("db (urn:pulumi:dev::shop-platform::aws:rds/instance:Instance::db): line one\nline two");
    expect(await junitSchemaErrors(xml)).toEqual([]);
  });

  describe("a policy that could not be evaluated (a value unknown until the update)", () => {
    it("is not a violation and does not fail the check", () => {
      expect(failed(report([preview]))).toBe(false);
      const document = jsonDocument(report([preview])) as { violations: unknown[]; notEvaluated: unknown[]; summary: unknown };
      expect(document.violations).toHaveLength(1);
      expect(document.summary).toEqual({ resources: 3, mandatory: 0, advisory: 1, notEvaluated: 2, notEvaluatedMandatory: 1 });
      expect(document.notEvaluated).toEqual([
        { policy: "rds-encrypted-customer-key", enforcementLevel: "mandatory", severity: "critical", urn: URN, resourceType: "aws:rds/instance:Instance", resourceName: "db", property: ".kmsKeyId", message: expect.stringContaining("can't be known during preview") as unknown },
        expect.objectContaining({ policy: "rds-enhanced-monitoring", enforcementLevel: "advisory", property: ".monitoringRoleArn" }),
      ]);
    });

    it("JSON for several stacks names each one's stack and counts it per stack", () => {
      const document = jsonDocument(report([dev, { ...preview, target: { ...preview.target, name: "qa" } }])) as { notEvaluated: { stack: string }[]; stacks: { stack: string; summary: { notEvaluated: number } }[] };
      expect(document.notEvaluated.map((entry) => entry.stack)).toEqual(["qa", "qa"]);
      expect(document.stacks.map((entry) => [entry.stack, entry.summary.notEvaluated])).toEqual([["dev", 0], ["qa", 2]]);
    });

    it("text lists it in its own section and, for a mandatory policy, points to the checks that know every value", () => {
      const text = formatText(report([preview]));
      expect(text).toMatch(/\nnot evaluated \(a value is unknown until the update\): 2 check\(s\), 1 of a mandatory policy\n {2}aws:rds\/instance:Instance "db"\n {4}mandatory rds-encrypted-customer-key: \.kmsKeyId\n {4}advisory {2}rds-enhanced-monitoring: \.monitoringRoleArn\n/);
      expect(text).toContain("ok    plan.json: 0 mandatory and 1 advisory violation(s) in 3 resources; 2 check(s) not evaluated");
      expect(text.replace(/\s+/g, " ")).toMatch(/1 mandatory policy could not be evaluated .*: check the stack's program offline \(shopctl policy check --stack dev, where the mock cloud\s+knows every value\) or its state after the deployment \(--from-export\)/);
      expect(text).not.toContain("can't run policy");
    });

    it("SARIF gives it kind \"open\" (evaluated, not enough information to decide) at level none", () => {
      const sarif = JSON.parse(formatSarif(report([preview]))) as { runs: { results: { ruleId: string; kind?: string; level: string; message: { text: string }; properties: Record<string, unknown> }[] }[] };
      const results = sarif.runs[0]?.results ?? [];
      expect(results.filter((result) => result.kind === undefined || result.kind === "fail").map((result) => result.ruleId)).toEqual(["rds-multi-az"]);
      expect(results.find((result) => result.ruleId === "rds-encrypted-customer-key")).toMatchObject({
        kind: "open", level: "none", message: { text: expect.stringContaining(".kmsKeyId") as unknown }, properties: { enforcementLevel: "mandatory", notEvaluated: true, property: ".kmsKeyId" },
      });
    });

    it("JUnit skips its case with the unknown property in the message, and stays valid", async () => {
      const xml = formatJunit(report([preview]));
      expect(xml).toMatch(/<testcase classname="rds-encrypted-customer-key" name="aws:rds\/instance:Instance">\n {6}<skipped message="not evaluated: db: \.kmsKeyId can&apos;t be known until the update[^"]*"\/>/);
      expect(xml).toMatch(/<testsuite name="shop-guardrails \(plan\.json\)" tests="3" failures="0" errors="0" skipped="2">/);
      expect(await junitSchemaErrors(xml)).toEqual([]);
    });
  });
});
