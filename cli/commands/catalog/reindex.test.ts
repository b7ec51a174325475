import { describe, expect, it } from "vitest";
import { memoryIo } from "../../../test/memory-io.js";
import { ExitCode } from "../../exit-codes.js";
import { run } from "../../main.js";

const URLS = ["--source", "postgres://shop@127.0.0.1:1/shop", "--target", "http://127.0.0.1:1"];

async function shopctl(...args: string[]) {
  const io = memoryIo();
  const code = await run(["node", "shopctl", ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe("shopctl reindex: flags", () => {
  it.each([
    [["--batch-size", "0"], "--batch-size must be an integer from 1 to 10000; got \"0\""],
    [["--batch-size", "12.5"], "--batch-size must be an integer from 1 to 10000; got \"12.5\""],
    [["--concurrency", "33"], "--concurrency must be an integer from 1 to 32; got \"33\""],
    [["--max-errors", "-1"], "--max-errors must be an integer from 0 to 1000000; got \"-1\""],
    [["--replicas", "many"], "--replicas must be an integer from 0 to 5; got \"many\""],
    [["--mapping", "english"], "argument 'english' is invalid. Allowed choices are auto, core, rich"],
    [["--region", "eu"], "Allowed choices are primary, dr"],
    [["--alias", "Products"], "--alias must be lower-case letters, digits, _ and -"],
    [["--schema", "cat-alog"], "--schema must be a lower-case identifier"],
  ])("refuses %j with exit 2", async (flags, message) => {
    const result = await shopctl("reindex", ...URLS, ...flags);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain(message);
  });

  it("refuses an unknown action", async () => {
    const result = await shopctl("reindex", "rebuild", ...URLS);
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain("'rebuild' is invalid for argument 'action'. Allowed choices are rollback, status");
  });

  it("needs --stack or both URLs", async () => {
    const result = await shopctl("reindex", "--source", "postgres://shop@127.0.0.1:1/shop");
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain("--target is required with --source");
  });

  it("prints a JSON error document for a bad URL under --json", async () => {
    const result = await shopctl("reindex", "--source", "mysql://h/db", "--target", "http://h", "--json");
    expect(result.code).toBe(ExitCode.Usage);
    expect(JSON.parse(result.out)).toEqual({ error: { message: '--source "mysql://h/db" has protocol mysql:; expected postgres: or postgresql: (e.g. postgres://shop@127.0.0.1:5432/shop)', exitCode: 2 } });
  });

  it("documents every flag, the actions and examples", async () => {
    const result = await shopctl("reindex", "--help");
    expect(result.code).toBe(ExitCode.Ok);
    for (const flag of ["--stack", "--source", "--target", "--region", "--alias", "--schema", "--batch-size", "--concurrency", "--max-errors", "--mapping", "--replicas", "--no-resume", "--dry-run", "--json", "--db-ca-file"]) {
      expect(result.out).toContain(flag);
    }
    expect(result.out).toContain("rollback");
    expect(result.out).toContain("Examples:");
  });
});

describe("shopctl catalog: flags", () => {
  it("seed needs --count", async () => {
    const result = await shopctl("catalog", "seed", "--database", "postgres://h/db");
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain("required option '--count <n>' not specified");
  });

  it.each([["0"], ["1e3"], ["x"]])("seed refuses --count %s", async (count) => {
    const result = await shopctl("catalog", "seed", "--count", count, "--database", "postgres://h/db");
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain(`--count must be an integer from 1 to 50000000; got "${count}"`);
  });

  it("migrate needs --stack or --database", async () => {
    const result = await shopctl("catalog", "migrate");
    expect(result.code).toBe(ExitCode.Usage);
    expect(result.err).toContain("pass --stack NAME, or --database");
  });
});
