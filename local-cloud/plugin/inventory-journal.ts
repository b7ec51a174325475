import { closeSync, fstatSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { Inventory, type InventoryEntry } from "../inventory.js";
import { isRecord } from "../property-values.js";

// What the local cloud holds must outlive a plugin process: the engine starts one process per
// provider (several at once) and new ones on every run, and models and invokes look earlier
// resources up (secrets, SSM parameters, KMS aliases, roles, zones). It lives in an append-only
// journal of JSON lines, one record per create/update/delete:
//  - every record is one write() on a file opened O_APPEND, so concurrent writers never interleave
//    within a record and never overwrite each other (no locks needed);
//  - readers replay it, incrementally: each look reads only the bytes appended since the last one,
//    and a trailing line still being written waits for its newline.

export const CLOUD_DIR_VARIABLE = "SHOP_LOCAL_CLOUD_DIR";
export const JOURNAL_FILE = "inventory.jsonl";

/** The local cloud's directory from the environment; refuses when it is unset or relative. */
export function cloudDirFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const dir = env[CLOUD_DIR_VARIABLE]?.trim() ?? "";
  if (dir === "") {
    throw new Error(
      `${CLOUD_DIR_VARIABLE} is not set: the local cloud keeps what it has created in that directory, shared by every ` +
        `plugin process and kept between runs. Set it to an absolute directory path (created if missing).`,
    );
  }
  if (!isAbsolute(dir)) {
    throw new Error(
      `${CLOUD_DIR_VARIABLE} must be an absolute path; got "${dir}". The engine starts plugins in the stack's config ` +
        `directory, so a relative path would point somewhere else for them.`,
    );
  }
  return dir;
}

type JournalRecord = { readonly op: "put"; readonly entry: InventoryEntry } | { readonly op: "delete"; readonly type: string; readonly id: string };

function keyOf(type: string, id: string): string {
  return JSON.stringify([type, id]);
}

function parseEntry(value: unknown): InventoryEntry | undefined {
  if (!isRecord(value)) return undefined;
  const { type, name, id, region, state } = value;
  if (typeof type !== "string" || typeof name !== "string" || typeof id !== "string" || !isRecord(state)) return undefined;
  if (region !== undefined && region !== null && typeof region !== "string") return undefined;
  return { type, name, id, region: typeof region === "string" ? region : undefined, state };
}

function parseRecord(line: string): JournalRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(value)) return "not an object";
  if (value.op === "put") {
    const entry = parseEntry(value.entry);
    return entry === undefined ? `a "put" without a valid entry ({ type, name, id, region?, state })` : { op: "put", entry };
  }
  if (value.op === "delete") {
    const { type, id } = value;
    return typeof type === "string" && typeof id === "string" ? { op: "delete", type, id } : `a "delete" without a string type and id`;
  }
  return `unknown op ${JSON.stringify(value.op)}`;
}

/** The journal of one local-cloud directory. */
export class InventoryJournal {
  readonly file: string;
  private readonly entries = new Map<string, InventoryEntry>();
  private offset = 0;
  private lineNumber = 0;
  private partial: Buffer = Buffer.alloc(0);

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, JOURNAL_FILE);
  }

  /** Records a create or update: the entry replaces any with the same type and id. */
  put(entry: InventoryEntry): void {
    this.append({ op: "put", entry });
  }

  delete(type: string, id: string): void {
    this.append({ op: "delete", type, id });
  }

  /** Everything the cloud holds now, oldest first (an update keeps the entry's place). */
  current(): InventoryEntry[] {
    this.catchUp();
    return [...this.entries.values()];
  }

  get(type: string, id: string): InventoryEntry | undefined {
    this.catchUp();
    return this.entries.get(keyOf(type, id));
  }

  private append(record: JournalRecord): void {
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, "utf8");
    const fd = openSync(this.file, "a");
    try {
      const written = writeSync(fd, bytes);
      if (written !== bytes.length) throw new Error(`${this.file}: short write (${written} of ${bytes.length} bytes); the journal may be damaged.`);
    } finally {
      closeSync(fd);
    }
  }

  private catchUp(): void {
    let fd: number;
    try {
      fd = openSync(this.file, "r");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) this.restart();
      if (size === this.offset) return;
      const fresh = Buffer.alloc(size - this.offset);
      let read = 0;
      while (read < fresh.length) {
        const n = readSync(fd, fresh, read, fresh.length - read, this.offset + read);
        if (n === 0) break;
        read += n;
      }
      this.offset += read;
      this.consume(Buffer.concat([this.partial, fresh.subarray(0, read)]));
    } finally {
      closeSync(fd);
    }
  }

  /** The file is shorter than what was read: the cloud was deleted and begun anew. Start over. */
  private restart(): void {
    this.entries.clear();
    this.offset = 0;
    this.lineNumber = 0;
    this.partial = Buffer.alloc(0);
  }

  private consume(bytes: Buffer): void {
    let start = 0;
    for (let newline = bytes.indexOf(0x0a, start); newline >= 0; newline = bytes.indexOf(0x0a, start)) {
      this.lineNumber += 1;
      const line = bytes.subarray(start, newline).toString("utf8");
      start = newline + 1;
      if (line.trim() !== "") this.apply(line);
    }
    this.partial = Buffer.from(bytes.subarray(start));
  }

  private apply(line: string): void {
    const record = parseRecord(line);
    if (typeof record === "string") {
      throw new Error(
        `${this.file}:${this.lineNumber}: ${record}. Only the local cloud's plugins write this journal; delete ${this.dir} ` +
          `to start from an empty cloud (and the stacks' state that refers to it).`,
      );
    }
    if (record.op === "put") this.entries.set(keyOf(record.entry.type, record.entry.id), record.entry);
    else this.entries.delete(keyOf(record.type, record.id));
  }
}

/**
 * The inventory the mock cloud reads and adds to while it answers one request: seeded from the
 * journal, and every `add` (a create, or an update that recomputes a resource) goes to the journal
 * too, so other plugin processes and later runs see it.
 */
export class JournaledInventory extends Inventory {
  private readonly journal: InventoryJournal;

  constructor(journal: InventoryJournal) {
    super();
    for (const entry of journal.current()) super.add(entry);
    this.journal = journal;
  }

  override add(entry: InventoryEntry): void {
    this.journal.put(entry);
    super.add(entry);
  }
}

