import { readdir } from "node:fs/promises";
import path from "node:path";
import { build, type Metafile } from "esbuild";

const TARGET = "node20";

/** `@aws-sdk/client-ssm/sub/path` -> `@aws-sdk/client-ssm`; `node:fs` and relative paths -> undefined. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The packages a bundle imports at run time (esbuild left them external). */
export function externalPackages(metafile: Metafile): string[] {
  const names = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external !== true) continue;
      const name = packageName(imported.path);
      if (name !== undefined) names.add(name);
    }
  }
  return [...names].sort();
}

/**
 * The server as one ES module (server.js) with a linked source map; packages stay external and
 * ship in node_modules. esbuild's output is a pure function of its input, so the same sources
 * give the same bytes.
 */
export async function bundleServer(entry: string, outDir: string, root: string): Promise<string[]> {
  const result = await build({
    entryPoints: [entry],
    outfile: path.join(outDir, "server.js"),
    bundle: true,
    packages: "external",
    platform: "node",
    target: TARGET,
    format: "esm",
    sourcemap: "linked",
    sourceRoot: "",
    absWorkingDir: root,
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
  });
  return externalPackages(result.metafile);
}

/** Each migration compiled to an ES module of its own (node-pg-migrate loads them one by one). */
export async function compileMigrations(migrationsDir: string, outDir: string, root: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((file) => file.endsWith(".ts")).sort();
  const result = await build({
    entryPoints: files.map((file) => path.join(migrationsDir, file)),
    outdir: path.join(outDir, "migrations"),
    bundle: true,
    packages: "external",
    platform: "node",
    target: TARGET,
    format: "esm",
    absWorkingDir: root,
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
  });
  return externalPackages(result.metafile);
}
