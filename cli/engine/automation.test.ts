import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as automation from "@pulumi/pulumi/automation/index.js";
import { SemVer } from "semver";
import { ROOT } from "../../test/shopctl.js";
import { configFileOption, createAutomationEngine, deployedResources, destroyOptions, localEnv, updateOptions, workspaceRequest } from "./automation.js";
import { StackNotDeployedError, type ProgressEvent } from "./engine.js";
import { resolveEngineSettings, type EngineSettings } from "./settings.js";

const require = createRequire(import.meta.url);
const { createCommandError } = automation as unknown as { createCommandError: (result: { stdout: string; stderr: string; code: number; toString(): string }) => Error };

interface EventsClient {
  streamEvents(callback: (error: Error | null) => void): { write(request: unknown): void; end(): void };
  close(): void;
}
const grpc = require("@grpc/grpc-js") as { credentials: { createInsecure(): unknown } };
const { EventsClient } = require("@pulumi/pulumi/proto/events_grpc_pb.js") as { EventsClient: new (address: string, credentials: unknown) => EventsClient };
const { EventRequest } = require("@pulumi/pulumi/proto/events_pb.js") as { EventRequest: new () => { setEvent(value: string): unknown } };

let projectDir = "";
let stacksDir = "";

function settingsFor(stack: string, flags: { backend?: string; secretsProvider?: string; local?: boolean } = {}, stackFile?: string): EngineSettings {
  return resolveEngineSettings({
    stack,
    stackFile: stackFile ?? path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`),
    projectRoot: projectDir,
    flags,
    env: { SHOPCTL_HOME: "/var/lib/shopctl" },
  });
}

beforeAll(async () => {
  projectDir = await mkdtemp(path.join(tmpdir(), "shopctl-automation-"));
  stacksDir = await mkdtemp(path.join(tmpdir(), "shopctl-elsewhere-"));
  await copyFile(path.join(ROOT, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
});
afterAll(async () => {
  await rm(projectDir, { recursive: true, force: true });
  await rm(stacksDir, { recursive: true, force: true });
});

describe("the options the adapter builds", () => {
  it("opens the project's own program in its folder, with the backend in the environment and the secrets provider", () => {
    const request = workspaceRequest(settingsFor("prod"));
    expect(request.args).toEqual({ stackName: "prod", workDir: projectDir });
    expect(request.options.envVars).toEqual({ PULUMI_BACKEND_URL: "file:///var/lib/shopctl/state", PULUMI_SKIP_UPDATE_CHECK: "true" });
    expect(request.options.secretsProvider).toBe("passphrase");
    // The repository's Pulumi.yaml is never rewritten: no project or stack settings are passed.
    expect(request.options.projectSettings).toBeUndefined();
    expect(request.options.stackSettings).toBeUndefined();
  });

  it("passes a team backend and KMS secrets provider through unchanged", () => {
    const request = workspaceRequest(settingsFor("prod", { backend: "s3://acme-state/shop?region=eu-west-1", secretsProvider: "awskms://alias/pulumi?region=eu-west-1" }));
    expect(request.options.envVars?.PULUMI_BACKEND_URL).toBe("s3://acme-state/shop?region=eu-west-1");
    expect(request.options.secretsProvider).toBe("awskms://alias/pulumi?region=eu-west-1");
  });

  it("leaves Pulumi Cloud's own secrets provider alone", () => {
    expect(workspaceRequest(settingsFor("prod", { backend: "https://api.pulumi.com" })).options).not.toHaveProperty("secretsProvider");
  });

  it("reads the stack config directory from Pulumi.yaml and needs no --config-file for a stack file there", () => {
    const settings = settingsFor("prod");
    expect(settings.project).toBe("shop-platform");
    expect(settings.stackConfigDir).toBe(path.join(projectDir, "stacks"));
    expect(configFileOption(settings)).toEqual({});
  });

  it("passes a stack file from another folder ($SHOPCTL_STACKS_DIR) as --config-file", () => {
    const file = path.join(stacksDir, "Pulumi.qa.yaml");
    expect(configFileOption(settingsFor("qa", {}, file))).toEqual({ configFile: file });
  });

  it("attaches the policy pack folder to preview and up, and not to destroy", () => {
    const options = updateOptions(settingsFor("prod"));
    expect(options.policyPacks).toEqual([path.join(projectDir, "policies")]);
    expect(options.color).toBe("never");
    expect(destroyOptions(settingsFor("prod"))).not.toHaveProperty("policyPacks");
  });

  it("passes the stack's policy config file with the pack when there is one", () => {
    expect(updateOptions(settingsFor("prod"), undefined, Date.now, "/tmp/x/prod.json").policyPackConfigs).toEqual(["/tmp/x/prod.json"]);
    expect(updateOptions(settingsFor("prod"))).not.toHaveProperty("policyPackConfigs");
  });

  it("gives a --local run its own PULUMI_HOME, the cloud's folder, no ambient plugins, and its own passphrase unless one is set", () => {
    const settings = settingsFor("dev", { local: true });
    const request = workspaceRequest(settings, {});
    expect(request.options.envVars).toEqual({
      PULUMI_BACKEND_URL: "file:///var/lib/shopctl/local/state",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: "/var/lib/shopctl/local/pulumi-home",
      SHOP_LOCAL_CLOUD_DIR: "/var/lib/shopctl/local/cloud",
      PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
      PULUMI_SKIP_CHECKPOINTS: "true",
      PULUMI_CONFIG_PASSPHRASE_FILE: "/var/lib/shopctl/local/passphrase",
    });
    expect(localEnv(settings, { PULUMI_CONFIG_PASSPHRASE: "mine" })).not.toHaveProperty("PULUMI_CONFIG_PASSPHRASE_FILE");
    expect(localEnv(settings, { PULUMI_CONFIG_PASSPHRASE_FILE: "/home/me/pass" })).not.toHaveProperty("PULUMI_CONFIG_PASSPHRASE_FILE");
    expect(localEnv(settings, { PULUMI_SKIP_CHECKPOINTS: "false" }).PULUMI_SKIP_CHECKPOINTS).toBe("false");
    expect(localEnv(settingsFor("dev"), {})).toEqual({});
  });
});

describe("deployedResources (what destroy checks in the state)", () => {
  it("reports Pulumi's protect flag and the providers' deletion protection, leaving out the stack and providers", () => {
    const resources = deployedResources({
      version: 3,
      deployment: {
        resources: [
          { urn: "urn:pulumi:prod::shop-platform::pulumi:pulumi:Stack::shop-platform-prod", type: "pulumi:pulumi:Stack" },
          { urn: "urn:pulumi:prod::shop-platform::pulumi:providers:aws::primary", type: "pulumi:providers:aws" },
          { urn: "urn:pulumi:prod::shop-platform::shop:data:Database$aws:rds/instance:Instance::db", type: "aws:rds/instance:Instance", outputs: { deletionProtection: true } },
          { urn: "urn:pulumi:prod::shop-platform::aws:lb/loadBalancer:LoadBalancer::alb", type: "aws:lb/loadBalancer:LoadBalancer", outputs: { enableDeletionProtection: false } },
          { urn: "urn:pulumi:prod::shop-platform::aws:s3/bucket:Bucket::assets", type: "aws:s3/bucket:Bucket", protect: true },
        ],
      },
    });
    expect(resources.map((resource) => [resource.type, resource.protect, resource.deletionProtection])).toEqual([
      ["aws:rds/instance:Instance", false, true],
      ["aws:lb/loadBalancer:LoadBalancer", false, false],
      ["aws:s3/bucket:Bucket", true, false],
    ]);
  });

  it("reads an empty or odd export as no resources", () => {
    expect(deployedResources({})).toEqual([]);
    expect(deployedResources(undefined)).toEqual([]);
  });
});

interface Invocation {
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

/**
 * A Pulumi CLI stand-in for the Automation API (it takes any `pulumiCommand`): it records every
 * invocation and answers like the real CLI, streaming engine events to the Automation API's
 * event server. It lets the real Automation API code run against the options the adapter builds.
 */
class RecordingPulumi {
  readonly command = "pulumi";
  // Newer than 3.205, so the Automation API receives engine events over gRPC.
  readonly version = new SemVer("3.210.0");
  readonly calls: Invocation[] = [];
  readonly stacks = new Set<string>();

  constructor(private readonly events: Record<string, unknown>[], private readonly outputs: Record<string, unknown>) {}

  async run(args: string[], cwd: string, env: Record<string, string>) {
    this.calls.push({ args: [...args], cwd, env: { ...env } });
    const stackFlag = args[args.indexOf("--stack") + 1] ?? "";
    const [verb, sub] = args;
    if (verb === "stack" && sub === "select") {
      if (!this.stacks.has(stackFlag)) this.fail(`error: no stack named '${stackFlag}' found`);
      return this.ok("");
    }
    if (verb === "stack" && sub === "init") {
      this.stacks.add(args[2] ?? "");
      return this.ok("");
    }
    if (verb === "stack" && sub === "output") return this.ok(JSON.stringify(args.includes("--show-secrets") ? this.outputs : { ...this.outputs, password: "[secret]" }));
    if (verb === "stack" && sub === "history") {
      return this.ok(JSON.stringify([{ kind: "update", result: "succeeded", startTime: "2025-01-01T00:00:00Z", endTime: "2025-01-01T00:01:00Z", version: 1, message: "", environment: {}, config: {}, resourceChanges: { create: 2 } }]));
    }
    if (verb === "stack" && sub === "export") return this.ok(JSON.stringify({ version: 3, deployment: { resources: [] } }));
    if (verb === "preview" || verb === "up" || verb === "destroy") {
      const log = args.indexOf("--event-log");
      if (log >= 0) await this.stream(args[log + 1] ?? "");
      return this.ok("");
    }
    return this.fail(`unexpected pulumi ${args.join(" ")}`);
  }

  private ok(stdout: string) {
    return { stdout, stderr: "", code: 0, toString: () => stdout };
  }

  private fail(stderr: string): never {
    // The Automation API's own classifier (exported, though not in its typings) picks the error class from stderr.
    throw createCommandError({ stdout: "", stderr, code: 255, toString: () => stderr });
  }

  private async stream(address: string): Promise<void> {
    const client = new EventsClient(address.replace(/^tcp:\/\//, ""), grpc.credentials.createInsecure());
    await new Promise<void>((resolve, reject) => {
      const call = client.streamEvents((error) => { if (error) reject(error); else resolve(); });
      for (const event of this.events) {
        const request = new EventRequest();
        request.setEvent(JSON.stringify(event));
        call.write(request);
      }
      call.end();
    });
    client.close();
  }
}

const DB = "urn:pulumi:prod::shop-platform::shop:data:Database$aws:rds/instance:Instance::catalog-db";
const COMPONENT = "urn:pulumi:prod::shop-platform::shop:data:Database::catalog";
const STACK = "urn:pulumi:prod::shop-platform::pulumi:pulumi:Stack::shop-platform-prod";
const metadata = (urn: string, type: string, parent: string) => ({ op: "create", urn, type, provider: "", new: { type, urn, parent, id: "", inputs: {}, outputs: {}, provider: "" } });
const ENGINE_EVENTS = [
  { sequence: 1, timestamp: 1, resourcePreEvent: { metadata: metadata(COMPONENT, "shop:data:Database", STACK) } },
  { sequence: 2, timestamp: 1, resourcePreEvent: { metadata: metadata(DB, "aws:rds/instance:Instance", COMPONENT) } },
  { sequence: 3, timestamp: 2, resOutputsEvent: { metadata: metadata(DB, "aws:rds/instance:Instance", COMPONENT) } },
  { sequence: 4, timestamp: 2, policyEvent: { resourceUrn: DB, message: "backups kept 35 days", color: "never", policyName: "rds-backup-retention", policyPackName: "shop-guardrails", policyPackVersion: "0.1.0", policyPackVersionTag: "", enforcementLevel: "warning" } },
  { sequence: 5, timestamp: 3, summaryEvent: { maybeCorrupt: false, durationSeconds: 2, resourceChanges: { create: 2 }, policyPacks: {} } },
];

describe("the adapter driving the real Automation API (a recording stand-in for the Pulumi CLI)", () => {
  it("preview creates the stack with the secrets provider, runs with the policy pack and reports progress events", async () => {
    const pulumi = new RecordingPulumi(ENGINE_EVENTS, {});
    const engine = createAutomationEngine(settingsFor("prod"), { pulumiCommand: pulumi as unknown as automation.PulumiCommand, now: () => 42 });
    const events: ProgressEvent[] = [];
    const changes = await engine.preview({ onEvent: (event) => events.push(event) });

    expect(changes).toEqual({ create: 2 });
    const [select, init, preview] = pulumi.calls;
    expect(select?.args.slice(0, 4)).toEqual(["stack", "select", "--stack", "prod"]);
    expect(init?.args.slice(0, 5)).toEqual(["stack", "init", "prod", "--secrets-provider", "passphrase"]);
    expect(preview?.args[0]).toBe("preview");
    expect(preview?.args).toEqual(expect.arrayContaining(["--policy-pack", path.join(projectDir, "policies"), "--color", "never", "--stack", "prod"]));
    expect(preview?.args).not.toContain("--config-file");
    for (const call of pulumi.calls) {
      expect(call.cwd).toBe(projectDir);
      expect(call.env.PULUMI_BACKEND_URL).toBe("file:///var/lib/shopctl/state");
    }
    expect(events).toEqual([
      { kind: "start", urn: COMPONENT, type: "shop:data:Database", op: "create", parent: STACK, at: 42 },
      { kind: "start", urn: DB, type: "aws:rds/instance:Instance", op: "create", parent: COMPONENT, at: 42 },
      { kind: "done", urn: DB, type: "aws:rds/instance:Instance", op: "create", parent: COMPONENT, at: 42 },
      { kind: "policy", urn: DB, policy: "rds-backup-retention", enforcement: "advisory", message: "backups kept 35 days", at: 42 },
    ]);
  });

  it("up passes --config-file for a stack file outside stacks/ and returns the outputs with secrets marked", async () => {
    const pulumi = new RecordingPulumi(ENGINE_EVENTS, { siteUrl: "https://shop.example.com", password: "hunter2" });
    pulumi.stacks.add("qa");
    const file = path.join(stacksDir, "Pulumi.qa.yaml");
    const engine = createAutomationEngine(settingsFor("qa", {}, file), { pulumiCommand: pulumi as unknown as automation.PulumiCommand });
    const result = await engine.up();

    const up = pulumi.calls.find((call) => call.args[0] === "up");
    expect(up?.args).toEqual(expect.arrayContaining(["--yes", "--config-file", file, "--policy-pack", path.join(projectDir, "policies")]));
    expect(pulumi.calls.some((call) => call.args[1] === "init")).toBe(false);
    expect(result.outputs).toEqual({ values: { siteUrl: "https://shop.example.com", password: "hunter2" }, secretKeys: ["password"] });
    expect(result.changes).toEqual({ create: 2 });
  });

  it("outputs, resources and destroy select the stack and never create it: a missing stack is StackNotDeployedError", async () => {
    const pulumi = new RecordingPulumi([], {});
    const engine = createAutomationEngine(settingsFor("ghost"), { pulumiCommand: pulumi as unknown as automation.PulumiCommand });
    await expect(engine.outputs()).rejects.toBeInstanceOf(StackNotDeployedError);
    await expect(engine.resources()).rejects.toThrow(/stack ghost has not been deployed to file:\/\/\/var\/lib\/shopctl\/state/);
    await expect(engine.destroy()).rejects.toBeInstanceOf(StackNotDeployedError);
    expect(pulumi.calls.every((call) => call.args[1] === "select")).toBe(true);
  });

  it("destroy --dry-run runs Pulumi's destroy preview", async () => {
    const pulumi = new RecordingPulumi(ENGINE_EVENTS, {});
    pulumi.stacks.add("prod");
    const engine = createAutomationEngine(settingsFor("prod"), { pulumiCommand: pulumi as unknown as automation.PulumiCommand });
    expect(await engine.destroy({ previewOnly: true })).toEqual({ create: 2 });
    const destroy = pulumi.calls.find((call) => call.args[0] === "destroy");
    expect(destroy?.args).toContain("--preview-only");
    expect(destroy?.args).not.toContain("--policy-pack");
  });
});
