// The artifact as the instances get it: built twice to the same bytes, unpacked, and run with
// plain Node (no tsx, no repository around it) against the real database and search.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexDefinition } from "../src/catalog/mapping.js";
import { endpoints, uniqueName } from "../test/harness.js";
import { type BuildResult, buildArtifact } from "./build-app.js";

let work: string;
let first: BuildResult;
let second: BuildResult;
const alias = uniqueName("sf_artifact_products");
const schema = uniqueName("sf_artifact");
const openSearch = new Client({ node: endpoints.openSearchUrl });

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "storefront-artifact-test-"));
  first = await buildArtifact(path.join(work, "a", "storefront.tar.gz"));
  second = await buildArtifact(path.join(work, "b", "storefront.tar.gz"));
  const unpacked = spawnSync("tar", ["-xzf", first.file, "-C", work], { encoding: "utf8" });
  if (unpacked.status !== 0) throw new Error(unpacked.stderr);
  const definition = indexDefinition("core");
  await openSearch.indices.create({ index: `${alias}_1`, body: { settings: { index: { number_of_shards: 1, number_of_replicas: 0 } }, mappings: definition.mappings, aliases: { [alias]: {} } } as never });
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await openSearch.indices.delete({ index: `${alias}_1` }).catch(() => undefined);
  await openSearch.close();
  const admin = new pg.Client({ connectionString: endpoints.pgUrl });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

async function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ["server.js"], { cwd: work, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => { output += chunk.toString(); });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"listening"/.test(output) ? /"port":(\d+),"msg":"listening"/.exec(output) : null;
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.on("exit", (code) => { reject(new Error(`server.js exited with ${String(code)} before listening:\n${output}`)); });
  });
  return { child, port, output: () => output };
}

describe("npm run build:app", () => {
  it("gives the same bytes for the same sources, and writes the SHA-256 beside the archive", async () => {
    expect(second.sha256).toBe(first.sha256);
    expect(second.bytes).toBe(first.bytes);
    expect(await readFile(`${first.file}.sha256`, "utf8")).toBe(`${first.sha256}  storefront.tar.gz\n`);
  });

  it("holds server.js at its root, the compiled migrations and node_modules, as the WebTier expects", async () => {
    expect(existsSync(path.join(work, "server.js"))).toBe(true);
    expect(existsSync(path.join(work, "migrations", "1767830400001_storefront-orders.js"))).toBe(true);
    for (const name of ["fastify", "pg", "pino", "zod", "node-pg-migrate", "@opensearch-project/opensearch", "@aws-sdk/client-ssm", "@aws-sdk/client-secrets-manager"]) {
      expect(existsSync(path.join(work, "node_modules", name, "package.json")), name).toBe(true);
    }
    expect(JSON.parse(await readFile(path.join(work, "package.json"), "utf8"))).toMatchObject({ type: "module", main: "server.js" });
    const listing = spawnSync("tar", ["-tvzf", first.file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout.trim().split("\n");
    for (const line of listing) expect(line).toMatch(/^\S+ 0\/0 .* 1980-01-01 /);
    expect(listing.some((line) => line.endsWith(".d.ts"))).toBe(false);
  });

  it("runs with plain Node: migrates, answers /readyz, and exits 0 on SIGTERM", async () => {
    const server = await startServer({
      NODE_ENV: "production", HOST: "127.0.0.1", PORT: "0",
      DATABASE_URL: endpoints.pgUrl, DATABASE_TLS: "disable", DATABASE_SCHEMA: schema,
      SEARCH_ENDPOINT: endpoints.openSearchUrl, SEARCH_INDEX_ALIAS: alias,
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready", checks: { database: "ok", search: "ok" } });
    const missing = await fetch(`${base}/api/products/NOPE-1`);
    expect(missing.status).toBe(404);
    const exited = new Promise<number | null>((resolve) => server.child.on("exit", resolve));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(server.output()).toContain("ran 4 migrations");
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it("exits 2 with every configuration problem named when the environment is wrong", () => {
    const result = spawnSync(process.execPath, ["server.js"], { cwd: work, env: { PATH: process.env.PATH, PORT: "eighty", DATABASE_TLS: "maybe" }, encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain("PORT: found \\\"eighty\\\"; expected an integer from 0 to 65535");
    expect(result.stdout).toContain("DATABASE_TLS: found \\\"maybe\\\"; expected one of verify-full | require | disable");
    expect(result.stdout).toContain("DATABASE_ENDPOINT: found nothing");
    expect(result.stdout).toContain("SEARCH_ENDPOINT: found nothing");
  });
});
