import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { installLocalCloudPlugins } from "../../local-cloud/plugin/install.js";
import { shopctlHome, type EngineSettings, type LocalCloudSettings } from "./settings.js";

/**
 * Everything a `--local` run needs before the engine starts: its folders, the local cloud's
 * provider plugins in its own PULUMI_HOME, and a passphrase of its own (used only when the user
 * set none), so that `up --local` works on a laptop with nothing configured.
 */
export async function prepareLocalCloud(local: LocalCloudSettings, projectRoot: string, stackFile: string): Promise<void> {
  await mirrorProject(projectRoot, local.workDir, path.relative(local.workDir, path.dirname(local.stackFile)));
  await syncLocalStackFile(stackFile, local.stackFile);
  await mkdir(local.cloudDir, { recursive: true, mode: 0o700 });
  await mkdir(local.stateDir, { recursive: true, mode: 0o700 });
  await mkdir(local.pulumiHome, { recursive: true, mode: 0o700 });
  if (!existsSync(local.passphraseFile)) {
    // `wx`: two runs starting at once must not each write a different passphrase.
    await writeFile(local.passphraseFile, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
  }
  await installLocalCloudPlugins({ pulumiHome: local.pulumiHome, projectRoot });
}

/** Entries of the repository a program run never needs; the rest is linked. */
const NOT_MIRRORED = new Set([".git", ".data"]);

/**
 * The project folder of a `--local` run: a link to every entry of the repository, except the
 * stack config folder, which is a folder of its own linking every entry but the stack files. Node
 * resolves the links to the real files, so the program, tsx and node_modules are the repository's.
 */
export async function mirrorProject(projectRoot: string, mirror: string, stackConfigDir: string): Promise<void> {
  // Each folder on the way to the stack config folder is real; everything beside it is a link.
  const [first, ...rest] = path.normalize(stackConfigDir).split(path.sep).filter((segment) => segment !== "" && segment !== ".");
  if (first === undefined) {
    await linkEntries(projectRoot, mirror, (name) => !NOT_MIRRORED.has(name) && !/^Pulumi\..+\.ya?ml$/.test(name));
    return;
  }
  await linkEntries(projectRoot, mirror, (name) => !NOT_MIRRORED.has(name) && name !== first);
  await mirrorProject(path.join(projectRoot, first), path.join(mirror, first), rest.join(path.sep));
}

async function linkEntries(source: string, target: string, wanted: (name: string) => boolean): Promise<void> {
  await mkdir(target, { recursive: true, mode: 0o700 });
  for (const name of (await readdir(source)).filter(wanted)) {
    const link = path.join(target, name);
    const destination = path.join(source, name);
    if ((await readlink(link).catch(() => undefined)) === destination) continue;
    await rm(link, { force: true });
    await symlink(destination, link);
  }
}

/** Keys of a stack file that belong to the state it encrypts for, not to the stack's config. */
const ENCRYPTION_KEYS = ["encryptionsalt", "encryptedkey", "secretsprovider"] as const;

/**
 * The engine writes the passphrase's salt into the stack file it reads. A `--local` run reads a
 * copy in its mirror of the project, refreshed from the validated file on every run: the
 * repository's file keeps the real backend's salt (or none), the copy keeps the local one. When
 * the repository's file has a salt of its own (it holds `secure:` values), the copy uses it, so
 * those values decrypt with the same passphrase.
 */
export async function syncLocalStackFile(source: string, copy: string): Promise<void> {
  const document = asRecord(parseYaml(await readFile(source, "utf8")));
  const previous = existsSync(copy) ? asRecord(parseYaml(await readFile(copy, "utf8"))) : {};
  const ownEncryption = ENCRYPTION_KEYS.some((key) => document[key] !== undefined);
  const merged: Record<string, unknown> = { ...document };
  if (!ownEncryption) for (const key of ENCRYPTION_KEYS) if (previous[key] !== undefined) merged[key] = previous[key];
  await mkdir(path.dirname(copy), { recursive: true, mode: 0o700 });
  await writeFile(copy, stringifyYaml(merged));
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * The Automation API runs `<root>/bin/pulumi`. An engine already laid out that way is used in
 * place; any other (`$SHOPCTL_PULUMI=/opt/x/pulumi-3.248`) gets a `bin/pulumi` symlink under
 * shopctl's home. The engine follows the link to find its language host beside the real file.
 */
export async function engineRoot(pulumiPath: string, settings: Pick<EngineSettings, "local">, home = shopctlEngineDir(settings)): Promise<string> {
  if (path.basename(pulumiPath) === "pulumi" && path.basename(path.dirname(pulumiPath)) === "bin") return path.dirname(path.dirname(pulumiPath));
  const link = path.join(home, "bin", "pulumi");
  const current = await readlink(link).catch(() => undefined);
  if (current !== pulumiPath) {
    await mkdir(path.dirname(link), { recursive: true });
    await rm(link, { force: true });
    await symlink(pulumiPath, link);
  }
  return home;
}

function shopctlEngineDir(settings: Pick<EngineSettings, "local">): string {
  return path.join(settings.local?.home ?? shopctlHome(process.env), "engine");
}
