export { ConfigError, formatIssues, type ConfigIssue } from "./errors.js";
export { listStacks, loadStack, readStackValues, stackFile, STACKS_DIR, type LoadedStack } from "./load.js";
export { AWS_REGIONS, DATA_RESIDENCIES, RESIDENCY_REGIONS, partitionOf, type AwsRegion, type DataResidency } from "./regions.js";
export { CONFIG_NAMESPACE, fromPulumiConfigMap, resolveStackConfig, toPulumiConfigMap } from "./resolve.js";
export { DR_STRATEGIES, STACK_CONFIG_KEYS, TIERS, stackConfigSchema, type DrStrategy, type StackConfig, type Tier } from "./schema.js";
export { TIER_DEFAULTS } from "./tier-defaults.js";
