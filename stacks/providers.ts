import * as aws from "@pulumi/aws";
import { EDGE_REGION } from "../components/common/edge-region.js";
import type { StackConfig } from "./config/index.js";

export { EDGE_REGION };

export interface PlatformProviders {
  primary: aws.Provider;
  /** Present when the stack has a DR strategy. */
  dr: aws.Provider | undefined;
  edge: aws.Provider;
}

export interface StackIdentity {
  project: string;
  stack: string;
}

/** Tags every taggable resource carries, through the providers' defaultTags. */
export function platformTags(config: StackConfig, identity: StackIdentity): Record<string, string> {
  return {
    Project: identity.project,
    Environment: identity.stack,
    Tier: config.tier,
    Owner: config.tags.owner,
    CostCenter: config.tags.costCenter,
  };
}

export function createProviders(config: StackConfig, identity: StackIdentity): PlatformProviders {
  const tags = platformTags(config, identity);
  const provider = (name: string, region: string) =>
    new aws.Provider(name, { region, defaultTags: { tags } });
  return {
    primary: provider("primary", config.primaryRegion),
    dr: config.drStrategy !== "none" && config.drRegion ? provider("dr", config.drRegion) : undefined,
    edge: provider("edge", EDGE_REGION),
  };
}
