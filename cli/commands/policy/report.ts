// The result of `shopctl policy check`, one evaluation per target, and its JSON document.
import type { Evaluation, Finding, ShopPolicy } from "../../../policies/api.js";
import type { Target } from "./targets.js";

export interface CheckedTarget {
  readonly target: Omit<Target, "resources" | "layers">;
  readonly evaluation: Evaluation;
}

export interface PolicyReport {
  readonly pack: { readonly name: string; readonly version: string };
  /** The pack's policies with their metadata (remediation, compliance), in pack order. */
  readonly policies: readonly ShopPolicy[];
  readonly checked: readonly CheckedTarget[];
}

export interface Summary {
  resources: number;
  mandatory: number;
  advisory: number;
}

export function summaryOf(evaluations: readonly Evaluation[]): Summary {
  const findings = evaluations.flatMap((evaluation) => evaluation.findings);
  return {
    resources: evaluations.reduce((total, evaluation) => total + evaluation.resourceCount, 0),
    mandatory: findings.filter((finding) => finding.enforcementLevel === "mandatory").length,
    advisory: findings.filter((finding) => finding.enforcementLevel === "advisory").length,
  };
}

export function failed(report: PolicyReport): boolean {
  return report.checked.some(({ evaluation }) => evaluation.findings.some((finding) => finding.enforcementLevel === "mandatory"));
}

function violation(finding: Finding) {
  return {
    policy: finding.policy,
    enforcementLevel: finding.enforcementLevel,
    severity: finding.severity ?? null,
    urn: finding.urn,
    resourceType: finding.resourceType,
    resourceName: finding.resourceName,
    message: finding.message,
  };
}

/**
 * One JSON document. For one target the policies carry the levels they ran at; for several
 * (--all-stacks) they carry the pack's declared levels, each violation names its stack and
 * `stacks` summarises each.
 */
export function jsonDocument(report: PolicyReport): unknown {
  const [only] = report.checked;
  const single = report.checked.length === 1 && only !== undefined;
  return {
    policies: single
      ? only.evaluation.policies.map((policy) => ({ name: policy.name, enforcementLevel: policy.enforcementLevel, severity: policy.severity ?? null }))
      : report.policies.map((policy) => ({ name: policy.name, enforcementLevel: policy.enforcementLevel, severity: policy.severity })),
    violations: report.checked.flatMap(({ target, evaluation }) =>
      evaluation.findings.map((finding) => (single ? violation(finding) : { stack: target.name, ...violation(finding) }))),
    summary: summaryOf(report.checked.map(({ evaluation }) => evaluation)),
    ...(single ? {} : { stacks: report.checked.map(({ target, evaluation }) => ({ stack: target.name, summary: summaryOf([evaluation]) })) }),
  };
}
