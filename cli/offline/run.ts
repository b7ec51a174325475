import type { LoadedStack } from "../../stacks/config/index.js";
import { runStackOffline } from "../../stacks/offline.js";
import { planFrom, type OfflinePlan } from "./plan.js";
import { planDetails, type PlanDetails } from "./plan-details.js";
import { loadPolicySummarizer, type PolicyReport, type PolicySummarizer } from "./policy.js";

export interface OfflineResult {
  plan: OfflinePlan;
  policy: PolicyReport;
  /** Every resource's inputs and the stack's outputs, for `preview --offline --json --inputs`. */
  details?: PlanDetails;
}

/**
 * The stack's program under the mock cloud (no AWS account, no Pulumi CLI), its plan grouped by
 * component and region, and the policy pack's verdict over the same resources.
 */
export async function runOffline(loaded: LoadedStack, summarize?: PolicySummarizer): Promise<OfflineResult> {
  const run = await runStackOffline(loaded);
  const summarizer = summarize ?? (await loadPolicySummarizer());
  const policy = await summarizer(run.resources, { stack: loaded.stack, config: loaded.config });
  return { plan: planFrom(loaded.stack, run.resources), policy, details: planDetails(run.resources) };
}
