// `shopctl up|preview|outputs|destroy --local`: the real Pulumi engine (built by
// scripts/pulumi-engine.sh, which the integration tier's global setup installs), our Node.js
// language host, the policy pack loaded by the engine, and the local cloud's provider plugins.
// Nothing here is skipped when the engine is missing: CI installs it.
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ROOT, SHOPCTL_BIN, shopctl, type ShopctlResult } from "../../test/shopctl.js";
import { parseStackOutputs } from "../../stacks/outputs.js";
import { exportLocalStack, localStateFile, readLocalState, stateResources, vpcChildren } from "../../test/local-state.js";

let home = "";
let stacksDir = "";

/** shopctl with its own home, as a user on a fresh laptop runs it. */
function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<ShopctlResult> {
  return shopctl(args, { SHOPCTL_HOME: home, ...env });
}

function json(result: ShopctlResult): Record<string, unknown> {
  try {
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not one JSON document (exit ${String(result.code)}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

function expectOk(result: ShopctlResult): void {
  if (result.code !== 0) throw new Error(`exit ${String(result.code)}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr.slice(-4000)}`);
}

/** (type, name) of every resource of the offline plan: what the mocks declare. */
async function offlinePlan(stack: string): Promise<string[]> {
  const result = await shopctl(["preview", "--offline", "--stack", stack, "--json"]);
  expectOk(result);
  const plan = json(result) as { resources: { type: string; name: string }[] };
  return plan.resources.filter((resource) => !resource.type.startsWith("pulumi:providers:")).map((resource) => `${resource.type} ${resource.name}`).sort();
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), "shopctl-local-"));
  stacksDir = await mkdtemp(path.join(tmpdir(), "shopctl-local-stacks-"));
  await cp(path.join(ROOT, "stacks"), stacksDir, { recursive: true, filter: (source) => !source.includes("__snapshots__") && (source === path.join(ROOT, "stacks") || path.basename(source).startsWith("Pulumi.")) });
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
  await rm(stacksDir, { recursive: true, force: true });
});

describe("the dev stack's whole lifecycle through the real engine", () => {
  let deployedOutputs: Record<string, unknown> = {};

  it("up --local deploys every resource of the offline plan, plus the VPC's children that awsx declares", async () => {
    const result = await run(["up", "--local", "--stack", "dev", "--yes", "--json"]);
    expectOk(result);
    const document = json(result) as { changes: Record<string, number>; outputs: Record<string, unknown> };
    deployedOutputs = document.outputs;

    const exported = await readLocalState(home, "dev");
    const state = stateResources(exported);
    const children = vpcChildren(state);
    // The VPC, 2 AZs x (public, private, isolated) subnets with their route tables and associations, routes, IGW, NAT, EIP.
    expect(children.map((child) => child.type).filter((type) => type === "aws:ec2/subnet:Subnet")).toHaveLength(6);
    expect(children.map((child) => child.type)).toEqual(expect.arrayContaining(["aws:ec2/vpc:Vpc", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"]));
    const declared = state.filter((resource) => !children.includes(resource) && resource.type !== "pulumi:pulumi:Stack");
    expect(declared.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual(await offlinePlan("dev"));
    // Every resource in the state was created by this run: the stack, the explicit providers, every
    // resource (the engine's default providers are not counted in its summary).
    const explicitProviders = (exported.deployment.resources ?? []).filter((raw) => {
      const { type, urn } = raw as { type: string; urn: string };
      return type.startsWith("pulumi:providers:") && !(urn.split("::").at(-1) ?? "").startsWith("default");
    });
    expect(document.changes.create).toBe(state.length + explicitProviders.length);
    // Progress lines come from the engine's events: in CI each is prefixed with its component.
    expect(result.stderr).toMatch(/^\[dev-primary-network\] .*created? +aws:ec2\/vpc:Vpc dev-primary-network-vpc/m);
    expect(result.stderr).toMatch(/^\[dev-primary-web\] .*created? +aws:autoscaling\/group:Group dev-primary-web-asg/m);
  });

  it("outputs --local reads the real stack's outputs and they match the outputs contract", async () => {
    const result = await run(["outputs", "--local", "--stack", "dev", "--json"]);
    expectOk(result);
    const { outputs } = json(result) as { outputs: Record<string, unknown> };
    expect(outputs).toEqual(deployedOutputs);
    expect(() => parseStackOutputs(outputs, "dev")).not.toThrow();
  });

  it("a second preview changes nothing (`--expect-no-changes` passes): the program and the local cloud are deterministic", async () => {
    const result = await run(["preview", "--local", "--stack", "dev", "--expect-no-changes", "--json"]);
    expectOk(result);
    const { changes } = json(result) as { changes: Record<string, number> };
    expect(Object.keys(changes).filter((op) => op !== "same" && (changes[op] ?? 0) > 0)).toEqual([]);
  });

  it("changing one key previews exactly the expected update and nothing else", async () => {
    const file = path.join(stacksDir, "Pulumi.dev.yaml");
    const document = parseYaml(await readFile(file, "utf8")) as { config: Record<string, unknown> };
    document.config["shop:web"] = { maxSize: 3 };
    await writeFile(file, stringifyYaml(document));
    const result = await run(["preview", "--local", "--stack", "dev", "--json"], { SHOPCTL_STACKS_DIR: stacksDir });
    expectOk(result);
    const { changes } = json(result) as { changes: Record<string, number> };
    expect(Object.fromEntries(Object.entries(changes).filter(([op]) => op !== "same"))).toEqual({ update: 1 });
    expect(result.stderr).toMatch(/^\[dev-primary-web\] .*update.*aws:autoscaling\/group:Group dev-primary-web-asg/m);
    // The engine's own check refuses the drift.
    const strict = await run(["preview", "--local", "--stack", "dev", "--expect-no-changes"], { SHOPCTL_STACKS_DIR: stacksDir });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("preview (no changes expected) failed");
  });

  it("the engine's policy verdict equals `shopctl policy check` on the same stack", async () => {
    const live = json(await run(["preview", "--local", "--stack", "dev", "--json"])) as { policy: { urn?: string; policy: string; enforcement: string }[] };
    const engineVerdict = live.policy.map((violation) => `${violation.enforcement} ${violation.policy} ${violation.urn?.split("::").at(-1) ?? "(stack)"}`).sort();
    expect(engineVerdict.length).toBeGreaterThan(0);
    expect(engineVerdict).toEqual(policyCheckVerdict(await shopctl(["policy", "check", "--stack", "dev", "--json"])));
  });

  it("`pulumi stack export` fed to `policy check --from-export` gives the violations `policy check --stack` gives", async () => {
    const exported = path.join(home, "dev-export.json");
    await writeFile(exported, JSON.stringify(await exportLocalStack(ROOT, home, "dev")));
    const fromExport = await shopctl(["policy", "check", "--from-export", exported, "--config", await policyConfigFile("dev"), "--json"]);
    const fromStack = await shopctl(["policy", "check", "--stack", "dev", "--json"]);
    expect(policyCheckVerdict(fromExport)).toEqual(policyCheckVerdict(fromStack));
  });

  it("the state file holds no plaintext of any secret", async () => {
    const state = await readFile(localStateFile(home, "dev"), "utf8");
    const secrets = await plaintextSecrets(home);
    // The origin header CloudFront sends and the ALB requires, at least.
    expect(secrets.length).toBeGreaterThan(0);
    const leaked = secrets.filter((secret) => state.includes(secret)).map((secret) => `${secret.slice(0, 4)}...`);
    expect(leaked).toEqual([]);
    const passphrase = (await readFile(path.join(home, "local", "passphrase"), "utf8")).trim();
    expect(state.includes(passphrase)).toBe(false);
    // The repository's stack file got no encryption salt: the local one lives in shopctl's home.
    expect(await readFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), "utf8")).not.toContain("encryptionsalt");
    expect(await readFile(path.join(home, "local", "workspace", "stacks", "Pulumi.dev.yaml"), "utf8")).toContain("encryptionsalt");
  });

  it("destroy --local removes every resource", async () => {
    const result = await run(["destroy", "--local", "--stack", "dev", "--yes", "--json"]);
    expectOk(result);
    expect(stateResources(await readLocalState(home, "dev"))).toEqual([]);
  });
});

/** What `shopctl policy config --stack` writes: the engine gets the same file. */
async function policyConfigFile(stack: string): Promise<string> {
  const result = await shopctl(["policy", "config", "--stack", stack]);
  expectOk(result);
  const file = path.join(home, `${stack}-policy.json`);
  await writeFile(file, result.stdout);
  return file;
}

/** `policy check --json`'s findings as "enforcement policy resource" lines. */
function policyCheckVerdict(result: ShopctlResult): string[] {
  const { violations } = json(result) as { violations: { policy: string; enforcementLevel: string; resourceName?: string }[] };
  return violations.map((violation) => `${violation.enforcementLevel} ${violation.policy} ${violation.resourceName ?? "(stack)"}`).sort();
}

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

interface JournalLine {
  entry?: { type?: string; state?: Record<string, unknown> };
}

function unwrapSecret(value: unknown): unknown {
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  return record?.[SECRET_SIGNATURE] === undefined ? value : record.value;
}

/**
 * The values the local cloud holds in the clear that are secrets by nature, as AWS would hold
 * them: SecureString parameters, Secrets Manager secret strings, write-only arguments (passwords).
 * (Plain parameters are secret-marked by the provider schema but copy values that are plain elsewhere.)
 */
async function plaintextSecrets(shopctlHome: string): Promise<string[]> {
  const values = new Set<string>();
  const journal = await readFile(path.join(shopctlHome, "local", "cloud", "inventory.jsonl"), "utf8");
  for (const line of journal.split("\n").filter((entry) => entry.trim() !== "")) {
    const { entry } = JSON.parse(line) as JournalLine;
    const state = entry?.state ?? {};
    const candidates = Object.entries(state)
      .filter(([key]) => /Wo$/.test(key) || key === "secretString" || (entry?.type === "aws:ssm/parameter:Parameter" && key === "value" && unwrapSecret(state.type) === "SecureString"))
      .map(([, value]) => unwrapSecret(value));
    for (const value of candidates) if (typeof value === "string" && value.length >= 16) values.add(value);
  }
  return [...values];
}

describe("bad input: a clear error naming the fix, nothing changed", () => {
  it("refuses a missing engine with exit 3", async () => {
    const result = await run(["up", "--local", "--stack", "dev", "--yes"], { SHOPCTL_PULUMI: path.join(home, "no-such-pulumi") });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`SHOPCTL_PULUMI=${path.join(home, "no-such-pulumi")} is not a pulumi executable`);
  });

  it("refuses an engine older than the SDK with exit 3 and says how to get the right one", async () => {
    const fake = path.join(home, "old-engine");
    await writeFile(path.join(home, "pulumi-old"), "#!/bin/sh\necho v3.100.0\n", { mode: 0o755 });
    await cp(path.join(home, "pulumi-old"), path.join(fake, "pulumi"));
    const result = await run(["up", "--local", "--stack", "dev", "--yes"], { SHOPCTL_PULUMI: path.join(fake, "pulumi") });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("is older than the @pulumi/pulumi SDK");
    expect(result.stderr).toContain("bash scripts/pulumi-engine.sh install");
  });

  it("refuses a stack file with a syntax error with exit 2", async () => {
    const broken = await mkdtemp(path.join(tmpdir(), "shopctl-broken-"));
    try {
      await writeFile(path.join(broken, "Pulumi.dev.yaml"), "config:\n  shop:tier: dev\n   shop:primaryRegion: [eu-west-1\n");
      const result = await run(["up", "--local", "--stack", "dev", "--yes"], { SHOPCTL_STACKS_DIR: broken });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Pulumi.dev.yaml");
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });

  it("refuses previews that cannot go together (exit 2)", async () => {
    const both = await run(["preview", "--offline", "--local", "--stack", "dev"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--offline and --local are two different previews");
    const offlineStrict = await run(["preview", "--offline", "--expect-no-changes", "--stack", "dev"]);
    expect(offlineStrict.code).toBe(2);
    expect(offlineStrict.stderr).toContain("--offline has no deployed stack");
  });

  it("refuses --local with --backend (exit 2)", async () => {
    const result = await run(["up", "--local", "--stack", "dev", "--backend", "file:///tmp/elsewhere", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("cannot be combined with --backend");
  });
});

describe("the policy pack inside the engine", () => {
  it("a mandatory violation blocks the engine's up, and is the one `policy check` reports with the same config", async () => {
    // The dev stack with rds-multi-az made mandatory: shopctl's preflight would refuse it (exit 3)
    // before the engine runs, so the engine is driven directly, as the preflight-less `pulumi up` is.
    const policyHome = await mkdtemp(path.join(tmpdir(), "shopctl-local-policy-"));
    try {
      const { createAutomationEngine } = await import("../engine/automation.js");
      const { resolveEngineSettings } = await import("../engine/settings.js");
      const { packConfigFor } = await import("../../policies/api.js");
      const { profileOf } = await import("../policy-profile.js");
      const { loadStack } = await import("../../stacks/config/index.js");
      const loaded = await loadStack("dev", path.join(ROOT, "stacks"));
      const policyConfig = { ...packConfigFor(profileOf(loaded.config)), "rds-multi-az": "mandatory" };
      const settings = { ...resolveEngineSettings({ stack: "dev", stackFile: loaded.file, projectRoot: ROOT, flags: { local: true }, env: { SHOPCTL_HOME: policyHome } }), policyConfig };
      const events: { kind: string; policy?: string; enforcement?: string; urn?: string }[] = [];
      await expect(createAutomationEngine(settings).up({ onEvent: (event) => events.push(event) })).rejects.toThrow();
      const mandatory = events.filter((event) => event.kind === "policy" && event.enforcement === "mandatory").map((event) => `${event.policy ?? ""} ${event.urn?.split("::").at(-1) ?? ""}`);
      expect(mandatory).toEqual(["rds-multi-az dev-primary-db-instance"]);
      // Advisory findings are reported beside it.
      expect(events.some((event) => event.kind === "policy" && event.enforcement === "advisory")).toBe(true);
      // The violating resource was never created.
      const created = stateResources(await readLocalState(policyHome, "dev"));
      expect(created.some((resource) => resource.type === "aws:rds/instance:Instance")).toBe(false);

      const configFile = path.join(policyHome, "policy.json");
      await writeFile(configFile, JSON.stringify(policyConfig));
      const offline = await shopctl(["policy", "check", "--stack", "dev", "--config", configFile, "--json"]);
      expect(offline.code).toBe(1);
      expect(policyCheckVerdict(offline).filter((line) => line.startsWith("mandatory "))).toEqual(["mandatory rds-multi-az dev-primary-db-instance"]);
    } finally {
      await rm(policyHome, { recursive: true, force: true });
    }
  });
});

describe("Ctrl-C during up", () => {
  it("cancels through the engine, and the next up recovers and finishes", async () => {
    const child = spawn(process.execPath, [SHOPCTL_BIN, "up", "--local", "--stack", "dev", "--yes"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", SHOPCTL_HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let interrupted = false;
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      // Interrupt once the engine is creating resources, as a user would mid-deploy.
      if (!interrupted && /^\[\w[\w-]*\] .*creat/m.test(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(interrupted).toBe(true);
    expect(code).not.toBe(0);
    expect(stderr).toContain("interrupted; run it again to resume");

    const again = await run(["up", "--local", "--stack", "dev", "--yes", "--json"]);
    expectOk(again);
    const preview = json(await run(["preview", "--local", "--stack", "dev", "--json"])) as { changes: Record<string, number> };
    expect(Object.keys(preview.changes).filter((op) => op !== "same" && (preview.changes[op] ?? 0) > 0)).toEqual([]);
    expectOk(await run(["destroy", "--local", "--stack", "dev", "--yes"]));
  });
});

describe("the prod stack through the real engine", () => {
  it("up --local deploys both regions and the edge; destroy refuses while deletion protection is on", async () => {
    const result = await run(["up", "--local", "--stack", "prod", "--yes", "--json"]);
    expectOk(result);
    const state = stateResources(await readLocalState(home, "prod"));
    const children = vpcChildren(state);
    const declared = state.filter((resource) => !children.includes(resource) && resource.type !== "pulumi:pulumi:Stack");
    expect(declared.map((resource) => `${resource.type} ${resource.name}`).sort()).toEqual(await offlinePlan("prod"));
    expect(() => parseStackOutputs((json(result) as { outputs: unknown }).outputs, "prod")).not.toThrow();
    // Prod sets its database password through write-only arguments: neither it nor any other secret is in the state.
    const stateText = await readFile(localStateFile(home, "prod"), "utf8");
    expect((await plaintextSecrets(home)).filter((secret) => stateText.includes(secret)).map((secret) => `${secret.slice(0, 4)}...`)).toEqual([]);

    const destroy = await run(["destroy", "--local", "--stack", "prod", "--yes"]);
    expect(destroy.code).toBe(3);
    expect(destroy.stderr).toContain("has deletion protection on (shop:database.deletionProtection: true");
    expect(stateResources(await readLocalState(home, "prod")).length).toBe(state.length);
  });
});
