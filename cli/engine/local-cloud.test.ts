import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { engineRoot, mirrorProject, syncLocalStackFile } from "./local-cloud.js";

let dir = "";
beforeAll(async () => { dir = await mkdtemp(path.join(tmpdir(), "shopctl-local-cloud-")); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

describe("the stack file a --local run hands the engine", () => {
  it("is a copy refreshed from the validated file that keeps the local salt, so the repository's file is never written", async () => {
    const source = path.join(dir, "Pulumi.dev.yaml");
    const copy = path.join(dir, "local", "stacks", "Pulumi.dev.yaml");
    await writeFile(source, "config:\n  shop:tier: dev\n");
    await syncLocalStackFile(source, copy);
    expect(parseYaml(await readFile(copy, "utf8"))).toEqual({ config: { "shop:tier": "dev" } });
    // The engine writes its salt into the copy; a changed config must keep it.
    await writeFile(copy, "config:\n  shop:tier: dev\nencryptionsalt: v1:local-salt\n");
    await writeFile(source, "config:\n  shop:tier: dev\n  shop:web:\n    maxSize: 3\n");
    await syncLocalStackFile(source, copy);
    expect(parseYaml(await readFile(copy, "utf8"))).toEqual({ config: { "shop:tier": "dev", "shop:web": { maxSize: 3 } }, encryptionsalt: "v1:local-salt" });
    expect(await readFile(source, "utf8")).not.toContain("encryptionsalt");
  });

  it("uses the repository file's own salt when it has one (its secure values decrypt with that passphrase)", async () => {
    const source = path.join(dir, "Pulumi.prod.yaml");
    const copy = path.join(dir, "local", "stacks", "Pulumi.prod.yaml");
    await writeFile(copy, "config: {}\nencryptionsalt: v1:local-salt\n");
    await writeFile(source, "config:\n  shop:token:\n    secure: v1:abc\nencryptionsalt: v1:team-salt\n");
    await syncLocalStackFile(source, copy);
    expect(parseYaml(await readFile(copy, "utf8"))).toMatchObject({ encryptionsalt: "v1:team-salt" });
  });
});

describe("the project mirror a --local run works in", () => {
  it("links the repository's files, but not its stack files, so the engine never writes into the repository", async () => {
    const repo = path.join(dir, "repo");
    await mkdir(path.join(repo, "stacks", "config"), { recursive: true });
    await mkdir(path.join(repo, "node_modules"), { recursive: true });
    await mkdir(path.join(repo, ".git"), { recursive: true });
    for (const file of ["Pulumi.yaml", "package.json", "stacks/index.ts", "stacks/Pulumi.dev.yaml", "stacks/Pulumi.prod.yaml"]) await writeFile(path.join(repo, file), "x");
    const mirror = path.join(dir, "mirror");
    await mirrorProject(repo, mirror, "stacks");
    await mirrorProject(repo, mirror, "stacks"); // idempotent
    expect((await readdir(mirror)).sort()).toEqual(["Pulumi.yaml", "node_modules", "package.json", "stacks"]);
    expect(await readlink(path.join(mirror, "node_modules"))).toBe(path.join(repo, "node_modules"));
    expect((await lstat(path.join(mirror, "stacks"))).isDirectory()).toBe(true);
    expect((await readdir(path.join(mirror, "stacks"))).sort()).toEqual(["config", "index.ts"]);
    expect(await readlink(path.join(mirror, "stacks", "index.ts"))).toBe(path.join(repo, "stacks", "index.ts"));
  });
});

describe("the engine's root for the Automation API", () => {
  it("uses an engine laid out as <root>/bin/pulumi in place, and links any other into shopctl's home", async () => {
    expect(await engineRoot("/opt/pulumi/bin/pulumi", {}, path.join(dir, "engine"))).toBe("/opt/pulumi");
    const root = await engineRoot("/opt/pulumi-3.248", {}, path.join(dir, "engine"));
    expect(root).toBe(path.join(dir, "engine"));
    expect(await readlink(path.join(root, "bin", "pulumi"))).toBe("/opt/pulumi-3.248");
  });
});
