/** Pieces of a Pulumi URN: `urn:pulumi:<stack>::<project>::<parent$...$type>::<name>`. */
export interface UrnParts {
  stack: string;
  project: string;
  /** The resource's own type (the last `$` segment). */
  type: string;
  /** The types of its ancestors, outermost first, as the URN chains them. */
  parentTypes: string[];
  name: string;
}

export const STACK_TYPE = "pulumi:pulumi:Stack";

export function parseUrn(urn: string): UrnParts | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0]?.startsWith("urn:pulumi:")) return undefined;
  const chain = (parts[2] ?? "").split("$");
  const type = chain.pop() ?? "";
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1] ?? "",
    type,
    parentTypes: chain,
    name: parts.slice(3).join("::"),
  };
}

export function urnName(urn: string): string {
  return parseUrn(urn)?.name ?? urn;
}

export function urnType(urn: string): string {
  return parseUrn(urn)?.type ?? "";
}

/** A resource's place in the tree: its type and parent. */
export interface TreeNode {
  type: string;
  parent: string | undefined;
}

/**
 * The top-level component a resource belongs to: walk the parents up to the one whose parent is
 * the stack. `undefined` for the stack itself and for resources declared directly on the stack
 * that are not components (providers, stray resources).
 */
export function topLevelAncestor(urn: string, tree: ReadonlyMap<string, TreeNode>, isComponent: (urn: string) => boolean): string | undefined {
  let current = urn;
  const seen = new Set<string>();
  for (;;) {
    if (seen.has(current)) return undefined;
    seen.add(current);
    const node = tree.get(current);
    const type = node?.type ?? urnType(current);
    if (type === STACK_TYPE) return undefined;
    const parent = node?.parent;
    const parentType = parent === undefined ? undefined : tree.get(parent)?.type ?? urnType(parent);
    if (parent === undefined || parentType === STACK_TYPE) return isComponent(current) ? current : undefined;
    current = parent;
  }
}
