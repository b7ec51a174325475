// The policy pack's public API for the rest of the repository (shopctl imports policies/ only from
// here). index.ts stays the CrossGuard entry that PulumiPolicy.yaml runs.
//
// Light on purpose: its static exports are types, the errors, the compliance catalogue, the config
// parser and the stack profile. The rules load @pulumi/aws and the evaluator @pulumi/policy and
// @pulumi/pulumi, so they come through loadPolicyEngine(): a command that only needs a stack's
// policy config (status, outputs, the DR commands) does not pay for them.
import type { PolicyPackConfig } from "@pulumi/policy";
import type { evaluate } from "./evaluator/evaluate.js";
import type { fromCollected, fromPreviewJson, fromStackExport } from "./evaluator/sources.js";
import type { ShopPolicy } from "./lib/define.js";

export { parsePackConfig, type PackConfigLayer } from "./evaluator/config.js";
export { PolicyConfigError, ResourceSourceError } from "./evaluator/errors.js";
export type { Evaluation, EvaluateOptions, Finding, NotEvaluated, PolicyOutcome } from "./evaluator/evaluate.js";
export type { EvaluationResource } from "./evaluator/resource.js";
export type { CollectedLike } from "./evaluator/sources.js";
export { GDPR_ARTICLES, PCI_DSS_V4, type Compliance } from "./lib/compliance.js";
export type { ShopPolicy } from "./lib/define.js";
export { packConfigFor, RELAXATIONS, relaxationsFor, type Relaxation, type StackProfile, type StackTier } from "./stack-profile.js";

/** The pack (its policies, metadata and initial config) and the offline evaluator with its resource sources. */
export interface PolicyEngine {
  readonly pack: { readonly name: string; readonly version: string };
  readonly policies: readonly ShopPolicy[];
  readonly initialConfig: PolicyPackConfig;
  readonly evaluate: typeof evaluate;
  /** A Pulumi mock-cloud run's resources (the program under test or the offline preview). */
  readonly fromCollected: typeof fromCollected;
  /** `pulumi stack export` output. */
  readonly fromStackExport: typeof fromStackExport;
  /** `pulumi preview --json` output. */
  readonly fromPreviewJson: typeof fromPreviewJson;
}

/** Loads the pack and the evaluator on first call (Node caches the modules; later calls are cheap). */
export async function loadPolicyEngine(): Promise<PolicyEngine> {
  const { evaluate } = await import("./evaluator/evaluate.js");
  const { initialConfig, PACK_NAME, PACK_VERSION, policies } = await import("./pack.js");
  const { fromCollected, fromPreviewJson, fromStackExport } = await import("./evaluator/sources.js");
  return { pack: { name: PACK_NAME, version: PACK_VERSION }, policies, initialConfig, evaluate, fromCollected, fromStackExport, fromPreviewJson };
}
