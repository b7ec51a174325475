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

/** Where the state lives and how secrets are encrypted, from the flags (or their defaults). */
export function resolveState(flags: StateFlags, env: NodeJS.ProcessEnv): Pick<EngineSettings, "backendUrl" | "backendKind" | "secretsProvider"> {
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
  };
}
