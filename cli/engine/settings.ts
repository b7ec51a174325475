import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";
import { UsageError } from "../exit-codes.js";

/** Where the state lives and how its secrets are encrypted: `--backend`, `--secrets-provider`. */
export interface StateFlags {
  backend?: string;
  secretsProvider?: string;
  /** `--local`: the real Pulumi engine against the local cloud, with state of its own. */
  local?: boolean;
}

/** Where a `--local` run keeps everything: never a real backend, never the user's ~/.pulumi. */
export interface LocalCloudSettings {
  /** `$SHOPCTL_HOME/local`. */
  home: string;
  /** The file backend's folder: `$SHOPCTL_HOME/local/state`. */
  stateDir: string;
  /** PULUMI_HOME of local runs: the local cloud's provider plugins live here. */
  pulumiHome: string;
  /** The local cloud's own record of the resources it holds (SHOP_LOCAL_CLOUD_DIR of the plugins). */
  cloudDir: string;
  /** The passphrase used when PULUMI_CONFIG_PASSPHRASE(_FILE) is not set: made once, mode 0600. */
  passphraseFile: string;
  /**
   * The project folder the engine runs in: a mirror of the repository (links to its files) whose
   * `stacks/` holds copies of the stack files. Pulumi writes the passphrase's salt into the stack
   * file of the project it runs, so the local salt lands here and never in the repository.
   */
  workDir: string;
  /** The copy of the validated stack file, in the mirror's stack config folder. */
  stackFile: string;
}

export type BackendKind = "file" | "s3" | "cloud" | "bucket";

/** Everything the engine adapter needs to run one stack; built without importing Pulumi. */
export interface EngineSettings {
  stack: string;
  /** Pulumi.yaml `name`. */
  project: string;
  /** The folder holding Pulumi.yaml: the workspace's workDir (the program is `main` there). */
  projectRoot: string;
  /** Absolute path of Pulumi.yaml `stackConfigDir`, where Pulumi looks for Pulumi.<stack>.yaml. */
  stackConfigDir: string;
  /** The stack file shopctl validated; passed to Pulumi as --config-file when it lives elsewhere. */
  stackFile: string;
  backendUrl: string;
  backendKind: BackendKind;
  /** `undefined` means the backend's own default (Pulumi Cloud's service-managed keys). */
  secretsProvider: string | undefined;
  /** The CrossGuard policy pack folder attached to preview and up. */
  policyPackDir: string;
  /** The stack's policy pack config (as `shopctl policy config` prints it), passed to the engine's pack. */
  policyConfig?: Readonly<Record<string, unknown>>;
  /** Set for `--local`: the engine runs against the local cloud. */
  local?: LocalCloudSettings;
}

/** `$SHOPCTL_HOME`, else `~/.shopctl`: the local state and nothing else. */
export function shopctlHome(env: NodeJS.ProcessEnv): string {
  const configured = env.SHOPCTL_HOME?.trim();
  return configured ? path.resolve(configured) : path.join(homedir(), ".shopctl");
}

/** Pulumi's local file backend under shopctl's home: one machine needs nothing else. */
export function defaultBackendUrl(env: NodeJS.ProcessEnv): string {
  return pathToFileURL(path.join(shopctlHome(env), "state")).href;
}

export function backendKind(url: string): BackendKind {
  if (url.startsWith("file://")) return "file";
  if (url.startsWith("s3://")) return "s3";
  if (url.startsWith("gs://") || url.startsWith("azblob://")) return "bucket";
  // Pulumi Cloud, or a self-hosted Pulumi service.
  if (/^https:\/\/[^/\s]+/.test(url)) return "cloud";
  throw new UsageError(
    `--backend ${url}: expected file://PATH (a local folder), s3://BUCKET[/PREFIX][?region=REGION], gs://, azblob://, or https://api.pulumi.com (Pulumi Cloud)`,
  );
}

/** The folder behind a `file://` backend URL (`file://~/x` is Pulumi's shorthand for the home folder). */
export function fileBackendPath(url: string): string {
  const rest = url.slice("file://".length);
  if (rest === "~" || rest.startsWith("~/")) return path.join(homedir(), rest.slice(1));
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return rest;
  }
}

/** The bucket, prefix and region of an `s3://bucket/prefix?region=…` backend. */
export function s3Backend(url: string): { bucket: string; prefix: string; region: string | undefined } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--backend ${url}: expected s3://BUCKET[/PREFIX][?region=REGION]`);
  }
  if (parsed.hostname === "") throw new UsageError(`--backend ${url}: expected s3://BUCKET[/PREFIX][?region=REGION]`);
  return { bucket: parsed.hostname, prefix: parsed.pathname.replace(/^\/+/, ""), region: parsed.searchParams.get("region") ?? undefined };
}

const SECRETS_PROVIDER = /^(passphrase|default|awskms:\/\/\S+|gcpkms:\/\/\S+|azurekeyvault:\/\/\S+|hashivault:\/\/\S+)$/;

/** `passphrase` by default; Pulumi Cloud keeps its own service-managed keys unless told otherwise. */
export function resolveSecretsProvider(flag: string | undefined, kind: BackendKind): string | undefined {
  const value = flag?.trim();
  if (value === undefined || value === "") return kind === "cloud" ? undefined : "passphrase";
  if (!SECRETS_PROVIDER.test(value)) {
    throw new UsageError(`--secrets-provider ${value}: expected passphrase, awskms://KEY_ID_OR_ALIAS?region=REGION (teams), gcpkms://, azurekeyvault://, hashivault:// or default (Pulumi Cloud only)`);
  }
  if (value === "default" && kind !== "cloud") {
    throw new UsageError("--secrets-provider default: only Pulumi Cloud has service-managed keys; use passphrase or awskms://… with this backend");
  }
  return value === "default" ? undefined : value;
}

interface ProjectFile {
  name: string;
  stackConfigDir: string;
}

/** Name and stack config folder from Pulumi.yaml, read as Pulumi reads it. */
export function readProjectFile(projectRoot: string): ProjectFile {
  const file = path.join(projectRoot, "Pulumi.yaml");
  const document: unknown = parseYaml(readFileSync(file, "utf8"));
  const record = typeof document === "object" && document !== null ? (document as Record<string, unknown>) : {};
  const { name, stackConfigDir } = record;
  if (typeof name !== "string" || name === "") throw new UsageError(`${file} has no project name`);
  return { name, stackConfigDir: typeof stackConfigDir === "string" ? stackConfigDir : "." };
}

/** The local cloud's folders under `$SHOPCTL_HOME/local`. */
export function localCloudSettings(env: NodeJS.ProcessEnv, stack = "stack", stackConfigDir = "stacks"): LocalCloudSettings {
  const home = path.join(shopctlHome(env), "local");
  return {
    home,
    stateDir: path.join(home, "state"),
    pulumiHome: path.join(home, "pulumi-home"),
    cloudDir: path.join(home, "cloud"),
    passphraseFile: path.join(home, "passphrase"),
    workDir: path.join(home, "workspace"),
    stackFile: path.join(home, "workspace", stackConfigDir, `Pulumi.${stack}.yaml`),
  };
}

/**
 * `--local` keeps its state in `$SHOPCTL_HOME/local/state`, a backend of its own that a real
 * deploy never reads: mixing it with `--backend` or a cloud KMS key would blur exactly that line.
 */
function resolveLocalState(flags: StateFlags, env: NodeJS.ProcessEnv): Pick<EngineSettings, "backendUrl" | "backendKind" | "secretsProvider"> {
  if (flags.backend?.trim()) {
    throw new UsageError(`--local keeps its state in a backend of its own (${localCloudSettings(env).stateDir}); it cannot be combined with --backend ${flags.backend.trim()} (or $SHOPCTL_BACKEND): drop one of them`);
  }
  const provider = flags.secretsProvider?.trim();
  if (provider && provider !== "passphrase") {
    throw new UsageError(`--local encrypts its secrets with a passphrase; --secrets-provider ${provider} (or $SHOPCTL_SECRETS_PROVIDER) needs a real cloud: drop it`);
  }
  return { backendUrl: pathToFileURL(localCloudSettings(env).stateDir).href, backendKind: "file", secretsProvider: "passphrase" };
}

/** Where the state lives and how secrets are encrypted, from the flags (or their defaults). */
export function resolveState(flags: StateFlags, env: NodeJS.ProcessEnv): Pick<EngineSettings, "backendUrl" | "backendKind" | "secretsProvider"> {
  if (flags.local === true) return resolveLocalState(flags, env);
  const backendUrl = flags.backend?.trim() || defaultBackendUrl(env);
  const kind = backendKind(backendUrl);
  if (kind === "s3") s3Backend(backendUrl);
  return { backendUrl, backendKind: kind, secretsProvider: resolveSecretsProvider(flags.secretsProvider, kind) };
}

export function resolveEngineSettings(input: {
  stack: string;
  stackFile: string;
  projectRoot: string;
  flags: StateFlags;
  env: NodeJS.ProcessEnv;
}): EngineSettings {
  const project = readProjectFile(input.projectRoot);
  return {
    stack: input.stack,
    project: project.name,
    projectRoot: input.projectRoot,
    stackConfigDir: path.resolve(input.projectRoot, project.stackConfigDir),
    stackFile: path.resolve(input.stackFile),
    ...resolveState(input.flags, input.env),
    policyPackDir: path.join(input.projectRoot, "policies"),
    ...(input.flags.local === true ? { local: localCloudSettings(input.env, input.stack, project.stackConfigDir) } : {}),
  };
}
