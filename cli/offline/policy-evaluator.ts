// The policy pack's offline evaluation for `preview --offline`: the same policy objects the pack
// registers, with the config `shopctl policy check --stack` derives from the stack file.
import { parsePackConfig } from "../../policies/evaluator/config.js";
import { evaluate } from "../../policies/evaluator/evaluate.js";
import { fromCollected } from "../../policies/evaluator/sources.js";
import { initialConfig, PACK_NAME, PACK_VERSION, policies } from "../../policies/pack.js";
import { packConfigFor } from "../../policies/stack-profile.js";
import type { CollectedResource } from "../../local-cloud/index.js";
import { profileOf } from "../policy-profile.js";
import type { PolicyContext } from "./policy.js";

export async function evaluateOffline(resources: readonly CollectedResource[], context: PolicyContext) {
  const evaluation = await evaluate(fromCollected(resources, { defaultRegion: context.config.primaryRegion }), {
    pack: { name: PACK_NAME, version: PACK_VERSION },
    policies,
    initialConfig,
    configLayers: [parsePackConfig(packConfigFor(profileOf(context.config)), `the policy config derived from stack ${context.stack}`)],
  });
  const count = (level: "mandatory" | "advisory") => evaluation.findings.filter((finding) => finding.enforcementLevel === level).length;
  return {
    resources: evaluation.resourceCount,
    mandatory: count("mandatory"),
    advisory: count("advisory"),
    violations: evaluation.findings.map((finding) => ({
      policy: finding.policy,
      enforcement: finding.enforcementLevel,
      urn: finding.urn,
      message: finding.message,
    })),
  };
}
