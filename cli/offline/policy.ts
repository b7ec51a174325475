import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";
import type { StackConfig } from "../../stacks/config/index.js";
import type { CollectedResource } from "../../local-cloud/index.js";

export interface PolicyViolation {
  policy: string;
  enforcement: "mandatory" | "advisory";
  urn: string | null;
  message: string;
}

/** The policy part of `preview --offline`: a real evaluation, or why there was none. */
export type PolicyReport =
  | {
    status: "passed" | "failed";
    resources: number;
    mandatory: number;
    advisory: number;
    violations: PolicyViolation[];
    /** Policy checks that read a value unknown at plan time: neither passed nor violated, and never a failure (absent: none). */
    notEvaluated?: number;
  }
  | { status: "unavailable"; reason: string };

export interface PolicyContext {
  stack: string;
  config: StackConfig;
}

/** Evaluates the policy pack offline over the resources of a mock-cloud run. */
export type PolicySummarizer = (resources: readonly CollectedResource[], context: PolicyContext) => Promise<PolicyReport>;

/**
 * What shopctl accepts back from the policy pack's offline evaluator: counts plus the list of
 * violations. Validated because the module is found at run time, not compiled against.
 */
const violationSchema = z.looseObject({
  policy: z.string().optional(),
  policyName: z.string().optional(),
  enforcement: z.string().optional(),
  enforcementLevel: z.string().optional(),
  urn: z.string().nullish(),
  resourceUrn: z.string().nullish(),
  message: z.string(),
});

const summarySchema = z.looseObject({
  resources: z.number().int().nonnegative(),
  mandatory: z.number().int().nonnegative(),
  advisory: z.number().int().nonnegative(),
  violations: z.array(violationSchema),
  // Absent from evaluators that predate the outcome.
  notEvaluated: z.number().int().nonnegative().default(0),
});

export function toPolicyReport(value: unknown): PolicyReport {
  const parsed = summarySchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
    return { status: "unavailable", reason: `the policy evaluator returned an unexpected summary (${problems})` };
  }
  const { resources, mandatory, advisory, violations, notEvaluated } = parsed.data;
  return {
    status: mandatory > 0 ? "failed" : "passed",
    resources,
    mandatory,
    advisory,
    violations: violations.map((violation) => ({
      policy: violation.policy ?? violation.policyName ?? "unnamed policy",
      enforcement: (violation.enforcement ?? violation.enforcementLevel) === "mandatory" ? "mandatory" : "advisory",
      urn: violation.urn ?? violation.resourceUrn ?? null,
      message: violation.message,
    })),
    notEvaluated,
  };
}

/**
 * Where the policy pack's offline evaluator lives (policies/ is built alongside cli/, so the same
 * relative path works from the sources and from dist/), and the function shopctl calls:
 * `evaluateOffline(resources, { stack, config })` returning `{ resources, mandatory, advisory, violations, notEvaluated }`.
 */
export const EVALUATOR_MODULE = "./policy-evaluator.js";
export const EVALUATOR_EXPORT = "evaluateOffline";

/** The evaluator's file: the compiled .js, or the .ts source when running from source (vitest, tsx). */
function evaluatorUrl(relative: string): URL | undefined {
  const url = new URL(relative, import.meta.url);
  if (existsSync(fileURLToPath(url))) return url;
  const source = pathToFileURL(fileURLToPath(url).replace(/\.js$/, ".ts"));
  return existsSync(fileURLToPath(source)) ? source : undefined;
}

/**
 * The policy summarizer, loaded lazily from policies/. Until the evaluator exists (or when it
 * fails), the report says "unavailable" and why: never a pass nobody checked.
 */
export async function loadPolicySummarizer(relative = EVALUATOR_MODULE, exportName = EVALUATOR_EXPORT): Promise<PolicySummarizer> {
  const url = evaluatorUrl(relative);
  if (url === undefined) {
    return () => Promise.resolve({ status: "unavailable", reason: `the policy pack's offline evaluator (${relative.replace(/\.js$/, "")}, ${exportName}) is not part of this build yet` });
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(url.href)) as Record<string, unknown>;
  } catch (error) {
    const reason = `could not load the policy evaluator: ${error instanceof Error ? error.message : String(error)}`;
    return () => Promise.resolve({ status: "unavailable", reason });
  }
  const evaluate = module[exportName];
  if (typeof evaluate !== "function") {
    return () => Promise.resolve({ status: "unavailable", reason: `policies module ${relative} has no ${exportName}() function` });
  }
  return async (resources, context) => {
    try {
      return toPolicyReport(await (evaluate as (resources: readonly CollectedResource[], context: PolicyContext) => unknown)(resources, context));
    } catch (error) {
      return { status: "unavailable", reason: `the policy evaluator failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  };
}
