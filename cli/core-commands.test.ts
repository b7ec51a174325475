// shopctl's core commands as a user runs them: the built binary, spawned, CI set and no terminal
// (test/shopctl.ts), except `init`, which is also driven once through a pseudo-terminal.
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KEYS, runInPty } from "../test/pty.js";
import { ROOT, SHOPCTL_BIN, shopctl } from "../test/shopctl.js";

interface PreviewDocument {
  stack: string;
  resources: { type: string; name: string; urn: string; parent: string | null; region: string | null; component: string | null; custom: boolean }[];
  policy: { status: string; reason?: string; mandatory?: number; resources?: number };
}

let scratch = "";
/** No Pulumi CLI, no AWS credentials, a private shopctl home: what a fresh machine has. */
let bare: NodeJS.ProcessEnv = {};

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "shopctl-core-"));
  bare = {
    PATH: path.dirname(process.execPath),
    HOME: path.join(scratch, "home"),
    SHOPCTL_HOME: path.join(scratch, "shopctl-home"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: path.join(scratch, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "no-aws-credentials"),
    AWS_ACCESS_KEY_ID: "",
    AWS_SECRET_ACCESS_KEY: "",
    AWS_PROFILE: "",
  };
});
afterAll(async () => { await rm(scratch, { recursive: true, force: true }); });

// Independent spawned processes: run them side by side (each test uses its own `expect`).
describe.concurrent("shopctl preview --offline", () => {
  it.for(["dev", "staging", "prod"])("%s: prints resources by component and region with counts, then the policy summary", async (stack, { expect }) => {
    const result = await shopctl(["preview", "--offline", "--stack", stack]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Stack ${stack}: \\d+ resources in \\d+ regions, \\d+ components? \\(offline, under the mock cloud: nothing was sent to AWS\\)`));
    expect(result.stdout).toMatch(/^stack \(declared on the stack\): \d+ resources?\n {2}(eu|us)-[a-z]+-\d \(\d+\)\n +\d+ {2}pulumi:providers:aws/m);
    expect(result.stdout).toMatch(/^By region: /m);
    expect(result.stdout).toMatch(/^Policy: /m);
    expect(result.stderr).toContain(`running stack ${stack}'s program under the mock cloud`);
  });

  it.for(["dev", "staging", "prod"])("%s --json: exactly one JSON document, every resource with type, name, urn, parent and region", async (stack, { expect }) => {
    const result = await shopctl(["preview", "--offline", "--stack", stack, "--json"]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("{")).toBe(true);
    const document = JSON.parse(result.stdout) as PreviewDocument;
    expect(document.stack).toBe(stack);
    expect(document.resources.length).toBeGreaterThan(0);
    for (const resource of document.resources) {
      expect(Object.keys(resource)).toEqual(expect.arrayContaining(["type", "name", "urn", "parent", "region"]));
      expect(resource.urn).toMatch(new RegExp(`^urn:pulumi:${stack}::shop-platform::.*${resource.type.replace(/[$]/g, "\\$")}::${resource.name}$`));
      if (resource.custom) expect(resource.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
    }
    const providers = Object.fromEntries(document.resources.filter((resource) => resource.type === "pulumi:providers:aws").map((provider) => [provider.name, provider.region]));
    expect(providers).toMatchObject({ primary: "eu-west-1", edge: "us-east-1" });
    if (stack === "dev") {
      expect(providers).not.toHaveProperty("dr");
      expect(document.resources.every((resource) => resource.region === null || ["eu-west-1", "us-east-1"].includes(resource.region))).toBe(true);
    } else {
      expect(providers.dr).toBe("eu-central-1");
    }
    // The policy pack judges every sample stack: no mandatory violation, every resource seen.
    expect(document.policy).toMatchObject({ status: "passed", mandatory: 0 });
    expect(document.policy.resources).toBeGreaterThanOrEqual(document.resources.length);
    // Warnings the program logs go to stderr; stdout holds the document and nothing else.
    expect(result.stdout.trimEnd().endsWith("}")).toBe(true);
  });

  it("--inputs adds each resource's provider and inputs and the stack's outputs, with secrets masked; alone it is refused", async ({ expect }) => {
    const result = await shopctl(["preview", "--offline", "--stack", "staging", "--json", "--inputs"]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { resources: { type: string; name: string; provider: string | null; inputs: Record<string, unknown> }[]; outputs: Record<string, unknown> };
    const db = document.resources.find((resource) => resource.type === "aws:rds/instance:Instance" && resource.name === "staging-primary-db-instance");
    expect(db?.inputs).toMatchObject({ engine: "postgres", multiAz: true, storageEncrypted: true });
    expect(db?.provider).toMatch(/^urn:pulumi:staging::shop-platform::pulumi:pulumi:Stack\$pulumi:providers:aws::primary::/);
    expect(document.outputs).toMatchObject({ stack: "staging", tier: "staging" });
    // A secret input is masked, never printed.
    expect(result.stdout).toContain('"[secret]"');
    const refused = await shopctl(["preview", "--offline", "--stack", "staging", "--inputs"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("pass it with --offline --json");
  });

  it("exits 2 with the stack's problems when its config is bad, and names --stack without one", async ({ expect }) => {
    const dir = path.join(scratch, "bad-stacks");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "Pulumi.broken.yaml"), "config:\n  shop:tier: prdo\n  shop:primaryRegion: eu-west-1\n");
    const bad = await shopctl(["preview", "--offline", "--stack", "broken", "--json"], { SHOPCTL_STACKS_DIR: dir });
    expect(bad.code).toBe(2);
    expect((JSON.parse(bad.stdout) as { error: { exitCode: number } }).error.exitCode).toBe(2);
    expect(bad.stderr).toContain("shop:tier: found \"prdo\"");
    const missing = await shopctl(["preview", "--offline"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("pass --stack NAME");
  });
});

describe("shopctl init", () => {
  const answers = ["--tier", "staging", "--primary-region", "eu-west-1", "--dr-region", "eu-central-1", "--domain", "qa.shop.example.com", "--hosted-zone-id", "Z0QAEXAMPLE000001", "--alarm-email", "oncall@example.com", "--owner", "platform-team", "--cost-center", "CC-1001"];

  it("writes a valid stack file from flags alone, which the other commands then accept", async () => {
    const dir = await mkdtemp(path.join(scratch, "init-flags-"));
    const env = { SHOPCTL_STACKS_DIR: dir };
    const result = await shopctl(["init", "--stack", "qa", ...answers], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("wrote ");
    const file = parse(await readFile(path.join(dir, "Pulumi.qa.yaml"), "utf8")) as { config: Record<string, unknown> };
    expect(file.config).toMatchObject({ "shop:tier": "staging", "shop:drStrategy": "pilot-light", "shop:drRegion": "eu-central-1" });
    expect((await shopctl(["config", "validate", "--stack", "qa"], env)).code).toBe(0);
    const preview = await shopctl(["preview", "--offline", "--stack", "qa", "--json"], env);
    expect(preview.code).toBe(0);
    expect((JSON.parse(preview.stdout) as PreviewDocument).resources.some((resource) => resource.region === "eu-central-1")).toBe(true);
  });

  it("refuses to overwrite without --force (exit 3), overwrites with it, and --dry-run writes nothing", async () => {
    const dir = await mkdtemp(path.join(scratch, "init-force-"));
    await copyFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
    const env = { SHOPCTL_STACKS_DIR: dir };
    const before = await readFile(path.join(dir, "Pulumi.dev.yaml"), "utf8");
    const refused = await shopctl(["init", "--stack", "dev", ...answers], env);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("exists already; nothing was written. Pass --force");
    expect(await readFile(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(before);

    const dry = await shopctl(["init", "--stack", "scratch", ...answers, "--dry-run"], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("shop:tier: staging");
    await expect(stat(path.join(dir, "Pulumi.scratch.yaml"))).rejects.toThrow();

    const forced = await shopctl(["init", "--stack", "dev", ...answers, "--force", "--json"], env);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ stack: "dev", written: true, config: { tier: "staging" } });
  });

  it("exits 2 naming the missing flags without a terminal, and each bad answer's flag", async () => {
    const dir = await mkdtemp(path.join(scratch, "init-bad-"));
    const missing = await shopctl(["init", "--tier", "dev"], { SHOPCTL_STACKS_DIR: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("needs --stack, --primary-region, --owner, --cost-center");
    const bad = await shopctl(["init", "--stack", "p", "--tier", "prod", "--primary-region", "eu-west-1", "--owner", "o", "--cost-center", "c"], { SHOPCTL_STACKS_DIR: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("shop:domain (--domain)");
    expect(bad.stderr).toContain("shop:alarms.emails (--alarm-email)");
    expect(bad.stderr).toContain("shop:opsRole.trustedPrincipalArns (--ops-principal)");
    const choice = await shopctl(["init", "--tier", "prdo"], { SHOPCTL_STACKS_DIR: dir });
    expect(choice.code).toBe(2);
    expect(choice.stderr).toContain("Allowed choices are dev, staging, prod");
  });

  it("asks every question on a terminal, re-asks a bad answer, and writes the stack file", async () => {
    const dir = await mkdtemp(path.join(scratch, "init-pty-"));
    const env: NodeJS.ProcessEnv = { ...process.env, SHOPCTL_STACKS_DIR: dir };
    delete env.CI;
    const result = await runInPty([process.execPath, SHOPCTL_BIN, "init"], [
      { expect: /Stack name/, send: `qa${KEYS.enter}` },
      { expect: /Tier/, send: KEYS.down + KEYS.enter },
      { expect: /Primary region/, send: "eu-west-1" },
      { expect: /❯ eu-west-1/, send: KEYS.enter },
      { expect: /DR strategy/, send: KEYS.enter },
      { expect: /DR region/, send: "eu-central-1" },
      { expect: /❯ eu-central-1/, send: KEYS.enter },
      { expect: /Domain/, send: `Not A Domain${KEYS.enter}` },
      { expect: /expected a lower-case DNS name/, send: `${KEYS.backspace.repeat(20)}qa.shop.example.com${KEYS.enter}` },
      { expect: /hosted zone id of qa\.shop\.example\.com/, send: `Z0QAEXAMPLE000001${KEYS.enter}` },
      { expect: /Alarm emails/, send: `oncall@example.com${KEYS.enter}` },
      { expect: /Owner/, send: `platform-team${KEYS.enter}` },
      { expect: /Cost center/, send: `CC-1001${KEYS.enter}` },
      { expect: /wrote .*Pulumi\.qa\.yaml \(valid: tier staging, eu-west-1 \+ DR eu-central-1\)/ },
    ], { cwd: ROOT, env });
    expect(result.timedOutAt, result.output.slice(-2000)).toBeNull();
    expect(result.code).toBe(0);
    const file = parse(await readFile(path.join(dir, "Pulumi.qa.yaml"), "utf8")) as { config: Record<string, unknown> };
    expect(file.config).toEqual({
      "shop:tier": "staging", "shop:primaryRegion": "eu-west-1", "shop:drStrategy": "pilot-light", "shop:drRegion": "eu-central-1",
      "shop:domain": "qa.shop.example.com", "shop:hostedZoneId": "Z0QAEXAMPLE000001", "shop:alarms": { emails: ["oncall@example.com"] },
      "shop:tags": { owner: "platform-team", costCenter: "CC-1001" },
    });
  });
});

describe.concurrent("live commands on a machine without the Pulumi CLI", () => {
  it("up fails its preflight with exit 3 and says how to install Pulumi; nothing on stdout", async ({ expect }) => {
    const result = await shopctl(["up", "--stack", "dev"], bare);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("preflight refused stack dev");
    expect(result.stderr).toMatch(/FAIL {2}Pulumi CLI +not found on PATH/);
    expect(result.stderr).toContain("curl -fsSL https://get.pulumi.com | sh");
    expect(result.stdout).toBe("");
  });

  it.for([["outputs"], ["status"], ["destroy", "--yes"], ["preview"]])("%s exits 3 with a JSON error document under --json", async ([command = "", ...rest], { expect }) => {
    const result = await shopctl([command, ...rest, "--stack", "dev", "--json"], bare);
    expect(result.code).toBe(3);
    const document = JSON.parse(result.stdout) as { error: { exitCode: number; message: string; details: { checks: { id: string; status: string }[] } } };
    expect(document.error.exitCode).toBe(3);
    expect(document.error.details.checks.find((check) => check.id === "pulumi")?.status).toBe("fail");
  });

  it("destroy on prod explains deletion protection and stops (exit 3) before anything else", async ({ expect }) => {
    const result = await shopctl(["destroy", "--stack", "prod", "--yes"], bare);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("deletion protection on (shop:database.deletionProtection: true, the prod tier default)");
  });

  it("up on prod without --yes and no terminal is bad usage (exit 2)", async ({ expect }) => {
    const result = await shopctl(["up", "--stack", "prod"], bare);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("confirm with --yes");
  });

  it("doctor lists every check with its fix and exits 1", async ({ expect }) => {
    const result = await shopctl(["doctor", "--stack", "staging", "--json"], bare);
    expect(result.code).toBe(1);
    const document = JSON.parse(result.stdout) as { ok: boolean; checks: { id: string; name: string; status: string; fix?: string }[] };
    expect(document.ok).toBe(false);
    expect(document.checks.map((check) => `${check.id}:${check.status}`)).toEqual(["node:ok", "pulumi:fail", "backend:ok", "secrets:fail", "aws-credentials:fail", "region:skip"]);
    for (const check of document.checks.filter((item) => item.status === "fail")) expect(check.fix).toMatch(/\S/);
  });

  it("a bad --backend is bad usage (exit 2)", async ({ expect }) => {
    const result = await shopctl(["doctor", "--backend", "ftp://state"], bare);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--backend ftp://state: expected file://PATH");
  });
});

describe("help and completion", () => {
  const commands = [["init"], ["preview"], ["up"], ["destroy"], ["status"], ["outputs"], ["doctor"], ["completion"]];

  it("every command's help shows --stack, --json and examples; those that change something have --dry-run", async () => {
    for (const command of commands) {
      const result = await shopctl([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("--stack <name>");
      expect(result.stdout).toContain("--json");
      expect(result.stdout).toContain("Examples:");
      if (["init", "up", "destroy"].includes(command[0] ?? "")) expect(result.stdout).toContain("--dry-run");
    }
  });

  it("prints a bash completion script", async () => {
    const result = await shopctl(["completion", "bash"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("complete -F _shopctl shopctl");
    expect((await shopctl(["completion", "fish"])).code).toBe(2);
  });
});
