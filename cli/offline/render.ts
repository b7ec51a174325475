import type { OfflinePlan } from "./plan.js";
import type { PolicyReport } from "./policy.js";

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** The plan as a person reads it: one block per component, its regions, counts per type. */
export function renderPlan(plan: OfflinePlan): string {
  const cloud = plan.resources.filter((resource) => resource.custom).length;
  const components = plan.resources.length - cloud;
  const lines = [
    `Stack ${plan.stack}: ${plural(cloud, "resource")} in ${plural(plan.regions.length, "region")}, ${plural(components, "component")} (offline, under the mock cloud: nothing was sent to AWS)`,
    "",
  ];
  for (const group of plan.groups) {
    const title = group.type === null ? `${group.component} (declared on the stack)` : `${group.component} (${group.type})`;
    const nested = group.components > 0 ? `, ${plural(group.components, "nested component")}` : "";
    lines.push(`${title}: ${plural(group.total, "resource")}${nested}`);
    for (const region of group.regions) {
      lines.push(`  ${region.region} (${region.total})`);
      for (const { type, count } of region.types) lines.push(`    ${String(count).padStart(4)}  ${type}`);
    }
    lines.push("");
  }
  lines.push(`By region: ${plan.regions.map((region) => `${region.region} ${region.total}`).join(", ") || "none"}`);
  return lines.join("\n");
}

export function renderPolicy(report: PolicyReport): string {
  if (report.status === "unavailable") return `Policy: not checked: ${report.reason}`;
  const head = `Policy: ${report.status} (${plural(report.resources, "resource")} checked; ${report.mandatory} mandatory, ${report.advisory} advisory violations)`;
  const lines = report.violations.map((violation) => `  ${violation.enforcement === "mandatory" ? "MANDATORY" : "advisory "}  ${violation.policy}: ${violation.message}${violation.urn === null ? "" : `\n             ${violation.urn}`}`);
  return [head, ...lines].join("\n");
}
