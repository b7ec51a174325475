import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installLocalCloudPlugins, localCloudPluginsStatus, pluginEntryPoint } from "./install.js";

// A fake project: SDK package manifests with versions other than the real ones (so the test
// shows they are read, not assumed) and, where a test wants it, a built plugin entry.
function fakeProject(root: string, built: boolean): void {
  for (const [pkg, version] of [
    ["aws", "7.1.2"],
    ["awsx", "3.4.5"],
  ] as const) {
    const dir = join(root, "node_modules", "@pulumi", pkg);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `@pulumi/${pkg}`, version }));
  }
  if (built) {
    mkdirSync(dirname(pluginEntryPoint(root)), { recursive: true });
    writeFileSync(pluginEntryPoint(root), `console.log(JSON.stringify(process.argv.slice(2)));\n`);
  }
}

describe("installLocalCloudPlugins", () => {
  let base: string;
  let projectRoot: string;
  let pulumiHome: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "local-cloud-install-"));
    // A space and a quote in the path: the script must quote it.
    projectRoot = join(base, "my 'project'");
    pulumiHome = join(base, "home");
    fakeProject(projectRoot, true);
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it("writes one executable script per package where the engine looks, versioned like the SDK packages", async () => {
    const installed = await installLocalCloudPlugins({ pulumiHome, projectRoot });
    expect(installed.map(({ package: pkg, version, path, written }) => ({ pkg, version, path, written }))).toEqual([
      { pkg: "aws", version: "7.1.2", path: join(pulumiHome, "plugins", "resource-aws-v7.1.2", "pulumi-resource-aws"), written: true },
      { pkg: "awsx", version: "3.4.5", path: join(pulumiHome, "plugins", "resource-awsx-v3.4.5", "pulumi-resource-awsx"), written: true },
    ]);
    for (const { path, package: pkg } of installed) {
      expect(statSync(path).mode & 0o777).toBe(0o755);
      expect(readFileSync(path, "utf8")).toMatch(/^#!\/bin\/sh\n/);
      // The script runs the compiled plugin with the package first and the engine's arguments after.
      const output = execFileSync(path, ["127.0.0.1:1234", "--logtostderr"], { cwd: base, encoding: "utf8" });
      expect(JSON.parse(output)).toEqual([pkg, "127.0.0.1:1234", "--logtostderr"]);
    }
  });

  it("is idempotent, and repairs a script that was changed or lost its mode", async () => {
    const [aws] = await installLocalCloudPlugins({ pulumiHome, projectRoot });
    expect((await installLocalCloudPlugins({ pulumiHome, projectRoot })).map((s) => s.written)).toEqual([false, false]);
    chmodSync(aws!.path, 0o644);
    writeFileSync(join(dirname(installedPath(pulumiHome, "awsx", "3.4.5")), "pulumi-resource-awsx"), "#!/bin/sh\nexit 1\n");
    expect((await installLocalCloudPlugins({ pulumiHome, projectRoot })).map((s) => s.written)).toEqual([true, true]);
    expect(statSync(aws!.path).mode & 0o777).toBe(0o755);
    expect((await localCloudPluginsStatus({ pulumiHome, projectRoot })).ready).toBe(true);
  });

  it("refuses when the SDK packages are not installed, saying so", async () => {
    rmSync(join(projectRoot, "node_modules"), { recursive: true });
    await expect(installLocalCloudPlugins({ pulumiHome, projectRoot })).rejects.toThrow(/node_modules\/@pulumi\/aws\/package.json is missing: install the project's dependencies \(npm ci\)/);
  });
});

function installedPath(home: string, pkg: string, version: string): string {
  return join(home, "plugins", `resource-${pkg}-v${version}`, `pulumi-resource-${pkg}`);
}

describe("localCloudPluginsStatus", () => {
  let base: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), "local-cloud-status-"));
  });
  afterEach(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it("names absent scripts and an unbuilt dist, each with its fix", async () => {
    const projectRoot = join(base, "project");
    fakeProject(projectRoot, false);
    const status = await localCloudPluginsStatus({ pulumiHome: join(base, "home"), projectRoot });
    expect(status.ready).toBe(false);
    expect(status.problems).toEqual([
      { problem: `the compiled plugin ${pluginEntryPoint(projectRoot)} is missing (dist is not built)`, fix: `run npm run build in ${projectRoot}` },
      expect.objectContaining({ problem: `the aws plugin script ${installedPath(join(base, "home"), "aws", "7.1.2")} is absent` }),
      expect.objectContaining({ problem: `the awsx plugin script ${installedPath(join(base, "home"), "awsx", "3.4.5")} is absent` }),
    ]);
    expect(status.problems[1]?.fix).toMatch(/^run installLocalCloudPlugins\(/);
  });

  it("spots a script of another checkout and one that is not executable", async () => {
    const home = join(base, "home");
    const here = join(base, "here");
    const there = join(base, "there");
    fakeProject(here, true);
    fakeProject(there, true);
    await installLocalCloudPlugins({ pulumiHome: home, projectRoot: there });
    chmodSync(installedPath(home, "awsx", "3.4.5"), 0o600);
    const problems = (await localCloudPluginsStatus({ pulumiHome: home, projectRoot: here })).problems.map((p) => p.problem);
    expect(problems).toEqual([expect.stringMatching(/aws plugin script .* runs another checkout's plugin$/), expect.stringMatching(/awsx plugin script .* runs another checkout's plugin$/)]);
    const ownProblems = (await localCloudPluginsStatus({ pulumiHome: home, projectRoot: there })).problems.map((p) => p.problem);
    expect(ownProblems).toEqual([expect.stringMatching(/awsx plugin script .* is not executable \(mode 600\)$/)]);
  });

  it("names missing SDK packages with their fix", async () => {
    const status = await localCloudPluginsStatus({ pulumiHome: join(base, "home"), projectRoot: base });
    expect(status.problems[0]).toEqual({ problem: expect.stringMatching(/@pulumi\/aws\/package.json is missing/) as unknown, fix: `run npm ci in ${base}` });
  });
});
