import type { CollectedResource } from "../../local-cloud/index.js";
import { STACK_TYPE, topLevelAncestor, type TreeNode } from "../engine/urns.js";

/** One resource of the offline plan, as `preview --offline --json` prints it. */
export interface PlannedResource {
  type: string;
  name: string;
  urn: string;
  /** The parent's URN; `null` only for resources whose parent is the stack's root. */
  parent: string | null;
  /**
   * The region the resource lives in; for a component, the region all its resources share, or
   * `null` when they span regions (or it has none).
   */
  region: string | null;
  /** The name of the top-level component it belongs to; `null` for what sits directly on the stack. */
  component: string | null;
  /** A cloud resource (or provider), as opposed to a component that groups them. */
  custom: boolean;
}

export interface TypeCount {
  type: string;
  count: number;
}

export interface RegionGroup {
  region: string;
  total: number;
  types: TypeCount[];
}

/** A top-level component (or the stack itself) with its cloud resources per region. */
export interface ComponentGroup {
  /** The component's name, or `stack` for providers and resources declared on the stack. */
  component: string;
  /** The component's type token, `null` for the stack group. */
  type: string | null;
  /** Cloud resources under it (components not counted). */
  total: number;
  /** Components nested under it (itself excluded). */
  components: number;
  regions: RegionGroup[];
}

export interface OfflinePlan {
  stack: string;
  resources: PlannedResource[];
  groups: ComponentGroup[];
  /** Cloud resources per region, most first. */
  regions: RegionGroup[];
}

export const STACK_GROUP = "stack";

function countTypes(resources: readonly PlannedResource[]): RegionGroup[] {
  const byRegion = new Map<string, Map<string, number>>();
  for (const resource of resources) {
    const region = resource.region ?? "global";
    const types = byRegion.get(region) ?? new Map<string, number>();
    byRegion.set(region, types);
    types.set(resource.type, (types.get(resource.type) ?? 0) + 1);
  }
  return [...byRegion.entries()]
    .map(([region, types]) => ({
      region,
      total: [...types.values()].reduce((sum, count) => sum + count, 0),
      types: [...types.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    }))
    .sort((a, b) => b.total - a.total || a.region.localeCompare(b.region));
}

/** Regions of components, bottom-up: the one region all their cloud resources share. */
function componentRegions(resources: readonly CollectedResource[]): Map<string, string | null> {
  const parents = new Map(resources.map((resource) => [resource.urn, resource.parent]));
  const regions = new Map<string, Set<string>>();
  for (const resource of resources) {
    if (!resource.custom || resource.region === undefined) continue;
    let parent = resource.parent;
    const seen = new Set<string>();
    while (parent !== undefined && !seen.has(parent)) {
      seen.add(parent);
      const set = regions.get(parent) ?? new Set<string>();
      set.add(resource.region);
      regions.set(parent, set);
      parent = parents.get(parent);
    }
  }
  return new Map([...regions.entries()].map(([urn, set]) => [urn, set.size === 1 ? [...set][0] ?? null : null]));
}

/**
 * The plan of a stack run under the mock cloud, grouped by top-level component (found through
 * each resource's parent chain) and region. Nothing here knows today's components, so the plan
 * grows with the program.
 */
export function planFrom(stack: string, collected: readonly CollectedResource[]): OfflinePlan {
  const tree = new Map<string, TreeNode>(collected.map((resource) => [resource.urn, { type: resource.type, parent: resource.parent }]));
  const byUrn = new Map(collected.map((resource) => [resource.urn, resource]));
  const derived = componentRegions(collected);
  const isComponent = (urn: string) => byUrn.get(urn)?.custom === false;

  const resources: PlannedResource[] = collected
    .filter((resource) => resource.type !== STACK_TYPE)
    .map((resource) => {
      const top = topLevelAncestor(resource.urn, tree, isComponent);
      const parent = resource.parent === undefined || byUrn.get(resource.parent)?.type === STACK_TYPE ? null : resource.parent;
      return {
        type: resource.type,
        name: resource.name,
        urn: resource.urn,
        parent,
        region: resource.region ?? derived.get(resource.urn) ?? null,
        component: top === undefined ? null : byUrn.get(top)?.name ?? null,
        custom: resource.custom,
      };
    });

  const groupKeys = new Map<string, { component: string; type: string | null; members: PlannedResource[] }>();
  for (const resource of resources) {
    const top = topLevelAncestor(resource.urn, tree, isComponent);
    const key = top ?? STACK_GROUP;
    const group = groupKeys.get(key) ?? {
      component: top === undefined ? STACK_GROUP : byUrn.get(top)?.name ?? top,
      type: top === undefined ? null : byUrn.get(top)?.type ?? null,
      members: [],
    };
    groupKeys.set(key, group);
    if (resource.urn !== top) group.members.push(resource);
  }

  const groups: ComponentGroup[] = [...groupKeys.values()]
    .map(({ component, type, members }) => {
      const cloud = members.filter((member) => member.custom);
      return { component, type, total: cloud.length, components: members.length - cloud.length, regions: countTypes(cloud) };
    })
    .sort((a, b) => (a.type === null ? -1 : b.type === null ? 1 : a.component.localeCompare(b.component)));

  return { stack, resources, groups, regions: countTypes(resources.filter((resource) => resource.custom)) };
}
