import { constants } from "node:fs";
import { access, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { minVersion, Range, satisfies } from "semver";
import { projectRoot } from "../../stacks/project-root.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { fileBackendPath, s3Backend, type EngineSettings, type LocalCloudSettings } from "../engine/settings.js";
import { ENGINE_INSTALL_HINT, type EngineSource } from "../engine/locate.js";
import { sdkVersionOf } from "../../local-cloud/plugin/plugin-packages.js";
import { detectPulumi, MIN_PULUMI_VERSION, versionAtLeast } from "./pulumi-cli.js";

export type CheckStatus = "ok" | "warn" | "fail" | "skip";
export type CheckId = "node" | "pulumi" | "local-cloud" | "backend" | "secrets" | "aws-credentials" | "region";

export interface CheckResult {
  id: CheckId;
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a failing (or warning) check. */
  fix?: string;
}

export interface DoctorInput {
  env: NodeJS.ProcessEnv;
  settings: Pick<EngineSettings, "backendUrl" | "backendKind" | "secretsProvider" | "local">;
  /** The stack's regions (primary, DR, edge) when a stack was named; `undefined` skips the region check. */
  regions: readonly string[] | undefined;
  /** The region for STS and the backend bucket when nothing more specific is known. */
  homeRegion: string;
  /** Which checks to run (all by default): preflights of read-only commands need fewer. */
  only?: readonly CheckId[];
}

const ok = (id: CheckId, name: string, detail: string): CheckResult => ({ id, name, status: "ok", detail });
const fail = (id: CheckId, name: string, detail: string, fix: string): CheckResult => ({ id, name, status: "fail", detail, fix });

/** What package.json asks of Node.js when it says nothing (`engines.node` absent). */
const DEFAULT_NODE_RANGE = ">=20.19";

/**
 * `engines.node` as a semver range (`>=20.19`, `^20.19 || >=22`); a range semver cannot read is
 * an error naming it, rather than a guess at a minimum.
 */
export function nodeEngineRange(text: string | undefined): Range {
  try {
    return new Range(text ?? DEFAULT_NODE_RANGE);
  } catch {
    throw new Error(`package.json's engines.node "${text ?? ""}" is not a semver range (such as ">=20.19" or "^20.19 || >=22")`);
  }
}

async function nodeEngines(): Promise<string | undefined> {
  const manifest = JSON.parse(await readFile(path.join(projectRoot(), "package.json"), "utf8")) as { engines?: { node?: string } };
  return manifest.engines?.node;
}

/** This Node.js (or `version`) against `engines` (package.json's `engines.node` by default). */
export async function checkNode(version = process.versions.node, engines?: string): Promise<CheckResult> {
  const wanted = engines ?? await nodeEngines();
  let range: Range;
  try {
    range = nodeEngineRange(wanted);
  } catch (error) {
    return fail("node", "Node.js", (error as Error).message, "fix engines.node in package.json");
  }
  // A nightly or release candidate counts as its version: Node's own prereleases are not older releases.
  if (satisfies(version, range, { includePrerelease: true })) return ok("node", "Node.js", `v${version} (needs ${range.raw})`);
  const major = minVersion(range)?.major ?? 20;
  return fail("node", "Node.js", `v${version} does not satisfy ${range.raw}`, `install a Node.js that satisfies ${range.raw} (e.g. \`nvm install ${major}\`)`);
}

const SOURCE_NOTE: Record<EngineSource, string> = { SHOPCTL_PULUMI: " ($SHOPCTL_PULUMI)", PATH: "", project: " (built by scripts/pulumi-engine.sh)" };

/**
 * The Pulumi CLI and, for `--local`, what the local cloud needs of it: its Node.js language host
 * (which runs the program and the policy pack) and a version at least the SDK's, as Pulumi asks.
 */
export async function checkPulumi(env: NodeJS.ProcessEnv, options: { local?: boolean; root?: string } = {}): Promise<CheckResult> {
  const cli = await detectPulumi(env, options.root);
  if (!cli.found) return fail("pulumi", "Pulumi CLI", cli.reason, cli.hint);
  const where = `v${cli.version} at ${cli.path}${SOURCE_NOTE[cli.source]}`;
  if (cli.tooOld) {
    return fail("pulumi", "Pulumi CLI", `v${cli.version} at ${cli.path} is older than ${MIN_PULUMI_VERSION}`, "upgrade it: `curl -fsSL https://get.pulumi.com | sh` (or `brew upgrade pulumi`)");
  }
  const host = cli.languageHost === undefined ? "no Node.js language host found" : `language host ${cli.languageHost}`;
  if (options.local !== true) return ok("pulumi", "Pulumi CLI", `${where}; ${host}`);
  const root = options.root ?? projectRoot();
  let sdk: string;
  try {
    sdk = sdkVersionOf("pulumi", root);
  } catch (error) {
    return fail("pulumi", "Pulumi CLI", error instanceof Error ? error.message : String(error), `run npm ci in ${root}`);
  }
  if (!versionAtLeast(cli.version, sdk)) {
    return fail("pulumi", "Pulumi CLI", `${where} is older than the @pulumi/pulumi SDK (${sdk}) the program uses`, `upgrade the CLI to ${sdk} or newer, or unset SHOPCTL_PULUMI / take it off PATH and run: ${ENGINE_INSTALL_HINT}`);
  }
  if (cli.languageHost === undefined) {
    return fail("pulumi", "Pulumi CLI", `${where}: no pulumi-language-nodejs beside it or on PATH, so it can run neither the program nor the policy pack`, ENGINE_INSTALL_HINT);
  }
  return ok("pulumi", "Pulumi CLI", `${where}; ${host} (runs the program and the policy pack)`);
}


export async function checkBackend(settings: DoctorInput["settings"], env: NodeJS.ProcessEnv, homeRegion: string): Promise<CheckResult> {
  const name = "state backend";
  const url = settings.backendUrl;
  switch (settings.backendKind) {
    case "file": {
      const dir = fileBackendPath(url);
      try {
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
        return ok("backend", name, `${url} (local folder, writable)`);
      } catch (error) {
        return fail("backend", name, `${dir} is not a writable folder: ${awsErrorMessage(error)}`, `fix its permissions, or point shopctl elsewhere with SHOPCTL_HOME or --backend`);
      }
    }
    case "s3": {
      const { bucket, region } = s3Backend(url);
      try {
        const { headBucket } = await import("../aws/s3.js");
        await headBucket(bucket, region ?? homeRegion, env);
        return ok("backend", name, `${url} (S3 bucket reachable)`);
      } catch (error) {
        return fail("backend", name, `s3://${bucket}: ${awsErrorMessage(error)}`, `create the bucket (versioning on, public access blocked) or grant s3:ListBucket/GetObject/PutObject on it; add ?region=REGION to the URL when it is not in ${homeRegion}`);
      }
    }
    case "cloud":
      return env.PULUMI_ACCESS_TOKEN?.trim()
        ? ok("backend", name, `${url} (PULUMI_ACCESS_TOKEN set)`)
        : { id: "backend", name, status: "warn", detail: `${url}: PULUMI_ACCESS_TOKEN is not set`, fix: `set PULUMI_ACCESS_TOKEN, or run \`pulumi login ${url}\` once on this machine` };
    case "bucket":
      return { id: "backend", name, status: "skip", detail: `${url}: shopctl does not check this kind of backend; Pulumi will` };
  }
}

export async function checkSecrets(settings: DoctorInput["settings"], env: NodeJS.ProcessEnv, homeRegion: string): Promise<CheckResult> {
  const name = "secrets provider";
  const provider = settings.secretsProvider;
  if (provider === undefined) return ok("secrets", name, "Pulumi Cloud's service-managed keys");
  if (provider === "passphrase") {
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE?.trim();
    if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return ok("secrets", name, "passphrase (from PULUMI_CONFIG_PASSPHRASE)");
    if (!file && settings.local !== undefined) return ok("secrets", name, `passphrase of the local cloud (${settings.local.passphraseFile}, made on first use)`);
    if (file) {
      try {
        await access(file, constants.R_OK);
        return ok("secrets", name, `passphrase (from the file in PULUMI_CONFIG_PASSPHRASE_FILE)`);
      } catch {
        return fail("secrets", name, `PULUMI_CONFIG_PASSPHRASE_FILE=${file} is not readable`, "point PULUMI_CONFIG_PASSPHRASE_FILE at a readable file holding the passphrase");
      }
    }
    return fail("secrets", name, "passphrase, but neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set",
      "export PULUMI_CONFIG_PASSPHRASE (keep it in a password manager; every run of this stack needs the same one), or use a KMS key: --secrets-provider awskms://alias/NAME?region=REGION");
  }
  if (provider.startsWith("awskms://")) {
    const parsed = new URL(provider);
    const key = decodeURIComponent(`${parsed.host}${parsed.pathname}`);
    const region = parsed.searchParams.get("region") ?? homeRegion;
    try {
      const { describeKey } = await import("../aws/kms.js");
      const info = await describeKey(key, region, env);
      return info.enabled
        ? ok("secrets", name, `KMS key ${info.arn}`)
        : fail("secrets", name, `KMS key ${info.arn} is ${info.state}`, "enable the key, or choose another with --secrets-provider");
    } catch (error) {
      return fail("secrets", name, `KMS key ${key} in ${region}: ${awsErrorMessage(error)}`, "check the key id or alias and its region (?region=...), and that your identity may use kms:Encrypt/Decrypt on it");
    }
  }
  return { id: "secrets", name, status: "skip", detail: `${provider.split("://")[0] ?? provider}: shopctl does not check this provider; Pulumi will` };
}

const CREDENTIALS_FIX =
  "configure AWS credentials: `aws configure sso` / `aws sso login --profile NAME` with AWS_PROFILE=NAME, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

export async function checkAwsCredentials(env: NodeJS.ProcessEnv, region: string): Promise<CheckResult> {
  try {
    const { callerIdentity } = await import("../aws/sts.js");
    const identity = await callerIdentity(region, env);
    return ok("aws-credentials", "AWS credentials", `account ${identity.account} as ${identity.arn}`);
  } catch (error) {
    return fail("aws-credentials", "AWS credentials", awsErrorMessage(error), CREDENTIALS_FIX);
  }
}

export async function checkRegion(region: string, env: NodeJS.ProcessEnv): Promise<CheckResult> {
  const name = `region ${region}`;
  try {
    const { availableZones } = await import("../aws/ec2.js");
    const zones = await availableZones(region, env);
    return zones.length > 0
      ? ok("region", name, `${zones.length} availability zones`)
      : fail("region", name, "no available zones", `enable ${region} for the account (AWS console > Account > AWS Regions)`);
  } catch (error) {
    return fail("region", name, awsErrorMessage(error), `enable ${region} for the account (AWS console > Account > AWS Regions), or allow ec2:DescribeAvailabilityZones there`);
  }
}

/** Every check, run concurrently; regions are checked only once credentials work. */
export async function runChecks(input: DoctorInput): Promise<CheckResult[]> {
  const wanted = (id: CheckId) => input.only === undefined || input.only.includes(id);
  const { env, settings, homeRegion } = input;
  // The local cloud needs no AWS account: its checks would only fail for nothing.
  if (settings.local !== undefined) return runLocalChecks(input, settings.local);
  const credentials = wanted("aws-credentials") || wanted("region") ? checkAwsCredentials(env, homeRegion) : undefined;
  const regions = (async (): Promise<CheckResult[]> => {
    if (!wanted("region")) return [];
    if (input.regions === undefined) return [{ id: "region", name: "regions", status: "skip", detail: "pass --stack NAME to check that stack's regions" }];
    if ((await credentials)?.status !== "ok") return [{ id: "region", name: "regions", status: "skip", detail: "needs working AWS credentials" }];
    return Promise.all(input.regions.map((region) => checkRegion(region, env)));
  })();
  const results = await Promise.all([
    wanted("node") ? checkNode() : undefined,
    wanted("pulumi") ? checkPulumi(env) : undefined,
    wanted("backend") ? checkBackend(settings, env, homeRegion) : undefined,
    wanted("secrets") ? checkSecrets(settings, env, homeRegion) : undefined,
    wanted("aws-credentials") ? credentials : undefined,
  ]);
  return [...results.filter((result): result is CheckResult => result !== undefined), ...(await regions)];
}

/**
 * The local cloud's provider plugins: installed into the local runs' own PULUMI_HOME (idempotent,
 * as every `--local` run does), then checked: compiled plugin present, versions readable.
 */
export async function checkLocalCloud(local: LocalCloudSettings, root: string = projectRoot()): Promise<CheckResult> {
  const name = "local cloud";
  const { installLocalCloudPlugins, localCloudPluginsStatus } = await import("../../local-cloud/plugin/install.js");
  const options = { pulumiHome: local.pulumiHome, projectRoot: root };
  try {
    await installLocalCloudPlugins(options);
  } catch (error) {
    return fail("local-cloud", name, `cannot install the provider plugins into ${local.pulumiHome}: ${error instanceof Error ? error.message : String(error)}`, `run npm ci && npm run build in ${root}`);
  }
  const status = await localCloudPluginsStatus(options);
  if (!status.ready) return fail("local-cloud", name, status.problems.map((problem) => problem.problem).join("; "), status.problems.map((problem) => problem.fix).join("; "));
  return ok("local-cloud", name, `provider plugins ${status.plugins.map((plugin) => `${plugin.package} v${plugin.version}`).join(", ")} in ${local.pulumiHome}`);
}

/** `--local`: the machine, the engine and its language host, and the local state; nothing of AWS. */
async function runLocalChecks(input: DoctorInput, local: LocalCloudSettings): Promise<CheckResult[]> {
  const wanted = (id: CheckId) => input.only === undefined || input.only.includes(id);
  const skipped = (id: CheckId, name: string): CheckResult => ({ id, name, status: "skip", detail: "--local: the local cloud needs no AWS account" });
  const results = await Promise.all([
    wanted("node") ? checkNode() : undefined,
    wanted("pulumi") ? checkPulumi(input.env, { local: true }) : undefined,
    wanted("local-cloud") ? checkLocalCloud(local) : undefined,
    wanted("backend") ? checkBackend(input.settings, input.env, input.homeRegion) : undefined,
    wanted("secrets") ? checkSecrets(input.settings, input.env, input.homeRegion) : undefined,
  ]);
  return [
    ...results.filter((result): result is CheckResult => result !== undefined),
    ...(wanted("aws-credentials") ? [skipped("aws-credentials", "AWS credentials")] : []),
    ...(wanted("region") ? [skipped("region", "regions")] : []),
  ];
}

export function failing(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((result) => result.status === "fail");
}

export function formatChecks(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length), 10);
  return results
    .map((result) => {
      const head = `${result.status === "ok" ? "ok  " : result.status.toUpperCase().padEnd(4)}  ${result.name.padEnd(width)}  ${result.detail}`;
      return result.fix !== undefined && result.status !== "ok" ? `${head}\n${" ".repeat(width + 8)}fix: ${result.fix}` : head;
    })
    .join("\n");
}
