import { existsSync } from "node:fs";
import { cp, readFile } from "node:fs/promises";
import path from "node:path";

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export interface ResolvedPackage {
  name: string;
  version: string;
  /** The package's folder, relative to the repository root (`node_modules/pg`, `node_modules/a/node_modules/b`). */
  dir: string;
}

async function readPackageJson(dir: string): Promise<PackageJson> {
  return JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as PackageJson;
}

/** Node's lookup: node_modules/<name> in `from` and each folder above it, up to `root`. */
function resolvePackageDir(name: string, from: string, root: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (dir === root) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Every installed package `roots` need at run time: their dependencies, optional dependencies
 * that are installed, and installed peer dependencies, resolved the way Node resolves them.
 */
export async function dependencyClosure(roots: readonly string[], root: string): Promise<ResolvedPackage[]> {
  const found = new Map<string, ResolvedPackage>();
  const visit = async (name: string, from: string, required: boolean): Promise<void> => {
    const dir = resolvePackageDir(name, from, root);
    if (dir === undefined) {
      if (required) throw new Error(`the artifact needs ${name} (from ${path.relative(root, from) || "the app"}), which is not installed: run npm ci`);
      return;
    }
    const relative = path.relative(root, dir);
    if (found.has(relative)) return;
    const manifest = await readPackageJson(dir);
    found.set(relative, { name, version: manifest.version ?? "0.0.0", dir: relative });
    for (const dependency of Object.keys(manifest.dependencies ?? {})) await visit(dependency, dir, true);
    for (const dependency of Object.keys(manifest.optionalDependencies ?? {})) await visit(dependency, dir, false);
    for (const dependency of Object.keys(manifest.peerDependencies ?? {})) await visit(dependency, dir, false);
  };
  for (const name of roots) await visit(name, root, true);
  return [...found.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}

/** Not needed to run: type declarations, source maps, TypeScript sources, nested installs (copied on their own). */
const SKIPPED = /(\.d\.[cm]?ts|\.map|(?<!\.d)\.[cm]?ts)$/;

export function shipsFile(relativePath: string): boolean {
  const parts = relativePath.split(path.sep);
  if (parts.includes("node_modules") || parts.includes(".github")) return false;
  return !SKIPPED.test(relativePath);
}

/** Copies each package into `stage` at the same relative path, without what it does not need to run. */
export async function copyPackages(packages: readonly ResolvedPackage[], root: string, stage: string): Promise<void> {
  for (const item of packages) {
    const source = path.join(root, item.dir);
    await cp(source, path.join(stage, item.dir), {
      recursive: true,
      dereference: true,
      filter: (file) => file === source || shipsFile(path.relative(source, file)),
    });
  }
}
