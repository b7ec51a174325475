import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, shopctl } from "../test/shopctl.js";

describe("shopctl skeleton (the built binary, spawned)", () => {
  it("--version prints the package version and exits 0", async () => {
    const manifest = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const result = await shopctl(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  });

  it("--help lists the commands and the exit codes", async () => {
    const result = await shopctl(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: shopctl");
    expect(result.stdout).toContain("config");
    expect(result.stdout).toMatch(/Exit codes:[\s\S]*2 {2}bad usage[\s\S]*3 {2}refused/);
  });

  it("every command's help shows --stack and --json and an example", async () => {
    for (const command of [["config", "validate"], ["config", "show"]]) {
      const result = await shopctl([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("--stack <name>");
      expect(result.stdout).toContain("--json");
      expect(result.stdout).toContain("Examples:");
    }
  });

  it("an unknown command is bad usage (exit 2) with a suggestion", async () => {
    const result = await shopctl(["config", "validat"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Did you mean validate?");
  });

  it("an unknown flag is bad usage (exit 2)", async () => {
    const result = await shopctl(["config", "validate", "--stak", "dev"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--stak'/);
  });

  it("without a terminal a missing --stack is an error that names the flag (exit 2)", async () => {
    const result = await shopctl(["config", "show"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pass --stack NAME");
    expect(result.stdout).toBe("");
  });

  it("an unknown stack name is exit 2 and lists the stacks", async () => {
    const result = await shopctl(["config", "show", "--stack", "qa"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no stack named "qa".*dev, prod, staging/);
  });

  it("config validate --all-stacks passes the sample stacks", async () => {
    const result = await shopctl(["config", "validate", "--all-stacks"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {4}dev:[\s\S]*ok {4}prod:[\s\S]*ok {4}staging:/);
  });

  it("config show --json prints exactly one JSON document with the tier defaults filled in", async () => {
    const result = await shopctl(["config", "show", "--stack", "prod", "--json"]);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { stack: string; config: { database: { backupRetentionDays: number } } };
    expect(document.stack).toBe("prod");
    expect(document.config.database.backupRetentionDays).toBe(35);
  });

  it("SHOPCTL_STACK stands in for --stack", async () => {
    const result = await shopctl(["config", "show", "--json"], { SHOPCTL_STACK: "dev" });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { stack: string }).stack).toBe("dev");
  });

  describe("a bad stack file (in a scratch stacks folder, via SHOPCTL_STACKS_DIR)", () => {
    let dir = "";
    const env = () => ({ SHOPCTL_STACKS_DIR: dir });
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "shopctl-stacks-"));
      await copyFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
      await writeFile(path.join(dir, "Pulumi.zz-broken-test.yaml"), "config:\n  shop:tier: prdo\n  shop:primaryRegion: eu-west-1\n  shop:netwrok:\n    azCount: 3\n");
    });
    afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

    it("fails validation with exit 2, each bad key on stderr and a JSON verdict on stdout", async () => {
      const text = await shopctl(["config", "validate", "--stack", "zz-broken-test"], env());
      expect(text.code).toBe(2);
      expect(text.stderr).toContain("shop:tier: found \"prdo\"; expected one of dev | staging | prod (did you mean prod?)");
      expect(text.stderr).toContain("shop:netwrok: found {\"azCount\":3}; expected no such key; did you mean shop:network?");

      const json = await shopctl(["config", "validate", "--stack", "zz-broken-test", "--json"], env());
      expect(json.code).toBe(2);
      const document = JSON.parse(json.stdout) as { stacks: { stack: string; valid: boolean; issues: { path: string }[] }[] };
      expect(document.stacks[0]?.valid).toBe(false);
      expect(document.stacks[0]?.issues.map((issue) => issue.path)).toContain("shop:tags");
    });

    it("a command that needs the config exits 2 with a JSON error document under --json", async () => {
      const result = await shopctl(["config", "show", "--stack", "zz-broken-test", "--json"], env());
      expect(result.code).toBe(2);
      const document = JSON.parse(result.stdout) as { error: { exitCode: number; details: { issues: unknown[] } } };
      expect(document.error.exitCode).toBe(2);
      expect(document.error.details.issues.length).toBeGreaterThan(1);
    });

    it("--all-stacks validates every file and fails when one is bad", async () => {
      const result = await shopctl(["config", "validate", "--all-stacks"], env());
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(/ok {4}dev:[\s\S]*FAIL {2}zz-broken-test/);
    });
  });
});

