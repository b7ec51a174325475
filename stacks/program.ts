import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config/index.js";
import { platformContext } from "./platform/context.js";
import { contentDelivery, originFailover } from "./platform/edge.js";
import { stackFoundation } from "./platform/foundation.js";
import { backupPlan, opsRole } from "./platform/operations.js";
import { region } from "./platform/region.js";
import { stackOutputs, type PlatformOutputs } from "./platform/stack-outputs.js";
import { EDGE_REGION, type StackIdentity } from "./providers.js";

export type { PlatformOutputs };

/**
 * Turn a validated stack config into the platform: the primary region, the DR region when the
 * stack has a DR strategy, and the edge (CloudFront, WAF, Route 53) in us-east-1. Config is
 * resolved before this runs, so a bad config declares nothing.
 */
export function platform(config: StackConfig, identity: StackIdentity): PlatformOutputs {
  const ctx = platformContext(config, identity);
  const foundation = stackFoundation(ctx);
  // CloudFront comes before the regions: it draws the origin header their ALBs check.
  const edge = contentDelivery(ctx, foundation);
  // The ops role is each search domain's master, and its policy names every region's fleet,
  // database and secret: built after both regions, so its ARN is deferred.
  const [opsRoleArn, resolveOpsRoleArn] = pulumi.deferredOutput<string>();
  const links = { originHeader: edge.originHeader, opsRoleArn };
  const primary = region(ctx, foundation, "primary", links);
  const dr = foundation.dr ? region(ctx, foundation, "dr", links, primary) : undefined;
  edge.useAlbOrigin(primary.lb.dnsName);
  const origin = originFailover(ctx, primary, dr);
  const backup = backupPlan(ctx, foundation, primary);
  const ops = opsRole(ctx, { primary, dr }, backup, origin);
  resolveOpsRoleArn(ops.roleArn);
  return stackOutputs(ctx, { foundation, edge, primary, dr, origin, backup, ops });
}

export { EDGE_REGION };
