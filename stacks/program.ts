import type { StackConfig } from "./config/index.js";
import { createProviders, type StackIdentity } from "./providers.js";

/** What the program exports; the CLI reads it back as the stack's outputs. */
export interface PlatformOutputs {
  tier: StackConfig["tier"];
  primaryRegion: string;
  /** Absent when the stack has no DR strategy. */
  drRegion?: string;
  drStrategy: StackConfig["drStrategy"];
}

/**
 * Turn a validated stack config into the platform. Config is resolved before this runs, so a
 * bad config declares nothing.
 */
export function platform(config: StackConfig, identity: StackIdentity): PlatformOutputs {
  const providers = createProviders(config, identity);
  return {
    tier: config.tier,
    primaryRegion: config.primaryRegion,
    drStrategy: config.drStrategy,
    ...(providers.dr && config.drRegion ? { drRegion: config.drRegion } : {}),
  };
}
