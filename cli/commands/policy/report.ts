// The result of `shopctl policy check`, one evaluation per target, and its JSON document.
import type { Evaluation, Finding, NotEvaluated, ShopPolicy } from "../../../policies/api.js";
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
  /** Policy checks that read a value unknown until the update: neither passed nor violated. */
  notEvaluated: number;
  /** Of those, the ones of a mandatory policy: the check after the update must cover them. */
  notEvaluatedMandatory: number;
}

export function summaryOf(evaluations: readonly Evaluation[]): Summary {
  const findings = evaluations.flatMap((evaluation) => evaluation.findings);
  const unknown = evaluations.flatMap((evaluation) => evaluation.notEvaluated);
  return {
    resources: evaluations.reduce((total, evaluation) => total + evaluation.resourceCount, 0),
    mandatory: findings.filter((finding) => finding.enforcementLevel === "mandatory").length,
    advisory: findings.filter((finding) => finding.enforcementLevel === "advisory").length,
    notEvaluated: unknown.length,
    notEvaluatedMandatory: unknown.filter((entry) => entry.enforcementLevel === "mandatory").length,
  };
}

/** The stack a target belongs to: its name, or for a file the stack in its URNs (`urn:pulumi:<stack>::...`). */
export function stackOf({ target, evaluation }: CheckedTarget): string {
  if (target.kind === "stack") return target.name;
  return /^urn:pulumi:([^:]+)::/.exec(evaluation.rootStackUrn)?.[1] ?? "<name>";
}

/**
 * What to run when a mandatory policy could not be evaluated: the program under the mock cloud
 * knows every value, and so does the state once deployed. Undefined when nothing mandatory is left.
 */
export function notEvaluatedAdvice(checked: CheckedTarget): string | undefined {
  const policies = new Set(checked.evaluation.notEvaluated.filter((entry) => entry.enforcementLevel === "mandatory").map((entry) => entry.policy));
  if (policies.size === 0) return undefined;
  return `${policies.size} mandatory ${policies.size === 1 ? "policy" : "policies"} could not be evaluated on some resource (a value it reads is unknown until the update): ` +
    `check the stack's program offline (shopctl policy check --stack ${stackOf(checked)}, where the mock cloud knows every value) or its state after the deployment (--from-export)`;
}

/** Not-evaluated checks do not fail the check: only a mandatory violation does. */
export function failed(report: PolicyReport): boolean {
  return report.checked.some(({ evaluation }) => evaluation.findings.some((finding) => finding.enforcementLevel === "mandatory"));
}

function subject(entry: Finding | NotEvaluated) {
  return {
    policy: entry.policy,
    enforcementLevel: entry.enforcementLevel,
    severity: entry.severity ?? null,
    urn: entry.urn,
    resourceType: entry.resourceType,
    resourceName: entry.resourceName,
  };
}

function violation(finding: Finding) {
  return { ...subject(finding), message: finding.message };
}

function unknownEntry(entry: NotEvaluated) {
  return { ...subject(entry), property: entry.property, message: entry.message };
}

/**
 * One JSON document. For one target the policies carry the levels they ran at; for several
 * (--all-stacks) they carry the pack's declared levels, each violation (and not-evaluated check)
 * names its stack and `stacks` summarises each.
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
    notEvaluated: report.checked.flatMap(({ target, evaluation }) =>
      evaluation.notEvaluated.map((entry) => (single ? unknownEntry(entry) : { stack: target.name, ...unknownEntry(entry) }))),
    summary: summaryOf(report.checked.map(({ evaluation }) => evaluation)),
    ...(single ? {} : { stacks: report.checked.map(({ target, evaluation }) => ({ stack: target.name, summary: summaryOf([evaluation]) })) }),
  };
}
