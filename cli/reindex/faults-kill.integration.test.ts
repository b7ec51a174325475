import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aliasTarget, catalogFixture, expectIndexEqualsCatalog, type CatalogFixture } from "../../test/catalog-fixture.js";
import { ROOT, SHOPCTL_BIN, shopctl } from "../../test/shopctl.js";
import { listManaged } from "./indices.js";
import type { ReindexReport } from "./report.js";
import { reindex } from "./run.js";

let fixture: CatalogFixture;
beforeAll(async () => { fixture = await catalogFixture("faults_kill", { count: 30_000 }); });
afterAll(async () => { await fixture.cleanup(); });

const flags = () => ["--source", fixture.pgUrl, "--target", fixture.openSearchUrl, "--schema", fixture.schema, "--alias", fixture.alias];

/**
 * Starts `shopctl reindex` and sends `signal` once its build index records a checkpoint; returns
 * that index, the exit code and stderr.
 */
async function startAndStop(signal: NodeJS.Signals): Promise<{ building: string; code: number | null; stderr: string }> {
  if (!existsSync(SHOPCTL_BIN)) throw new Error(`${SHOPCTL_BIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [SHOPCTL_BIN, "reindex", ...flags(), "--batch-size", "200", "--concurrency", "1"], { cwd: ROOT, env: { ...process.env, CI: "true" }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => { stderr += chunk.toString(); });
  const run = { ended: false };
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => { run.ended = true; resolve(code); }));
  let building: string | undefined;
  while (building === undefined && !run.ended) {
    const indices = await listManaged(fixture.client, fixture.alias);
    building = indices.find((index) => index.meta?.state === "building" && typeof index.meta.checkpoint?.afterId === "string")?.name;
    if (building === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill(signal);
  const code = await exited;
  if (building === undefined) throw new Error("shopctl reindex ended before it recorded a checkpoint, so it could not be stopped midway");
  return { building, code, stderr };
}

describe("a reindex killed midway", () => {
  it("leaves the alias untouched, and the next run resumes from the checkpoint and succeeds", async () => {
    const first = await reindex(fixture.settings({ batchSize: 1_000 }), fixture.context());
    const { building } = await startAndStop("SIGKILL");

    expect(await aliasTarget(fixture)).toEqual([first.index]);
    const served = await fixture.client.count({ index: fixture.alias });
    expect(served.body.count).toBe(30_000);

    const rerun = await shopctl(["reindex", ...flags(), "--json"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as ReindexReport;
    expect(report.resumedFrom?.index).toBe(building);
    expect(Number(report.resumedFrom?.afterId)).toBeGreaterThan(0);
    expect(report.index).toBe(building);
    expect(report.load.rows).toBeLessThan(30_000);
    expect(await aliasTarget(fixture)).toEqual([building]);
    await expectIndexEqualsCatalog(fixture, report.index);
  });

  it("Ctrl-C stops cleanly: requests in flight finish, the checkpoint is saved, the alias stays", async () => {
    const before = await aliasTarget(fixture);
    const { building, code, stderr } = await startAndStop("SIGINT");
    expect(code).toBe(1);
    expect(stderr).toContain("reindex: interrupting: finishing the requests in flight and saving the checkpoint");
    expect(stderr).toContain(`reindex interrupted; the alias ${fixture.alias} was not touched. ${building} keeps its checkpoint: run the same command again to resume`);
    expect(await aliasTarget(fixture)).toEqual(before);
    const kept = (await listManaged(fixture.client, fixture.alias)).find((index) => index.name === building);
    expect(Number(kept?.meta?.checkpoint?.afterId)).toBeGreaterThan(0);
  });

  it("starts afresh with --no-resume and deletes the unfinished index", async () => {
    const building = (await listManaged(fixture.client, fixture.alias)).find((index) => index.meta?.state === "building")?.name;
    expect(building).toBeDefined();
    const rerun = await shopctl(["reindex", ...flags(), "--no-resume", "--json"]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const report = JSON.parse(rerun.stdout) as ReindexReport;
    expect(report.resumedFrom).toBeNull();
    expect(report.index).not.toBe(building);
    expect(report.retention.deleted).toContain(building);
    expect((await listManaged(fixture.client, fixture.alias)).map((index) => index.name)).not.toContain(building);
  });
});
