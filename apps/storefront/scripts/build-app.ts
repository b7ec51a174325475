// `npm run build:app`: the storefront artifact that the WebTier component ships to S3 and the
// instances run (components/web-tier/user-data.ts): a .tar.gz with server.js at its root, the
// compiled migrations, node_modules with every runtime package, and the RDS CA bundle when
// apps/storefront/certs/rds-global-bundle.pem exists. The same sources give the same bytes, so
// its SHA-256 (printed, and written beside it) changes exactly when the app does, and a new
// object version rolls the fleet through instance refresh.
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeArchive } from "./artifact/archive.js";
import { bundleServer, compileMigrations } from "./artifact/bundle.js";
import { copyPackages, dependencyClosure } from "./artifact/dependencies.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const APP = path.join(ROOT, "apps", "storefront");
const CA_BUNDLE = path.join(APP, "certs", "rds-global-bundle.pem");

export interface BuildResult {
  file: string;
  sha256: string;
  bytes: number;
  packages: number;
  rdsCaBundle: boolean;
}

export async function buildArtifact(out: string, log: (line: string) => void = () => undefined): Promise<BuildResult> {
  const stage = await mkdtemp(path.join(os.tmpdir(), "storefront-artifact-"));
  try {
    const serverPackages = await bundleServer(path.join(APP, "src", "server.ts"), stage, ROOT);
    const migrationPackages = await compileMigrations(path.join(APP, "migrations"), stage, ROOT);
    const roots = [...new Set([...serverPackages, ...migrationPackages])].sort();
    const packages = await dependencyClosure(roots, ROOT);
    await copyPackages(packages, ROOT, stage);
    log(`bundled server.js; ${packages.length} packages for ${roots.join(", ")}`);

    const rootManifest = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version?: string; dependencies?: Record<string, string> };
    const direct = Object.fromEntries(roots.map((name) => [name, packages.find((item) => item.dir === path.join("node_modules", name))?.version ?? rootManifest.dependencies?.[name] ?? "*"]));
    // "type": "module": server.js and the migrations are ES modules.
    await writeFile(path.join(stage, "package.json"), `${JSON.stringify({ name: "storefront", version: rootManifest.version ?? "0.0.0", private: true, type: "module", main: "server.js", engines: { node: ">=20.19" }, dependencies: direct }, null, 2)}\n`);

    const rdsCaBundle = existsSync(CA_BUNDLE);
    if (rdsCaBundle) {
      await mkdir(path.join(stage, "certs"));
      await copyFile(CA_BUNDLE, path.join(stage, "certs", "rds-global-bundle.pem"));
    } else {
      log(`WARNING: ${path.relative(ROOT, CA_BUNDLE)} is missing, so the artifact has no RDS CA bundle: with DATABASE_TLS=verify-full (the default) the app refuses to start unless DATABASE_CA_FILE names one. Fetch https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem to that path and rebuild.`);
    }

    await mkdir(path.dirname(out), { recursive: true });
    const { sha256, bytes } = await writeArchive(stage, out);
    await writeFile(`${out}.sha256`, `${sha256}  ${path.basename(out)}\n`);
    return { file: out, sha256, bytes, packages: packages.length, rdsCaBundle };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string" }, json: { type: "boolean", default: false } } });
  const out = path.resolve(values.out ?? path.join(ROOT, "dist", "storefront", "storefront.tar.gz"));
  const result = await buildArtifact(out, (line) => process.stderr.write(`${line}\n`));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(`${path.relative(process.cwd(), result.file)}  ${(result.bytes / 1_048_576).toFixed(1)} MiB  sha256 ${result.sha256}\n`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`build:app failed: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
