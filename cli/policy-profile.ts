import type { StackProfile } from "../policies/api.js";
import { RESIDENCY_REGIONS, type StackConfig } from "../stacks/config/index.js";

/** What the policy pack needs to know about a stack, from its validated config. */
export function profileOf(config: StackConfig): StackProfile {
  return {
    tier: config.tier,
    allowedRegions: config.dataResidency === "any" ? undefined : [...RESIDENCY_REGIONS[config.dataResidency as keyof typeof RESIDENCY_REGIONS]],
    drRegion: config.drStrategy === "none" ? undefined : config.drRegion,
    hasDomain: config.domain !== undefined,
  };
}
