// The policy pack's offline evaluation for `preview --offline`: the same policy objects the pack
// registers, with the config `shopctl policy check --stack` derives from the stack file.
import { loadPolicyEngine, packConfigFor, parsePackConfig } from "../../policies/api.js";
import type { CollectedResource } from "../../local-cloud/index.js";
import { profileOf } from "../policy-profile.js";
import type { PolicyContext } from "./policy.js";

// Loaded with this module, so that a pack that fails to load is reported as such by the summarizer.
const engine = await loadPolicyEngine();

export async function evaluateOffline(resources: readonly CollectedResource[], context: PolicyContext) {
  const evaluation = await engine.evaluate(engine.fromCollected(resources, { defaultRegion: context.config.primaryRegion }), {
    pack: engine.pack,
    policies: engine.policies,
    initialConfig: engine.initialConfig,
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
    // A value unknown at plan time leaves a check undecided: counted, not a violation.
    notEvaluated: evaluation.notEvaluated.length,
  };
}
