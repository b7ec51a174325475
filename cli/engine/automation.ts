// The Engine behind Pulumi's Automation API. Only commands that talk to a live stack import this
// module (lazily), so `shopctl --help` never loads @pulumi/pulumi.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type {
  DestroyOptions,
  EngineEvent,
  LocalProgramArgs,
  LocalWorkspaceOptions,
  PreviewOptions,
  PulumiCommand,
  Stack,
  UpOptions,
} from "@pulumi/pulumi/automation/index.js";
import type { ChangeCounts, DeployedResource, Engine, EngineOutputs, OperationOptions, UpResult } from "./engine.js";
import { StackNotDeployedError } from "./engine.js";
import { toEngineOutputs, toProgressEvent } from "./events.js";
import { engineRoot, prepareLocalCloud } from "./local-cloud.js";
import { locateEngine } from "./locate.js";
import type { EngineSettings } from "./settings.js";

/** How the workspace is opened: the repository's own Pulumi.yaml program, the backend in env. */
export interface WorkspaceRequest {
  args: LocalProgramArgs;
  options: LocalWorkspaceOptions;
}

/**
 * The workspace for a stack. The program is the project's (Pulumi.yaml `main`, run by Pulumi's
 * Node.js host with tsx), so a deploy from shopctl is the same deploy as `pulumi up`; the state
 * backend travels as PULUMI_BACKEND_URL so no `pulumi login` is needed on the machine.
 */
export function workspaceRequest(settings: EngineSettings, env: NodeJS.ProcessEnv = process.env): WorkspaceRequest {
  return {
    args: { stackName: settings.stack, workDir: settings.local?.workDir ?? settings.projectRoot },
    options: {
      envVars: { PULUMI_BACKEND_URL: settings.backendUrl, PULUMI_SKIP_UPDATE_CHECK: "true", ...localEnv(settings, env) },
      ...(settings.secretsProvider === undefined ? {} : { secretsProvider: settings.secretsProvider }),
    },
  };
}

/**
 * A `--local` run's engine: its own PULUMI_HOME (where the local cloud's plugins are installed, so a
 * real `aws` plugin is never picked up and never replaced), the cloud's folder for the plugins, and
 * a passphrase file of its own unless the user set one.
 */
export function localEnv(settings: EngineSettings, env: NodeJS.ProcessEnv): Record<string, string> {
  const local = settings.local;
  if (local === undefined) return {};
  const passphraseSet = env.PULUMI_CONFIG_PASSPHRASE !== undefined || (env.PULUMI_CONFIG_PASSPHRASE_FILE?.trim() ?? "") !== "";
  return {
    PULUMI_HOME: local.pulumiHome,
    SHOP_LOCAL_CLOUD_DIR: local.cloudDir,
    // Plugins must come from PULUMI_HOME only: an `aws` plugin on PATH would be a real cloud.
    PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
    // One checkpoint at the end instead of one per step (a fifth of a no-op prod up). Safe here
    // because the local cloud's creates are idempotent: a step a crash leaves unrecorded is
    // simply done again by the next run. A real backend keeps Pulumi's per-step checkpoints.
    PULUMI_SKIP_CHECKPOINTS: env.PULUMI_SKIP_CHECKPOINTS ?? "true",
    ...(passphraseSet ? {} : { PULUMI_CONFIG_PASSPHRASE_FILE: local.passphraseFile }),
  };
}

/**
 * Pulumi reads `<stackConfigDir>/Pulumi.<stack>.yaml` on its own; a stack file anywhere else
 * ($SHOPCTL_STACKS_DIR) is passed explicitly so the deploy uses the file shopctl validated.
 */
export function configFileOption(settings: EngineSettings): { configFile?: string } {
  // A --local run's mirror holds the copy at Pulumi's default place.
  if (settings.local !== undefined) return {};
  const expected = path.join(settings.stackConfigDir, `Pulumi.${settings.stack}.yaml`);
  return path.resolve(settings.stackFile) === expected ? {} : { configFile: settings.stackFile };
}

type EventOptions = Pick<PreviewOptions, "onEvent" | "signal">;

function eventOptions(options: OperationOptions | undefined, now: () => number): EventOptions {
  const onEvent = options?.onEvent;
  return {
    ...(onEvent === undefined
      ? {}
      : {
          onEvent: (event: EngineEvent) => {
            const converted = toProgressEvent(event, now());
            if (converted !== undefined) onEvent(converted);
          },
        }),
    ...(options?.signal === undefined ? {} : { signal: options.signal }),
  };
}

/**
 * Options of `pulumi preview`/`up`: the policy pack attached with the stack's own policy config
 * (without it the pack applies its strictest defaults), plain output, our stack file.
 */
export function updateOptions(settings: EngineSettings, options?: OperationOptions, now: () => number = Date.now, policyConfigFile?: string): PreviewOptions & UpOptions {
  return {
    policyPacks: [settings.policyPackDir],
    ...(policyConfigFile === undefined ? {} : { policyPackConfigs: [policyConfigFile] }),
    color: "never",
    suppressProgress: true,
    ...configFileOption(settings),
    ...eventOptions(options, now),
  };
}

export function destroyOptions(settings: EngineSettings, options?: OperationOptions, now: () => number = Date.now): DestroyOptions {
  return { color: "never", suppressProgress: true, ...configFileOption(settings), ...eventOptions(options, now) };
}

interface StateResource {
  urn?: unknown;
  type?: unknown;
  protect?: unknown;
  outputs?: unknown;
}

/** A resource whose provider refuses deletion: RDS/Aurora `deletionProtection`, load balancers' `enableDeletionProtection`. */
function hasDeletionProtection(outputs: unknown): boolean {
  if (typeof outputs !== "object" || outputs === null) return false;
  const record = outputs as Record<string, unknown>;
  return record.deletionProtection === true || record.enableDeletionProtection === true;
}

/** The resources of a `pulumi stack export` document, the stack and providers left out. */
export function deployedResources(exported: unknown): DeployedResource[] {
  const deployment = (exported as { deployment?: { resources?: unknown } } | undefined)?.deployment;
  const resources = Array.isArray(deployment?.resources) ? (deployment.resources as StateResource[]) : [];
  return resources
    .filter((resource) => typeof resource.urn === "string" && typeof resource.type === "string")
    .filter((resource) => resource.type !== "pulumi:pulumi:Stack" && !String(resource.type).startsWith("pulumi:providers:"))
    .map((resource) => ({
      urn: String(resource.urn),
      type: String(resource.type),
      protect: resource.protect === true,
      deletionProtection: hasDeletionProtection(resource.outputs),
    }));
}

export interface AutomationEngineOptions {
  /** A specific Pulumi CLI (tests pass one that records its invocations); default: `pulumi` on PATH. */
  pulumiCommand?: PulumiCommand;
  now?: () => number;
}

class AutomationEngine implements Engine {
  private readonly now: () => number;

  constructor(private readonly settings: EngineSettings, private readonly extra: AutomationEngineOptions) {
    this.now = extra.now ?? Date.now;
  }

  private async open(create: boolean): Promise<Stack> {
    const automation = await import("@pulumi/pulumi/automation/index.js");
    if (this.settings.local !== undefined) await prepareLocalCloud(this.settings.local, this.settings.projectRoot, this.settings.stackFile);
    const { args, options } = workspaceRequest(this.settings);
    const pulumiCommand = this.extra.pulumiCommand ?? (await engineCommand(this.settings));
    const opts = pulumiCommand === undefined ? options : { ...options, pulumiCommand };
    if (create) return automation.LocalWorkspace.createOrSelectStack(args, opts);
    try {
      return await automation.LocalWorkspace.selectStack(args, opts);
    } catch (error) {
      if (error instanceof automation.StackNotFoundError) throw new StackNotDeployedError(this.settings.stack, this.settings.backendUrl);
      throw error;
    }
  }

  async preview(options?: OperationOptions & { expectNoChanges?: boolean }): Promise<ChangeCounts> {
    const stack = await this.open(true);
    return withPolicyConfigFile(this.settings, async (file) => {
      const result = await stack.preview({ ...updateOptions(this.settings, options, this.now, file), expectNoChanges: options?.expectNoChanges === true });
      return { ...result.changeSummary };
    });
  }

  async up(options?: OperationOptions): Promise<UpResult> {
    const stack = await this.open(true);
    return withPolicyConfigFile(this.settings, async (file) => {
      const result = await stack.up(updateOptions(this.settings, options, this.now, file));
      return { changes: { ...(result.summary.resourceChanges ?? {}) }, outputs: toEngineOutputs(result.outputs) };
    });
  }

  async destroy(options?: OperationOptions & { previewOnly?: boolean }): Promise<ChangeCounts> {
    const stack = await this.open(false);
    const opts = destroyOptions(this.settings, options, this.now);
    if (options?.previewOnly === true) return { ...(await stack.previewDestroy(opts)).changeSummary };
    const result = await stack.destroy(opts);
    return { ...(result.summary.resourceChanges ?? {}) };
  }

  async outputs(): Promise<EngineOutputs> {
    const stack = await this.open(false);
    return toEngineOutputs(await stack.outputs());
  }

  async resources(): Promise<DeployedResource[]> {
    const stack = await this.open(false);
    return deployedResources(await stack.exportStack());
  }
}

/** The stack's policy config in a file of its own for the run (the engine reads config from files only). */
async function withPolicyConfigFile<T>(settings: EngineSettings, run: (file: string | undefined) => Promise<T>): Promise<T> {
  if (settings.policyConfig === undefined) return run(undefined);
  const dir = await mkdtemp(path.join(tmpdir(), "shopctl-policy-"));
  try {
    const file = path.join(dir, `${settings.stack}.json`);
    await writeFile(file, `${JSON.stringify(settings.policyConfig, null, 2)}\n`);
    return await run(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The Pulumi CLI the Automation API runs. `undefined` keeps its default (`pulumi` on PATH); an
 * engine found elsewhere ($SHOPCTL_PULUMI, the project's own build) is passed explicitly.
 */
async function engineCommand(settings: EngineSettings): Promise<PulumiCommand | undefined> {
  const located = await locateEngine(process.env, settings.projectRoot);
  if (located === undefined || "error" in located || located.source === "PATH") return undefined;
  const automation = await import("@pulumi/pulumi/automation/index.js");
  return automation.PulumiCommand.get({ root: await engineRoot(located.path, settings), skipVersionCheck: false });
}

export function createAutomationEngine(settings: EngineSettings, options: AutomationEngineOptions = {}): Engine {
  return new AutomationEngine(settings, options);
}
