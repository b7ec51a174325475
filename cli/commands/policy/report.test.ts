import { describe, expect, it } from "vitest";
import { loadPolicyEngine, type Evaluation, type Finding, type PolicyOutcome } from "../../../policies/api.js";
import { formatJunit } from "./format-junit.js";
import { formatSarif, sarifLevel } from "./format-sarif.js";
import { formatText } from "./format-text.js";
import { failed, jsonDocument, type PolicyReport } from "./report.js";

const { policies } = await loadPolicyEngine();

const URN = "urn:pulumi:dev::shop-platform::aws:rds/instance:Instance::db";
const finding = (policy: string, enforcementLevel: "mandatory" | "advisory", message: string, extra: Partial<Finding> = {}): Finding => ({
  policy, enforcementLevel, severity: "high", urn: URN, resourceType: "aws:rds/instance:Instance", resourceName: "db", message, scope: "resource", unknownValue: false, ...extra,
});
const outcome = (name: string, extra: Partial<PolicyOutcome> = {}): PolicyOutcome => ({
  name, description: name, severity: "high", enforcementLevel: "mandatory", kind: "resource", evaluatedTypes: [], evaluatedStack: false, notApplicable: [], ...extra,
});

function evaluation(findings: Finding[], outcomes: PolicyOutcome[]): Evaluation {
  return { findings, policies: outcomes, resourceCount: 3, rootStackUrn: "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev" };
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

const report = (checked: PolicyReport["checked"]): PolicyReport => ({ pack: { name: "shop-guardrails", version: "9.9.9" }, policies, checked });
const dev = { target: { name: "dev", kind: "stack" as const, location: "stacks/Pulumi.dev.yaml" }, evaluation: devEvaluation };
const prod = { target: { name: "prod", kind: "stack" as const, location: "stacks/Pulumi.prod.yaml" }, evaluation: prodEvaluation };

describe("policy check reports", () => {
  it("fail only on a mandatory finding", () => {
    expect(failed(report([dev]))).toBe(true);
    expect(failed(report([prod]))).toBe(false);
  });

  it("JSON for several stacks names each violation's stack and summarises each stack", () => {
    const document = jsonDocument(report([dev, prod])) as { violations: { stack: string }[]; summary: unknown; stacks: unknown; policies: unknown[] };
    expect(document.violations.map((violation) => violation.stack)).toEqual(["dev", "dev"]);
    expect(document.summary).toEqual({ resources: 6, mandatory: 1, advisory: 1 });
    expect(document.stacks).toEqual([{ stack: "dev", summary: { resources: 3, mandatory: 1, advisory: 1 } }, { stack: "prod", summary: { resources: 3, mandatory: 0, advisory: 0 } }]);
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
});
