import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readlink, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { installLocalCloudPlugins } from "../../local-cloud/plugin/install.js";
import { shopctlHome, type EngineSettings, type LocalCloudSettings } from "./settings.js";

/**
 * Everything a `--local` run needs before the engine starts: its folders, the local cloud's
 * provider plugins in its own PULUMI_HOME, and a passphrase of its own (used only when the user
 * set none), so that `up --local` works on a laptop with nothing configured.
 */
export async function prepareLocalCloud(local: LocalCloudSettings, projectRoot: string): Promise<void> {
  await mkdir(local.cloudDir, { recursive: true, mode: 0o700 });
  await mkdir(local.pulumiHome, { recursive: true, mode: 0o700 });
  if (!existsSync(local.passphraseFile)) {
    // `wx`: two runs starting at once must not each write a different passphrase.
    await writeFile(local.passphraseFile, `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600, flag: "wx" }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    });
  }
  await installLocalCloudPlugins({ pulumiHome: local.pulumiHome, projectRoot });
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
