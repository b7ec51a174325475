import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../../test/shopctl.js";
import { sdkVersionOf } from "../../local-cloud/plugin/plugin-packages.js";
import { checkBackend, checkLocalCloud, checkNode, checkPulumi, checkSecrets, formatChecks, nodeEngineRange, runChecks, type CheckResult } from "./checks.js";
import { detectPulumi, PULUMI_INSTALL_HINT, versionAtLeast } from "./pulumi-cli.js";

let dir = "";

async function executable(folder: string, name: string, script: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, 0o755);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "shopctl-doctor-"));
  // Executables that print what `pulumi version` prints; they test detection, not deployments.
  await executable(path.join(dir, "current"), "pulumi", "echo v3.210.0");
  await executable(path.join(dir, "current"), "pulumi-language-nodejs", "exit 0");
  await executable(path.join(dir, "new"), "pulumi", "echo v99.0.0");
  await executable(path.join(dir, "new"), "pulumi-language-nodejs", "exit 0");
  await executable(path.join(dir, "new-no-host"), "pulumi", "echo v99.0.0");
  await executable(path.join(dir, "ancient"), "pulumi", "echo v2.25.2");
  await executable(path.join(dir, "broken"), "pulumi", "echo 'segfault' >&2; exit 2");
  await executable(path.join(dir, "home", ".pulumi", "bin"), "pulumi", "echo v3.210.0");
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe("the Pulumi CLI check", () => {
  // A project root without scripts/pulumi-engine.sh: only PATH and $SHOPCTL_PULUMI count.
  const root = () => path.join(dir, "no-project");

  it("finds pulumi on PATH and reports its version and language host", async () => {
    const env = { PATH: `${path.join(dir, "empty")}:${path.join(dir, "current")}` };
    expect(await detectPulumi(env, root())).toEqual({ found: true, path: path.join(dir, "current", "pulumi"), version: "3.210.0", tooOld: false, source: "PATH", languageHost: path.join(dir, "current", "pulumi-language-nodejs") });
    expect(await checkPulumi(env, { root: root() })).toMatchObject({ status: "ok", detail: `v3.210.0 at ${path.join(dir, "current", "pulumi")}; language host ${path.join(dir, "current", "pulumi-language-nodejs")}` });
  });

  it("takes $SHOPCTL_PULUMI before PATH, and refuses one that is not a pulumi executable", async () => {
    const env = { PATH: path.join(dir, "ancient"), SHOPCTL_PULUMI: path.join(dir, "current") };
    expect(await detectPulumi(env, root())).toMatchObject({ found: true, source: "SHOPCTL_PULUMI", path: path.join(dir, "current", "pulumi") });
    expect(await checkPulumi({ ...env, SHOPCTL_PULUMI: path.join(dir, "nowhere") }, { root: root() })).toMatchObject({
      status: "fail",
      detail: `SHOPCTL_PULUMI=${path.join(dir, "nowhere")} is not a pulumi executable (nor a folder holding one)`,
    });
  });

  it("fails with the install instructions when there is none", async () => {
    const result = await checkPulumi({ PATH: path.join(dir, "empty"), HOME: path.join(dir, "nohome") }, { root: root() });
    expect(result).toMatchObject({ status: "fail", detail: "not found on PATH, and this project's engine is not built" });
    expect(result.fix).toContain(PULUMI_INSTALL_HINT);
    expect(result.fix).toContain("bash scripts/pulumi-engine.sh install");
  });

  it("says to fix PATH when it is installed under ~/.pulumi/bin but not on PATH", async () => {
    const result = await checkPulumi({ PATH: path.join(dir, "empty"), HOME: path.join(dir, "home") }, { root: root() });
    expect(result.status).toBe("fail");
    expect(result.fix).toContain('export PATH="$HOME/.pulumi/bin:$PATH"');
  });

  it("fails an old or broken CLI", async () => {
    expect(await checkPulumi({ PATH: path.join(dir, "ancient") }, { root: root() })).toMatchObject({ status: "fail", detail: expect.stringContaining("v2.25.2") as unknown });
    expect(await checkPulumi({ PATH: path.join(dir, "broken") }, { root: root() })).toMatchObject({ status: "fail", detail: expect.stringContaining("version failed") as unknown });
  });

  it("for --local, wants an engine at least as new as the SDK, with a Node.js language host", async () => {
    const sdk = sdkVersionOf("pulumi", ROOT);
    const older = await checkPulumi({ PATH: path.join(dir, "current") }, { local: true, root: ROOT });
    expect(older).toMatchObject({ status: "fail", detail: expect.stringContaining(`older than the @pulumi/pulumi SDK (${sdk})`) as unknown });
    expect(older.fix).toContain("bash scripts/pulumi-engine.sh install");
    const hostless = await checkPulumi({ PATH: path.join(dir, "new-no-host") }, { local: true, root: ROOT });
    expect(hostless).toMatchObject({ status: "fail", detail: expect.stringContaining("no pulumi-language-nodejs beside it or on PATH") as unknown });
    expect(await checkPulumi({ PATH: path.join(dir, "new") }, { local: true, root: ROOT })).toMatchObject({ status: "ok", detail: expect.stringContaining("runs the program and the policy pack") as unknown });
  });

  it("compares versions numerically", () => {
    expect(versionAtLeast("3.10.0", "3.2.0")).toBe(true);
    expect(versionAtLeast("3.2.0-alpha.1", "3.2.0")).toBe(true);
    expect(versionAtLeast("2.99.99", "3.2.0")).toBe(false);
    expect(versionAtLeast("v3.248.0", "3.248.0")).toBe(true);
    expect(() => versionAtLeast("unknown", "3.2.0")).toThrow('cannot compare "unknown" with "3.2.0"');
  });
});

describe("the other local checks", () => {
  it("passes this Node.js and fails one older than package.json's engines", async () => {
    expect((await checkNode()).status).toBe("ok");
    expect(await checkNode("18.20.0")).toMatchObject({ status: "fail", fix: expect.stringContaining("20.19") as unknown });
  });

  it.each([
    ["^20.19 || >=22", "20.19.0", "ok"], ["^20.19 || >=22", "20.20.2", "ok"], ["^20.19 || >=22", "22.0.0", "ok"], ["^20.19 || >=22", "24.11.1", "ok"],
    ["^20.19 || >=22", "20.18.3", "fail"], ["^20.19 || >=22", "21.7.3", "fail"], ["^20.19 || >=22", "18.20.0", "fail"],
    [">=20.19", "20.19.0", "ok"], [">=20.19", "21.7.3", "ok"], [">=20.19", "24.11.1", "ok"], [">=20.19", "20.18.3", "fail"], [">=20.19", "19.9.0", "fail"],
    [">=22", "23.0.0-nightly20250101", "ok"],
  ])("reads engines.node %j against Node.js %s: %s", async (engines, version, status) => {
    expect(await checkNode(version, engines)).toMatchObject({ status });
  });

  it("names the range it wants when the version does not satisfy it", async () => {
    expect(await checkNode("21.7.3", "^20.19 || >=22")).toEqual({
      id: "node", name: "Node.js", status: "fail", detail: "v21.7.3 does not satisfy ^20.19 || >=22", fix: "install a Node.js that satisfies ^20.19 || >=22 (e.g. `nvm install 20`)",
    });
  });

  it.each(["banana", "^20.19 ||| >=22", ">=twenty"])("fails clearly on the unreadable range %j", async (engines) => {
    expect(() => nodeEngineRange(engines)).toThrow(`package.json's engines.node "${engines}" is not a semver range (such as ">=20.19" or "^20.19 || >=22")`);
    expect(await checkNode("22.0.0", engines)).toMatchObject({ status: "fail", detail: expect.stringContaining("is not a semver range") as unknown, fix: "fix engines.node in package.json" });
  });

  it("creates the local state folder and checks it is writable", async () => {
    const state = path.join(dir, "state-home", "state");
    const result = await checkBackend({ backendUrl: `file://${state}`, backendKind: "file", secretsProvider: "passphrase" }, {}, "eu-west-1");
    expect(result).toMatchObject({ status: "ok", detail: `file://${state} (local folder, writable)` });
    const blocked = path.join(dir, "current", "pulumi", "state");
    expect(await checkBackend({ backendUrl: `file://${blocked}`, backendKind: "file", secretsProvider: "passphrase" }, {}, "eu-west-1"))
      .toMatchObject({ status: "fail", fix: expect.stringContaining("SHOPCTL_HOME") as unknown });
  });

  it("warns about Pulumi Cloud without an access token", async () => {
    const settings = { backendUrl: "https://api.pulumi.com", backendKind: "cloud" as const, secretsProvider: undefined };
    expect(await checkBackend(settings, {}, "eu-west-1")).toMatchObject({ status: "warn", fix: expect.stringContaining("PULUMI_ACCESS_TOKEN") as unknown });
    expect((await checkBackend(settings, { PULUMI_ACCESS_TOKEN: "pul-x" }, "eu-west-1")).status).toBe("ok");
  });

  it("needs a passphrase (variable or readable file) for the passphrase provider, and never prints it", async () => {
    const settings = { backendUrl: "file:///x", backendKind: "file" as const, secretsProvider: "passphrase" };
    const missing = await checkSecrets(settings, {}, "eu-west-1");
    expect(missing).toMatchObject({ status: "fail", fix: expect.stringContaining("PULUMI_CONFIG_PASSPHRASE") as unknown });
    const set = await checkSecrets(settings, { PULUMI_CONFIG_PASSPHRASE: "correct horse" }, "eu-west-1");
    expect(set.status).toBe("ok");
    expect(JSON.stringify(set)).not.toContain("correct horse");
    const file = path.join(dir, "passphrase");
    await writeFile(file, "correct horse");
    expect((await checkSecrets(settings, { PULUMI_CONFIG_PASSPHRASE_FILE: file }, "eu-west-1")).status).toBe("ok");
    expect((await checkSecrets(settings, { PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "nope") }, "eu-west-1")).status).toBe("fail");
  });

  it("runs only the checks asked for, in a fixed order", async () => {
    const results = await runChecks({
      env: { PATH: path.join(dir, "current"), PULUMI_CONFIG_PASSPHRASE: "x" },
      settings: { backendUrl: `file://${path.join(dir, "only")}`, backendKind: "file", secretsProvider: "passphrase" },
      regions: undefined,
      homeRegion: "eu-west-1",
      only: ["node", "pulumi", "backend", "secrets"],
    });
    expect(results.map((result) => [result.id, result.status])).toEqual([["node", "ok"], ["pulumi", "ok"], ["backend", "ok"], ["secrets", "ok"]]);
  });
});

describe("the checks of a --local run", () => {
  it("skip AWS credentials and regions, and accept the local cloud's own passphrase", async () => {
    const local = { home: path.join(dir, "local"), stateDir: path.join(dir, "local", "state"), pulumiHome: path.join(dir, "local", "pulumi-home"), cloudDir: path.join(dir, "local", "cloud"), passphraseFile: path.join(dir, "local", "passphrase"), workDir: path.join(dir, "local", "workspace"), stackFile: path.join(dir, "local", "workspace", "stacks", "Pulumi.dev.yaml") };
    const results = await runChecks({
      env: { PATH: path.join(dir, "new") },
      settings: { backendUrl: `file://${path.join(dir, "local", "state")}`, backendKind: "file", secretsProvider: "passphrase", local },
      regions: ["eu-west-1", "us-east-1"],
      homeRegion: "eu-west-1",
    });
    expect(results.map((result) => [result.id, result.status])).toEqual([
      ["node", "ok"], ["pulumi", "ok"], ["local-cloud", "ok"], ["backend", "ok"], ["secrets", "ok"], ["aws-credentials", "skip"], ["region", "skip"],
    ]);
    expect(results.find((result) => result.id === "secrets")?.detail).toContain(local.passphraseFile);
  });
});

describe("the local cloud check", () => {
  it("fails with the fix when the compiled plugin is missing (a checkout that was never built)", async () => {
    const root = path.join(dir, "unbuilt");
    await mkdir(root, { recursive: true });
    await symlink(path.join(ROOT, "node_modules"), path.join(root, "node_modules"));
    const local = { home: path.join(dir, "unbuilt-home"), stateDir: "", pulumiHome: path.join(dir, "unbuilt-home", "pulumi-home"), cloudDir: "", passphraseFile: "", workDir: "", stackFile: "" };
    const result = await checkLocalCloud(local, root);
    expect(result).toMatchObject({ id: "local-cloud", status: "fail", detail: expect.stringContaining("dist is not built") as unknown, fix: expect.stringContaining("npm run build") as unknown });
  });

  it("passes for this built checkout and names the plugins and their versions", async () => {
    const local = { home: path.join(dir, "built-home"), stateDir: "", pulumiHome: path.join(dir, "built-home", "pulumi-home"), cloudDir: "", passphraseFile: "", workDir: "", stackFile: "" };
    const result = await checkLocalCloud(local, ROOT);
    expect(result).toMatchObject({ status: "ok", detail: expect.stringMatching(/aws v7\.48\.0, awsx v3\.9\.0/) as unknown });
  });
});

describe("formatChecks", () => {
  it("aligns the checks and puts each fix under its failing check", () => {
    const results: CheckResult[] = [
      { id: "node", name: "Node.js", status: "ok", detail: "v20.20.2" },
      { id: "pulumi", name: "Pulumi CLI", status: "fail", detail: "not found on PATH", fix: "install it" },
    ];
    expect(formatChecks(results)).toBe([
      "ok    Node.js     v20.20.2",
      "FAIL  Pulumi CLI  not found on PATH",
      "                  fix: install it",
    ].join("\n"));
  });
});
