import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InventoryEntry } from "../inventory.js";
import { CLOUD_DIR_VARIABLE, cloudDirFromEnv, InventoryJournal, JOURNAL_FILE, JournaledInventory } from "./inventory-journal.js";

const run = promisify(execFile);

function entry(name: string, state: Record<string, unknown> = {}): InventoryEntry {
  return { type: "aws:ssm/parameter:Parameter", name, id: `/shop/${name}`, region: "eu-west-1", state: { arn: `arn:aws:ssm:eu-west-1:123456789012:parameter/shop/${name}`, ...state } };
}

describe("InventoryJournal", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "local-cloud-journal-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("replays puts and deletes for a reader that starts later (another process, the next run)", () => {
    const writer = new InventoryJournal(dir);
    writer.put(entry("a"));
    writer.put(entry("b"));
    writer.delete("aws:ssm/parameter:Parameter", "/shop/a");
    const reader = new InventoryJournal(dir);
    expect(reader.current().map((e) => e.name)).toEqual(["b"]);
    expect(reader.get("aws:ssm/parameter:Parameter", "/shop/a")).toBeUndefined();
  });

  it("lets an update replace the entry in place and a reader see appends made after it first looked", () => {
    const writer = new InventoryJournal(dir);
    const reader = new InventoryJournal(dir);
    writer.put(entry("a", { value: "1" }));
    writer.put(entry("b"));
    expect(reader.current()).toHaveLength(2);
    writer.put(entry("a", { value: "2" }));
    writer.put(entry("c"));
    expect(reader.current().map((e) => [e.name, e.state.value])).toEqual([
      ["a", "2"],
      ["b", undefined],
      ["c", undefined],
    ]);
  });

  it("keeps the same id under different types apart", () => {
    const journal = new InventoryJournal(dir);
    journal.put({ ...entry("x"), type: "aws:kms/alias:Alias" });
    journal.put(entry("x"));
    journal.delete("aws:kms/alias:Alias", "/shop/x");
    expect(journal.current().map((e) => e.type)).toEqual(["aws:ssm/parameter:Parameter"]);
  });

  it("waits for the newline of a record still being written", () => {
    const journal = new InventoryJournal(dir);
    journal.put(entry("a"));
    const line = JSON.stringify({ op: "put", entry: entry("b") });
    appendFileSync(join(dir, JOURNAL_FILE), line.slice(0, 20));
    expect(journal.current().map((e) => e.name)).toEqual(["a"]);
    appendFileSync(join(dir, JOURNAL_FILE), `${line.slice(20)}\n`);
    expect(journal.current().map((e) => e.name)).toEqual(["a", "b"]);
  });

  it("starts over when the journal was deleted and begun anew", () => {
    const journal = new InventoryJournal(dir);
    journal.put(entry("a", { padding: "x".repeat(100) }));
    expect(journal.current()).toHaveLength(1);
    rmSync(join(dir, JOURNAL_FILE));
    journal.put(entry("b"));
    expect(journal.current().map((e) => e.name)).toEqual(["b"]);
  });

  it("refuses a damaged journal, naming file and line and how to start over", () => {
    const journal = new InventoryJournal(dir);
    journal.put(entry("a"));
    appendFileSync(join(dir, JOURNAL_FILE), '{"op":"put","entry":{"type":"t"}}\n{not json\n');
    expect(() => journal.current()).toThrow(new RegExp(`${JOURNAL_FILE}:2: a "put" without a valid entry .*delete ${dir} to start from an empty cloud`));
    const other = new InventoryJournal(mkdtempSync(join(tmpdir(), "local-cloud-journal-")));
    appendFileSync(other.file, '{"op":"rename"}\n');
    expect(() => other.current()).toThrow(/:1: unknown op "rename"/);
    rmSync(other.dir, { recursive: true, force: true });
  });

  it("loses no record when several processes append at once", async () => {
    const writers = 4;
    const records = 150;
    const module = pathToFileURL(join(import.meta.dirname, "inventory-journal.ts")).href;
    const script = join(dir, "writer.ts");
    writeFileSync(
      script,
      `import { InventoryJournal } from ${JSON.stringify(module)};
const [dir, writer, count] = process.argv.slice(2);
const journal = new InventoryJournal(dir);
const padding = "x".repeat(3000); // records longer than a pipe's atomic size
for (let i = 0; i < Number(count); i++) {
  journal.put({ type: "aws:iam/role:Role", name: writer + "-" + i, id: writer + "-" + i, region: undefined, state: { padding } });
  if (i % 10 === 9) journal.delete("aws:iam/role:Role", writer + "-" + (i - 9));
}
`,
    );
    await Promise.all(
      Array.from({ length: writers }, (_, writer) => run(process.execPath, ["--import", "tsx", script, dir, `w${writer}`, String(records)], { cwd: join(import.meta.dirname, "..", "..") })),
    );
    const lines = readFileSync(join(dir, JOURNAL_FILE), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(writers * (records + records / 10));
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const names = new InventoryJournal(dir).current().map((e) => e.name);
    expect(names).toHaveLength(writers * (records - records / 10));
    for (let writer = 0; writer < writers; writer++) {
      expect(names).toContain(`w${writer}-1`);
      expect(names).not.toContain(`w${writer}-0`);
    }
  });
});

describe("JournaledInventory", () => {
  it("starts from the journal and writes what the mock cloud adds back to it", () => {
    const dir = mkdtempSync(join(tmpdir(), "local-cloud-journal-"));
    try {
      const journal = new InventoryJournal(dir);
      journal.put(entry("a"));
      const inventory = new JournaledInventory(journal);
      expect(inventory.get("arn:aws:ssm:eu-west-1:123456789012:parameter/shop/a")?.name).toBe("a");
      inventory.add(entry("b"));
      expect(new JournaledInventory(new InventoryJournal(dir)).find("aws:ssm/parameter:Parameter", (e) => e.name === "b")).toBeDefined();
      // Seeding does not write the entries again.
      expect(readFileSync(journal.file, "utf8").trimEnd().split("\n")).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("cloudDirFromEnv", () => {
  it("refuses an unset variable, naming it", () => {
    expect(() => cloudDirFromEnv({})).toThrow(new RegExp(`^${CLOUD_DIR_VARIABLE} is not set: the local cloud keeps what it has created in that directory`));
    expect(() => cloudDirFromEnv({ [CLOUD_DIR_VARIABLE]: "  " })).toThrow(/is not set/);
  });

  it("refuses a relative path: plugins run in another working directory", () => {
    expect(() => cloudDirFromEnv({ [CLOUD_DIR_VARIABLE]: "cloud" })).toThrow(/SHOP_LOCAL_CLOUD_DIR must be an absolute path; got "cloud"/);
  });

  it("returns an absolute directory", () => {
    expect(cloudDirFromEnv({ [CLOUD_DIR_VARIABLE]: "/tmp/cloud" })).toBe("/tmp/cloud");
  });
});
