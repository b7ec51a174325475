// SARIF 2.1.0, for code scanning: one run per checked target, one rule per policy (level from its
// severity, help from its remediation), one result per finding at the file it came from. A check a
// preview could not evaluate is a result of kind "open": SARIF's "the rule was evaluated, and the
// tool concluded that there is insufficient information to decide whether a problem exists".
// ("notApplicable" would claim the rule does not apply to the resource, which is false, and a tool
// notification reports a problem of the tool's run, not of one resource.) Its level is "none", as
// SARIF requires for any kind but "fail".
import { createHash } from "node:crypto";
import type { Severity } from "@pulumi/policy";
import { GDPR_ARTICLES, type Finding, type NotEvaluated, type ShopPolicy } from "../../../policies/api.js";
import type { CheckedTarget, PolicyReport } from "./report.js";

const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

export type SarifLevel = "error" | "warning" | "note";

export function sarifLevel(severity: Severity | undefined): SarifLevel {
  switch (severity) {
    case "critical":
    case "high":
      return "error";
    case "low":
      return "note";
    default:
      return "warning";
  }
}

/** GitHub code scanning reads `security-severity` (0.0 to 10.0) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function rule(policy: ShopPolicy) {
  const { pciDss, gdpr } = policy.compliance;
  return {
    id: policy.name,
    name: policy.name,
    shortDescription: { text: policy.description },
    fullDescription: { text: `${policy.description} PCI DSS v4.0 requirement ${pciDss}; GDPR ${gdpr} (${GDPR_ARTICLES[gdpr]}).` },
    help: { text: policy.remediationSteps, markdown: `**How to fix:** ${policy.remediationSteps}` },
    defaultConfiguration: { level: sarifLevel(policy.severity) },
    properties: {
      tags: ["security", ...(policy.tags ?? [])],
      "security-severity": SECURITY_SEVERITY[policy.severity],
      enforcementLevel: policy.enforcementLevel,
      severity: policy.severity,
    },
  };
}

function locationsOf(item: Finding | NotEvaluated, location: string) {
  return [{
    physicalLocation: { artifactLocation: { uri: location }, region: { startLine: 1 } },
    logicalLocations: [{ fullyQualifiedName: item.urn, name: item.resourceName, kind: "resource" }],
  }];
}

function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\0")).digest("hex");
}

function result(finding: Finding, ruleIndex: number, location: string) {
  return {
    ruleId: finding.policy,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: locationsOf(finding, location),
    partialFingerprints: { "policyFinding/v1": fingerprint(finding.policy, finding.urn, finding.message) },
    properties: { enforcementLevel: finding.enforcementLevel, resourceType: finding.resourceType, urn: finding.urn },
  };
}

function openResult(entry: NotEvaluated, ruleIndex: number, location: string) {
  return {
    ruleId: entry.policy,
    ruleIndex,
    kind: "open",
    level: "none",
    message: { text: `Not evaluated: the value at ${entry.property} can't be known until the update, so the policy could not judge ${entry.resourceName}. ${entry.message}` },
    locations: locationsOf(entry, location),
    partialFingerprints: { "policyFinding/v1": fingerprint("not-evaluated", entry.policy, entry.urn, entry.property) },
    properties: { enforcementLevel: entry.enforcementLevel, resourceType: entry.resourceType, urn: entry.urn, notEvaluated: true, property: entry.property },
  };
}

function run(report: PolicyReport, { target, evaluation }: CheckedTarget) {
  const indexes = new Map(report.policies.map((policy, index) => [policy.name, index]));
  return {
    tool: {
      driver: {
        name: report.pack.name,
        version: report.pack.version,
        informationUri: "https://www.pulumi.com/docs/iac/crossguard/",
        rules: report.policies.map(rule),
      },
    },
    automationDetails: { id: `${report.pack.name}/${target.name}/` },
    artifacts: [{ location: { uri: target.location } }],
    results: [
      ...evaluation.findings.map((finding) => result(finding, indexes.get(finding.policy) ?? -1, target.location)),
      ...evaluation.notEvaluated.map((entry) => openResult(entry, indexes.get(entry.policy) ?? -1, target.location)),
    ],
  };
}

export function formatSarif(report: PolicyReport): string {
  return `${JSON.stringify({ $schema: SARIF_SCHEMA, version: "2.1.0", runs: report.checked.map((checked) => run(report, checked)) }, null, 2)}\n`;
}
