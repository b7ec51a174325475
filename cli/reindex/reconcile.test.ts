import { describe, expect, it } from "vitest";
import { purgeItem } from "./bulk.js";
import { canRepair, MAX_REPAIR, type Differences } from "./reconcile.js";

const differences = (missing: number, unexpected: number, listed = true): Differences => ({
  missing,
  unexpected,
  missingRows: Array.from({ length: listed ? missing : 0 }, (_, n) => ({ id: String(n + 1), sku: `SKU-${n + 1}` })),
  unexpectedIds: Array.from({ length: listed ? unexpected : 0 }, (_, n) => String(1_000 + n)),
});

describe("canRepair", () => {
  it("repairs a handful of named differences", () => {
    expect(canRepair(differences(2, 1))).toBe(true);
    expect(canRepair(differences(MAX_REPAIR, 0))).toBe(true);
  });

  it("does not repair nothing, too much, or differences it cannot name in full", () => {
    expect(canRepair(differences(0, 0))).toBe(false);
    expect(canRepair(differences(MAX_REPAIR, 1))).toBe(false);
    expect(canRepair(differences(3, 0, false))).toBe(false);
  });
});

describe("purgeItem", () => {
  it("deletes a stray document by any id, escaped, without a version", () => {
    const item = purgeItem('ghost-"1"\n');
    expect(item.kind).toBe("delete");
    expect(item.lines.endsWith("\n")).toBe(true);
    expect(JSON.parse(item.lines)).toEqual({ delete: { _id: 'ghost-"1"\n' } });
  });
});
