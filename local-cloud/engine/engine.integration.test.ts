// The real Pulumi engine that scripts/pulumi-engine.sh installs (the pinned CLI and our Node.js
// language host) running fixtures/program through the Automation API: config in, a plain and a
// secret output out, an idempotent second up, a failing program, a CrossGuard pack loaded through
// the host's RunPlugin, and a destroy. State goes to a file backend in a temporary directory.
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation/index.js";
import type { LocalWorkspaceOptions, Stack, UpOptions } from "@pulumi/pulumi/automation/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const execFileAsync = promisify(execFile);

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const engineScript = path.join(repoRoot, "scripts", "pulumi-engine.sh");

/** The engine's bin directory (the integration tier's global setup installs the engine). */
async function engineBinDir(): Promise<string> {
  const { stdout } = await execFileAsync("bash", [engineScript, "path"]);
  return stdout.trim();
}

/**
 * A copy of the fixtures in the repository's git-ignored .data/: under the repository, Node
 * resolves @pulumi/pulumi, @pulumi/policy and tsx from its node_modules, and the copy keeps the
 * Pulumi.<stack>.yaml files the Automation API writes out of the checkout.
 */
async function copyFixtures(): Promise<{ workDir: string; programDir: string; policyDir: string }> {
  const parent = path.join(repoRoot, ".data", "engine-tests");
  await mkdir(parent, { recursive: true });
  const workDir = await mkdtemp(path.join(parent, "run-"));
  const programDir = path.join(workDir, "program");
  const policyDir = path.join(workDir, "policy");
  await cp(path.join(here, "fixtures", "program"), programDir, { recursive: true });
  await cp(path.join(here, "fixtures", "policy"), policyDir, { recursive: true });
  return { workDir, programDir, policyDir };
}

/** The message of the error an up fails with, or a note that it did not fail. */
async function upFailure(stack: Stack, opts?: UpOptions): Promise<string> {
  return stack.up(opts).then(
    () => "the up succeeded",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
}

describe("the Pulumi engine with our Node.js language host", () => {
  let workDir = "";
  let programDir = "";
  let policyDir = "";
  let engineHome = "";
  let options: LocalWorkspaceOptions;

  async function stack(name: string): Promise<Stack> {
    return LocalWorkspace.createOrSelectStack({ stackName: name, workDir: programDir }, options);
  }

  beforeAll(async () => {
    const binDir = await engineBinDir();
    ({ workDir, programDir, policyDir } = await copyFixtures());
    engineHome = await mkdtemp(path.join(tmpdir(), "engine-test-"));
    await mkdir(path.join(engineHome, "state"));
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(binDir), skipVersionCheck: false });
    options = {
      pulumiCommand,
      envVars: {
        PULUMI_BACKEND_URL: `file://${path.join(engineHome, "state")}`,
        PULUMI_CONFIG_PASSPHRASE: "engine-fixture",
        PULUMI_HOME: path.join(engineHome, "home"),
        PULUMI_SKIP_UPDATE_CHECK: "true",
      },
    };
  }, 25 * 60_000);

  afterAll(async () => {
    await Promise.all([workDir, engineHome].filter((dir) => dir !== "").map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe("a stack's lifecycle", () => {
    let dev: Stack;

    beforeAll(async () => {
      dev = await stack("dev");
      await dev.setConfig("fixture:greeting", { value: "hello" });
      await dev.setConfig("fixture:token", { value: "s3cr3t", secret: true });
    });

    it("runs the program: up creates the stack and its outputs read back, the secret one as a secret", async () => {
      const result = await dev.up();

      expect(result.summary.result).toBe("succeeded");
      expect(result.summary.resourceChanges).toEqual({ create: 2 });
      expect(result.outputs["message"]).toEqual({ value: "hello, engine", secret: false });
      expect(result.outputs["token"]).toEqual({ value: "s3cr3t", secret: true });
      expect(await dev.outputs()).toEqual(result.outputs);
    });

    it("changes nothing on a second up", async () => {
      const result = await dev.up();

      expect(result.summary.resourceChanges).toEqual({ same: 2 });
    });

    it("loads the policy pack through the language host and passes while fixture:exposed is off", async () => {
      // No pulumi-analyzer-policy-nodejs is installed: the pack can only run through RunPlugin.
      const result = await dev.up({ policyPacks: [policyDir] });

      expect(result.summary.result).toBe("succeeded");
      expect(result.stdout).toContain("engine-fixture-policies@v0.0.1");
    });

    it("blocks the up on the mandatory stack policy once fixture:exposed is on", async () => {
      await dev.setConfig("fixture:exposed", { value: "true" });

      const failure = await upFailure(dev, { policyPacks: [policyDir] });

      expect(failure).toMatch(/\[mandatory\]\s+no-exposed-greeter/);
      expect(failure).toContain("greeter greeter is exposed (fixture:exposed=true)");
    });

    it("destroys the stack", async () => {
      const result = await dev.destroy();

      expect(result.summary.resourceChanges).toEqual({ delete: 2 });
    });
  });

  it("fails an up whose program throws, with the program's own error and no second message from the host", async () => {
    const boom = await stack("boom");
    await boom.setConfig("fixture:explode", { value: "true" });

    const failure = await upFailure(boom);

    expect(failure).toContain("engine fixture: exploding on purpose (fixture:explode=true)");
    // cmd/run reported the error itself (exit code 32), so the host bails without a message of its own.
    expect(failure).not.toMatch(/non-zero exit code/);
  });
});
