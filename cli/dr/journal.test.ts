import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "../exit-codes.js";
import { Journal } from "./journal.js";

let dir = "";
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), "shopctl-journal-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const at = (minute: number) => new Date(Date.UTC(2026, 0, 15, 9, minute)).toISOString();
function started(): Journal {
  return Journal.create(dir, { at: at(0), runId: "r1", operation: "failover", stack: "prod", options: { mode: "graceful" }, steps: [{ id: "fence", title: "fence" }, { id: "promote", title: "promote" }] });
}

describe("Journal", () => {
  it("derives each step's state, first observation, actions and timing from its entries", () => {
    const journal = started();
    journal.append({ type: "observe", at: at(0), step: "fence", facts: { fleet: 3 } });
    journal.append({ type: "act-start", at: at(1), step: "fence", action: "scale-in", description: "scaling" });
    journal.append({ type: "act", at: at(1), step: "fence", action: "scale-in", result: {} });
    journal.append({ type: "observe", at: at(2), step: "fence", facts: { fleet: 0 } });
    journal.append({ type: "verified", at: at(3), step: "fence", facts: { rpoSeconds: 0 } });
    journal.append({ type: "observe", at: at(3), step: "promote", facts: {} });
    journal.append({ type: "act-start", at: at(4), step: "promote", action: "promote", description: "promoting" });

    const loaded = Journal.load(dir, "failover");
    expect(loaded?.stepState("fence")).toBe("done");
    expect(loaded?.stepState("promote")).toBe("in-progress");
    expect(loaded?.stepState("report")).toBe("pending");
    expect(loaded?.firstObservation("fence")).toEqual({ fleet: 3 });
    expect(loaded?.actions("promote")).toEqual([{ action: "promote", at: Date.parse(at(4)), confirmed: false, result: undefined }]);
    expect(loaded?.timing("fence")).toEqual({ startedAt: Date.parse(at(0)), verifiedAt: Date.parse(at(3)) });
    expect(loaded?.verifiedFacts("fence")).toEqual({ rpoSeconds: 0 });
    expect(loaded?.start.options).toEqual({ mode: "graceful" });
  });

  it("refuses to start a second journal over an unfinished one", () => {
    started();
    expect(() => started()).toThrow(/already exists/);
  });

  it("tolerates a last line cut short by a crash, and stops on damage before it", () => {
    const journal = started();
    journal.append({ type: "observe", at: at(0), step: "fence", facts: {} });
    appendFileSync(journal.file, "{\"type\":\"act-st");
    expect(Journal.load(dir, "failover")?.stepState("fence")).toBe("in-progress");
    writeFileSync(journal.file, `${readFileSync(journal.file, "utf8").replace("{\"type\":\"act-st", "garbage\n")}{"type":"interrupted","at":"x"}\n`);
    expect(() => Journal.load(dir, "failover")).toThrow(CliError);
    expect(() => Journal.load(dir, "failover")).toThrow(/is damaged at line 3; move it aside/);
  });

  it("archives a finished run into history, where lastFinished finds it", () => {
    const journal = started();
    journal.append({ type: "finished", at: at(9) });
    const archived = journal.archive();
    expect(existsSync(journal.file)).toBe(false);
    expect(readdirSync(path.join(dir, "history"))).toEqual([path.basename(archived)]);
    expect(Journal.load(dir, "failover")).toBeUndefined();
    expect(Journal.lastFinished(dir, "failover")?.finished).toBe(true);
    expect(Journal.lastFinished(dir, "drill")).toBeUndefined();
  });
});
