// The human report: findings grouped by resource, each with how to fix it, then the checks a
// preview left not evaluated (a value unknown until the update) in a section of their own.
import type { Finding, NotEvaluated } from "../../../policies/api.js";
import { notEvaluatedAdvice, summaryOf, type CheckedTarget, type PolicyReport } from "./report.js";

const WIDTH = 100;

/** `text` wrapped at WIDTH, each line after the first indented by `indent`. */
function wrap(text: string, indent: string, firstPrefix: string): string {
  const lines: string[] = [];
  let line = firstPrefix;
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > WIDTH && line.trim() !== firstPrefix.trim()) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines.join("\n");
}

function bySeverityFirst(a: Finding, b: Finding): number {
  const rank = (finding: Finding) => (finding.enforcementLevel === "mandatory" ? 0 : 1);
  return rank(a) - rank(b) || a.policy.localeCompare(b.policy);
}

function targetSection(report: PolicyReport, { target, evaluation }: CheckedTarget): string {
  const remediation = new Map(report.policies.map((policy) => [policy.name, policy.remediationSteps]));
  const active = evaluation.policies.filter((policy) => policy.enforcementLevel !== "disabled").length;
  const lines = [`${report.pack.name} ${report.pack.version}: ${target.kind} ${target.name}, ${evaluation.resourceCount} resources, ${active} policies`];
  const groups = new Map<string, Finding[]>();
  for (const finding of evaluation.findings) groups.set(finding.urn, [...(groups.get(finding.urn) ?? []), finding]);
  const ordered = [...groups.values()].sort((a, b) => {
    const mandatory = (findings: Finding[]) => (findings.some((finding) => finding.enforcementLevel === "mandatory") ? 0 : 1);
    const [first] = a;
    const [second] = b;
    return mandatory(a) - mandatory(b) || `${first?.resourceType ?? ""}${first?.resourceName ?? ""}`.localeCompare(`${second?.resourceType ?? ""}${second?.resourceName ?? ""}`);
  });
  for (const findings of ordered) {
    const [first] = findings;
    if (first === undefined) continue;
    lines.push("", `${first.resourceType} "${first.resourceName}"`, `  ${first.urn}`);
    const explained = new Set<string>();
    for (const finding of [...findings].sort(bySeverityFirst)) {
      const level = finding.enforcementLevel === "mandatory" ? "MANDATORY" : "advisory ";
      lines.push(wrap(finding.message, "      ", `  ${level} ${(finding.severity ?? "-").padEnd(8)} ${finding.policy}: `));
      const fix = remediation.get(finding.policy);
      if (fix !== undefined && !explained.has(finding.policy)) {
        explained.add(finding.policy);
        lines.push(wrap(fix, "       ", "    fix: "));
      }
    }
  }
  lines.push(...notEvaluatedSection(evaluation.notEvaluated));
  const summary = summaryOf([evaluation]);
  const verdict = summary.mandatory > 0 ? "FAIL" : "ok  ";
  const unknown = summary.notEvaluated === 0 ? "" : `; ${summary.notEvaluated} check(s) not evaluated`;
  lines.push("", summary.mandatory + summary.advisory === 0
    ? `${verdict}  ${target.name}: no violations in ${summary.resources} resources${unknown}`
    : `${verdict}  ${target.name}: ${summary.mandatory} mandatory and ${summary.advisory} advisory violation(s) in ${summary.resources} resources${unknown}`);
  const advice = notEvaluatedAdvice({ target, evaluation });
  if (advice !== undefined) lines.push(wrap(advice, "      ", "      "));
  return lines.join("\n");
}

/** One line per check, grouped by resource: the policy and the property it could not read. */
function notEvaluatedSection(entries: readonly NotEvaluated[]): string[] {
  if (entries.length === 0) return [];
  const mandatory = entries.filter((entry) => entry.enforcementLevel === "mandatory").length;
  const lines = ["", `not evaluated (a value is unknown until the update): ${entries.length} check(s), ${mandatory} of a mandatory policy`];
  const groups = new Map<string, NotEvaluated[]>();
  for (const entry of entries) groups.set(entry.urn, [...(groups.get(entry.urn) ?? []), entry]);
  const ordered = [...groups.values()].sort(([a], [b]) => `${a?.resourceType ?? ""}${a?.resourceName ?? ""}`.localeCompare(`${b?.resourceType ?? ""}${b?.resourceName ?? ""}`));
  for (const group of ordered) {
    const [first] = group;
    if (first === undefined) continue;
    lines.push(`  ${first.resourceType} "${first.resourceName}"`);
    const sorted = [...group].sort((a, b) => (a.enforcementLevel === b.enforcementLevel ? a.policy.localeCompare(b.policy) : a.enforcementLevel === "mandatory" ? -1 : 1));
    for (const entry of sorted) lines.push(`    ${entry.enforcementLevel.padEnd(9)} ${entry.policy}: ${entry.property}`);
  }
  return lines;
}

export function formatText(report: PolicyReport): string {
  return `${report.checked.map((checked) => targetSection(report, checked)).join("\n\n")}\n`;
}
