import * as aws from "@pulumi/aws";
import type { CollectedResource } from "../../local-cloud/index.js";

// Shared by the data components' tests: realistic providers, keys, network ids and lookups.

export const PRIMARY_REGION = "eu-west-1";
export const DR_REGION = "eu-central-1";
export const ACCOUNT = "123456789012";

export const DEFAULT_TAGS = { Project: "shop-platform", Environment: "prod", Owner: "platform-team", CostCenter: "CC-1001" };

/** The platform's two regional providers, as stacks/providers.ts declares them. */
export function regionalProviders(): { primary: aws.Provider; dr: aws.Provider } {
  return {
    primary: new aws.Provider("primary", { region: PRIMARY_REGION, defaultTags: { tags: DEFAULT_TAGS } }),
    dr: new aws.Provider("dr", { region: DR_REGION, defaultTags: { tags: DEFAULT_TAGS } }),
  };
}

export function keyArn(region: string, dataClass: string): string {
  return `arn:aws:kms:${region}:${ACCOUNT}:key/${dataClass}-0000-4000-8000-000000000000`;
}

/** What another helper's KeyRing hands over: one key per data class and region. */
export function keysIn(region: string): { database: string; secrets: string; search: string; logs: string } {
  return {
    database: keyArn(region, "database"),
    secrets: keyArn(region, "secrets"),
    search: keyArn(region, "search"),
    logs: keyArn(region, "logs"),
  };
}

export const PRIMARY_NETWORK = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  isolatedSubnetIds: ["subnet-0iso0000000000001", "subnet-0iso0000000000002", "subnet-0iso0000000000003"],
  privateSubnetIds: ["subnet-0prv0000000000001", "subnet-0prv0000000000002", "subnet-0prv0000000000003"],
  webSecurityGroupId: "sg-0web0000000000001",
};

export const DR_NETWORK = {
  vpcId: "vpc-0f1e2d3c4b5a69788",
  isolatedSubnetIds: ["subnet-0dri0000000000001", "subnet-0dri0000000000002"],
  privateSubnetIds: ["subnet-0drp0000000000001", "subnet-0drp0000000000002"],
  webSecurityGroupId: "sg-0drweb00000000001",
};

/** The resources of `type` that are children of the component named `component`. */
export function childrenOf(resources: readonly CollectedResource[], component: string, type: string): CollectedResource[] {
  const parent = resources.find((resource) => resource.name === component && !resource.custom);
  if (parent === undefined) throw new Error(`no component named ${component}`);
  return resources.filter((resource) => resource.type === type && resource.parent === parent.urn);
}

/** The one child of `type` of the component named `component`. */
export function childOf(resources: readonly CollectedResource[], component: string, type: string): CollectedResource {
  const [found, ...more] = childrenOf(resources, component, type);
  if (found === undefined || more.length > 0) throw new Error(`expected one ${type} under ${component}, found ${more.length + (found ? 1 : 0)}`);
  return found;
}

/** The provider's URN of a resource's explicit `urn::id` provider reference. */
export function providerUrn(resource: CollectedResource): string | undefined {
  return resource.provider?.split("::").slice(0, -1).join("::");
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export function parsePolicy(document: unknown): { Version: string; Statement: PolicyStatement[] } {
  if (typeof document !== "string") throw new Error(`expected a JSON policy document, found ${JSON.stringify(document)}`);
  return JSON.parse(document) as { Version: string; Statement: PolicyStatement[] };
}
