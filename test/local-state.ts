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

/** `pulumi stack export` of a `--local` stack, run with the engine this project builds. */
export async function exportLocalStack(root: string, shopctlHome: string, stack: string): Promise<unknown> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const run = promisify(execFile);
  const { stdout: binDir } = await run("bash", [path.join(root, "scripts", "pulumi-engine.sh"), "path"]);
  const local = path.join(shopctlHome, "local");
  const { stdout } = await run(path.join(binDir.trim(), "pulumi"), ["stack", "export", "--stack", stack, "--non-interactive"], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      PULUMI_HOME: path.join(local, "pulumi-home"),
      PULUMI_BACKEND_URL: `file://${path.join(local, "state")}`,
      PULUMI_CONFIG_PASSPHRASE_FILE: path.join(local, "passphrase"),
      PULUMI_SKIP_UPDATE_CHECK: "true",
    },
  });
  return JSON.parse(stdout) as unknown;
}
