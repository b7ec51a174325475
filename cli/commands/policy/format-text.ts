// The human report: findings grouped by resource, each with how to fix it.
import type { Finding } from "../../../policies/api.js";
import { summaryOf, type CheckedTarget, type PolicyReport } from "./report.js";

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
      if (fix !== undefined && !explained.has(finding.policy) && !finding.unknownValue) {
        explained.add(finding.policy);
        lines.push(wrap(fix, "       ", "    fix: "));
      }
    }
  }
  const summary = summaryOf([evaluation]);
  const verdict = summary.mandatory > 0 ? "FAIL" : "ok  ";
  lines.push("", summary.mandatory + summary.advisory === 0
    ? `${verdict}  ${target.name}: no violations in ${summary.resources} resources`
    : `${verdict}  ${target.name}: ${summary.mandatory} mandatory and ${summary.advisory} advisory violation(s) in ${summary.resources} resources`);
  return lines.join("\n");
}

export function formatText(report: PolicyReport): string {
  return `${report.checked.map((checked) => targetSection(report, checked)).join("\n\n")}\n`;
}
