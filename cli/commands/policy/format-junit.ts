// JUnit XML, for CI test reports: a test suite per checked target, a test case per policy and
// resource type it judged. Mandatory violations fail the case; advisory ones are printed in it.
import type { Finding, PolicyOutcome } from "../../../policies/api.js";
import type { CheckedTarget, PolicyReport } from "./report.js";

function escapeXml(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Drops the control characters XML 1.0 cannot carry at all (tab, newline and return stay). */
function xmlSafe(text: string): string {
  return Array.from(text).filter((character) => {
    const code = character.charCodeAt(0);
    return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
  }).join("");
}

interface TestCase {
  readonly policy: string;
  readonly name: string;
  readonly failures: readonly Finding[];
  readonly advisories: readonly Finding[];
  readonly skipped?: string;
}

const STACK_CASE = "(stack)";

function casesOf(outcome: PolicyOutcome, findings: readonly Finding[]): TestCase[] {
  if (outcome.enforcementLevel === "disabled") return [{ policy: outcome.name, name: "(disabled)", failures: [], advisories: [], skipped: "disabled by the policy config" }];
  const own = findings.filter((finding) => finding.policy === outcome.name);
  const types = new Set([...outcome.evaluatedTypes, ...own.map((finding) => finding.resourceType)]);
  if (outcome.kind === "stack" && outcome.evaluatedStack && own.length === 0) types.add(STACK_CASE);
  if (types.size === 0) {
    return [{ policy: outcome.name, name: "(not applicable)", failures: [], advisories: [], skipped: outcome.notApplicable.join("; ") || "not applicable" }];
  }
  return [...types].sort().map((type) => {
    const ofType = own.filter((finding) => finding.resourceType === type);
    return {
      policy: outcome.name,
      name: type,
      failures: ofType.filter((finding) => finding.enforcementLevel === "mandatory"),
      advisories: ofType.filter((finding) => finding.enforcementLevel === "advisory"),
    };
  });
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.resourceName} (${finding.urn}): ${finding.message}`).join("\n");
}

function testCase(testcase: TestCase, remediation: string | undefined): string {
  const open = `    <testcase classname="${escapeXml(testcase.policy)}" name="${escapeXml(testcase.name)}">`;
  const body: string[] = [];
  if (testcase.skipped !== undefined) body.push(`      <skipped message="${escapeXml(testcase.skipped)}"/>`);
  const [first] = testcase.failures;
  if (first !== undefined) {
    const details = `${describeFindings(testcase.failures)}${remediation === undefined ? "" : `\n\nHow to fix: ${remediation}`}`;
    body.push(`      <failure type="mandatory" message="${escapeXml(first.message)}">${escapeXml(details)}</failure>`);
  }
  if (testcase.advisories.length > 0) body.push(`      <system-out>${escapeXml(`advisory:\n${describeFindings(testcase.advisories)}`)}</system-out>`);
  return body.length === 0 ? `${open.slice(0, -1)}/>` : [open, ...body, "    </testcase>"].join("\n");
}

function suite(report: PolicyReport, { target, evaluation }: CheckedTarget): { xml: string; tests: number; failures: number; skipped: number } {
  const remediation = new Map(report.policies.map((policy) => [policy.name, policy.remediationSteps]));
  const cases = evaluation.policies.flatMap((outcome) => casesOf(outcome, evaluation.findings));
  const failures = cases.filter((testcase) => testcase.failures.length > 0).length;
  const skipped = cases.filter((testcase) => testcase.skipped !== undefined).length;
  const xml = [
    `  <testsuite name="${escapeXml(`${report.pack.name} (${target.name})`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `    <properties><property name="source" value="${escapeXml(target.location)}"/><property name="resources" value="${evaluation.resourceCount}"/></properties>`,
    ...cases.map((testcase) => testCase(testcase, remediation.get(testcase.policy))),
    "  </testsuite>",
  ].join("\n");
  return { xml, tests: cases.length, failures, skipped };
}

export function formatJunit(report: PolicyReport): string {
  const suites = report.checked.map((checked) => suite(report, checked));
  const total = (key: "tests" | "failures" | "skipped") => suites.reduce((sum, item) => sum + item[key], 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escapeXml(report.pack.name)}" tests="${total("tests")}" failures="${total("failures")}" errors="0" skipped="${total("skipped")}">`,
    ...suites.map((item) => item.xml),
    "</testsuites>",
    "",
  ].join("\n");
}
