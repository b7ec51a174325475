// JUnit XML, for CI test reports: a test suite per checked target, a test case per policy and
// resource type it judged. Mandatory violations fail the case; advisory ones are printed in it;
// a case a preview could not evaluate (a value unknown until the update) is skipped, saying why.
// The output keeps to the common JUnit schema (Jenkins' and Ant's junit.xsd), which a test checks.
import type { Finding, NotEvaluated, PolicyOutcome } from "../../../policies/api.js";
import type { CheckedTarget, PolicyReport } from "./report.js";

/** XML 1.0's Char production: tab, newline, return, and the planes without surrogates, U+FFFE and U+FFFF. */
function isXmlChar(code: number): boolean {
  return code === 0x09 || code === 0x0a || code === 0x0d || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

/** Characters XML cannot carry (controls, lone surrogates, U+FFFE/U+FFFF) become U+FFFD: visibly replaced, not silently dropped. */
function xmlSafe(text: string): string {
  let safe = "";
  // Iterating a string yields code points, and each lone surrogate on its own.
  for (const character of text) safe += isXmlChar(character.codePointAt(0) ?? 0) ? character : "\uFFFD";
  return safe;
}

/** Element content. A return is escaped: a parser would turn a literal one into a newline. */
function escapeText(text: string): string {
  return xmlSafe(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** An attribute value (always double-quoted). Tabs and line breaks are escaped, or attribute-value normalisation would turn them into spaces. */
function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;")
    .replace(/\t/g, "&#9;");
}

interface TestCase {
  readonly policy: string;
  readonly name: string;
  readonly failures: readonly Finding[];
  readonly advisories: readonly Finding[];
  readonly notEvaluated: readonly NotEvaluated[];
  readonly skipped?: string;
}

const STACK_CASE = "(stack)";

function casesOf(outcome: PolicyOutcome, findings: readonly Finding[], notEvaluated: readonly NotEvaluated[]): TestCase[] {
  const none = { failures: [], advisories: [], notEvaluated: [] };
  if (outcome.enforcementLevel === "disabled") return [{ policy: outcome.name, name: "(disabled)", ...none, skipped: "disabled by the policy config" }];
  const own = findings.filter((finding) => finding.policy === outcome.name);
  const unknown = notEvaluated.filter((entry) => entry.policy === outcome.name);
  const types = new Set([...outcome.evaluatedTypes, ...own.map((finding) => finding.resourceType), ...unknown.map((entry) => entry.resourceType)]);
  if (outcome.kind === "stack" && outcome.evaluatedStack && own.length === 0) types.add(STACK_CASE);
  if (types.size === 0) {
    return [{ policy: outcome.name, name: "(not applicable)", ...none, skipped: outcome.notApplicable.join("; ") || "not applicable" }];
  }
  return [...types].sort().map((type) => {
    const ofType = own.filter((finding) => finding.resourceType === type);
    const failures = ofType.filter((finding) => finding.enforcementLevel === "mandatory");
    const unknownOfType = unknown.filter((entry) => entry.resourceType === type);
    // Skipped only when nothing of the type failed: a failure stays a failure.
    const skipped = unknownOfType.length > 0 && failures.length === 0 ? `not evaluated: ${describeUnknown(unknownOfType, "; ")}` : undefined;
    return {
      policy: outcome.name,
      name: type,
      failures,
      advisories: ofType.filter((finding) => finding.enforcementLevel === "advisory"),
      notEvaluated: unknownOfType,
      ...(skipped === undefined ? {} : { skipped }),
    };
  });
}

function describeUnknown(entries: readonly NotEvaluated[], separator: string): string {
  return entries.map((entry) => `${entry.resourceName}: ${entry.property} can't be known until the update`).join(separator);
}

function describeFindings(findings: readonly Finding[]): string {
  return findings.map((finding) => `${finding.resourceName} (${finding.urn}): ${finding.message}`).join("\n");
}

function testCase(testcase: TestCase, remediation: string | undefined): string {
  const open = `    <testcase classname="${escapeAttribute(testcase.policy)}" name="${escapeAttribute(testcase.name)}">`;
  const body: string[] = [];
  if (testcase.skipped !== undefined) body.push(`      <skipped message="${escapeAttribute(testcase.skipped)}"/>`);
  const [first] = testcase.failures;
  if (first !== undefined) {
    const details = `${describeFindings(testcase.failures)}${remediation === undefined ? "" : `\n\nHow to fix: ${remediation}`}`;
    body.push(`      <failure type="mandatory" message="${escapeAttribute(first.message)}">${escapeText(details)}</failure>`);
  }
  const out = [
    ...(testcase.advisories.length > 0 ? [`advisory:\n${describeFindings(testcase.advisories)}`] : []),
    // Beside a failure, the resources it could not judge are still worth knowing.
    ...(testcase.notEvaluated.length > 0 && testcase.skipped === undefined ? [`not evaluated:\n${describeUnknown(testcase.notEvaluated, "\n")}`] : []),
  ];
  if (out.length > 0) body.push(`      <system-out>${escapeText(out.join("\n\n"))}</system-out>`);
  return body.length === 0 ? `${open.slice(0, -1)}/>` : [open, ...body, "    </testcase>"].join("\n");
}

function suite(report: PolicyReport, { target, evaluation }: CheckedTarget): { xml: string; tests: number; failures: number; skipped: number } {
  const remediation = new Map(report.policies.map((policy) => [policy.name, policy.remediationSteps]));
  const cases = evaluation.policies.flatMap((outcome) => casesOf(outcome, evaluation.findings, evaluation.notEvaluated));
  const failures = cases.filter((testcase) => testcase.failures.length > 0).length;
  const skipped = cases.filter((testcase) => testcase.skipped !== undefined).length;
  const xml = [
    `  <testsuite name="${escapeAttribute(`${report.pack.name} (${target.name})`)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}">`,
    `    <properties><property name="source" value="${escapeAttribute(target.location)}"/><property name="resources" value="${evaluation.resourceCount}"/></properties>`,
    ...cases.map((testcase) => testCase(testcase, remediation.get(testcase.policy))),
    "  </testsuite>",
  ].join("\n");
  return { xml, tests: cases.length, failures, skipped };
}

export function formatJunit(report: PolicyReport): string {
  const suites = report.checked.map((checked) => suite(report, checked));
  const total = (key: "tests" | "failures") => suites.reduce((sum, item) => sum + item[key], 0);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    // The schema allows no `skipped` here: each suite carries its own.
    `<testsuites name="${escapeAttribute(report.pack.name)}" tests="${total("tests")}" failures="${total("failures")}" errors="0">`,
    ...suites.map((item) => item.xml),
    "</testsuites>",
    "",
  ].join("\n");
}
