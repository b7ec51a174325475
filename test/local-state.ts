// Reading what a `--local` run left in its file backend, for the engine tests.
import { readFile } from "node:fs/promises";
import path from "node:path";

export interface StateResource {
  urn: string;
  type: string;
  name: string;
  parent: string | undefined;
  outputs: Record<string, unknown>;
}

/** The file backend keeps a project's stack at `.pulumi/stacks/<project>/<stack>.json`. */
export function localStateFile(shopctlHome: string, stack: string, project = "shop-platform"): string {
  return path.join(shopctlHome, "local", "state", ".pulumi", "stacks", project, `${stack}.json`);
}

/** The checkpoint as `pulumi stack export` would print it (`{ version, deployment }`). */
export async function readLocalState(shopctlHome: string, stack: string): Promise<{ version: number; deployment: { resources?: unknown[] } }> {
  const checkpoint = JSON.parse(await readFile(localStateFile(shopctlHome, stack), "utf8")) as { version: number; checkpoint: { latest?: { resources?: unknown[] } } };
  return { version: 3, deployment: { ...(checkpoint.checkpoint.latest ?? {}), resources: checkpoint.checkpoint.latest?.resources ?? [] } };
}

/** Every resource of the deployment but the providers (the engine's bookkeeping, not the platform). */
export function stateResources(exported: { deployment: { resources?: unknown[] } }): StateResource[] {
  return (exported.deployment.resources ?? [])
    .map((raw) => raw as { urn: string; type: string; parent?: string; outputs?: Record<string, unknown> })
    .filter((resource) => !resource.type.startsWith("pulumi:providers:"))
    .map((resource) => ({ urn: resource.urn, type: resource.type, name: resource.urn.split("::").at(-1) ?? "", parent: resource.parent, outputs: resource.outputs ?? {} }));
}

/** The resources awsx's Vpc declares under itself: what the mocks never see. */
export function vpcChildren(resources: readonly StateResource[]): StateResource[] {
  const byUrn = new Map(resources.map((resource) => [resource.urn, resource]));
  const underVpc = (resource: StateResource): boolean => {
    const parent = resource.parent === undefined ? undefined : byUrn.get(resource.parent);
    return parent !== undefined && (parent.type === "awsx:ec2:Vpc" || underVpc(parent));
  };
  return resources.filter(underVpc);
}
