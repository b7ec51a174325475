import { readFileSync } from "node:fs";
import { join } from "node:path";

// The packages the local cloud serves as provider plugins. The engine asks for the plugin whose
// version the program's SDK package declares, so versions come from the installed SDK packages.

export const PLUGIN_PACKAGES = ["aws", "awsx"] as const;
export type PluginPackage = (typeof PLUGIN_PACKAGES)[number];

export function isPluginPackage(value: string | undefined): value is PluginPackage {
  return PLUGIN_PACKAGES.some((pkg) => pkg === value);
}

/** The version of `@pulumi/<pkg>` installed in `projectRoot`'s node_modules (`pulumi`: the core SDK). */
export function sdkVersionOf(pkg: PluginPackage | "pulumi", projectRoot: string): string {
  const manifest = join(projectRoot, "node_modules", "@pulumi", pkg, "package.json");
  let text: string;
  try {
    text = readFileSync(manifest, "utf8");
  } catch {
    throw new Error(`${manifest} is missing: install the project's dependencies (npm ci) in ${projectRoot}.`);
  }
  const parsed: unknown = JSON.parse(text);
  const version = typeof parsed === "object" && parsed !== null && "version" in parsed ? parsed.version : undefined;
  if (typeof version !== "string" || version === "") throw new Error(`${manifest} has no version.`);
  return version;
}
