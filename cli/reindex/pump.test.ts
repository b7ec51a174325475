import { describe, expect, it } from "vitest";
import type { ProductRow } from "../../apps/storefront/src/catalog/index.js";
import { BulkRequestError, emptyOutcome, type BulkItem, type BulkOutcome } from "./bulk.js";
import { AckLedger, pump, PumpFailed, PumpInterrupted, type PumpOptions } from "./pump.js";

const FAST = { baseMs: 1, maxMs: 2, random: () => 0 };

function rows(count: number): ProductRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i + 1), sku: `SKU-${i + 1}`, title: "t", description: "", brand: null, category_path: [], price_cents: "1", currency: "EUR",
    attributes: {}, stock: 0, in_stock: false, updated_at: new Date(0), deleted_at: null, search_version: "1",
  }));
}

/** A keyset reader over an array (the PostgreSQL side is covered by the integration tests). */
function reader(table: ProductRow[]): Pick<PumpOptions<string>, "read" | "keyOf" | "toItems"> & { reads: number } {
  const state = {
    reads: 0,
    read: (after: string | undefined, limit: number) => {
      state.reads++;
      const start = after === undefined ? 0 : table.findIndex((row) => row.id === after) + 1;
      return Promise.resolve(table.slice(start, start + limit));
    },
    keyOf: (row: ProductRow) => row.id,
    toItems: (page: readonly ProductRow[]): BulkItem[] => page.map((row) => ({ id: row.id, sku: row.sku, kind: "index", lines: row.id })),
  };
  return state;
}

function indexed(items: readonly BulkItem[]): BulkOutcome {
  return { ...emptyOutcome(), indexed: items.length };
}

describe("AckLedger", () => {
  it("checkpoints the longest acknowledged prefix, whatever order batches finish in", () => {
    const ledger = new AckLedger<string>(undefined);
    const first = ledger.add("10");
    const second = ledger.add("20");
    const third = ledger.add("30");
    ledger.done(third);
    expect(ledger.checkpoint()).toBeUndefined();
    ledger.done(first);
    expect(ledger.checkpoint()).toBe("10");
    ledger.done(second);
    expect(ledger.checkpoint()).toBe("30");
    expect(ledger.inFlight).toBe(0);
  });

  it("starts from a resumed checkpoint", () => {
    expect(new AckLedger("500").checkpoint()).toBe("500");
  });

  it("refuses to acknowledge a batch twice", () => {
    const ledger = new AckLedger<string>(undefined);
    const seq = ledger.add("1");
    ledger.done(seq);
    expect(() => { ledger.done(seq); }).toThrow(`batch ${seq} is not in flight`);
  });
});

describe("pump", () => {
  it("sends every row once, with at most `concurrency` requests in flight and bounded read-ahead", async () => {
    const source = reader(rows(95));
    const written: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let outstanding = 0;
    let maxOutstanding = 0;
    const result = await pump<string>({
      ...source,
      read: async (after, limit) => {
        const page = await source.read(after, limit);
        if (page.length > 0) maxOutstanding = Math.max(maxOutstanding, ++outstanding);
        return page;
      },
      write: async (items) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        written.push(...items.map((item) => item.id));
        inFlight--;
        outstanding--;
        return indexed(items);
      },
      batchSize: 10,
      concurrency: 3,
    });
    expect(written.sort((a, b) => Number(a) - Number(b))).toEqual(rows(95).map((row) => row.id));
    expect(result).toMatchObject({ rows: 95, checkpoint: "95", requestRetries: 0, outcome: { indexed: 95 } });
    expect(maxInFlight).toBe(3);
    // Pages held in memory: those in flight, one waiting for a free slot and one read ahead.
    expect(maxOutstanding).toBeLessThanOrEqual(3 + 2);
  });

  it("after a failed whole request, resumes from the last acknowledged row", async () => {
    const source = reader(rows(50));
    const attempts: string[] = [];
    const retries: (string | undefined)[] = [];
    let failedOnce = false;
    const result = await pump<string>({
      ...source,
      write: (items) => {
        attempts.push(`${items[0]?.id ?? "?"}-${items[items.length - 1]?.id ?? "?"}`);
        if (items[0]?.id === "21" && !failedOnce) {
          failedOnce = true;
          return Promise.reject(new BulkRequestError("HTTP 429", true, 429));
        }
        return Promise.resolve(indexed(items));
      },
      onRetry: (_error, _attempt, _delay, resumeAfter) => retries.push(resumeAfter),
      batchSize: 10,
      concurrency: 1,
      backoff: FAST,
    });
    expect(retries).toEqual(["20"]);
    expect(attempts).toEqual(["1-10", "11-20", "21-30", "21-30", "31-40", "41-50"]);
    expect(result).toMatchObject({ requestRetries: 1, checkpoint: "50", outcome: { indexed: 50 } });
  });

  it("re-sends batches that finished after the failed one, since the checkpoint is behind them", async () => {
    const source = reader(rows(40));
    const sent: string[] = [];
    let failedOnce = false;
    const release: (() => void)[] = [];
    const result = await pump<string>({
      ...source,
      write: async (items) => {
        const first = items[0]?.id ?? "?";
        sent.push(first);
        if (first === "11" && !failedOnce) {
          failedOnce = true;
          // Fail only once the batch after it has been acknowledged.
          await new Promise<void>((resolve) => release.push(resolve));
          throw new BulkRequestError("HTTP 503", true, 503);
        }
        if (first === "21") release.shift()?.();
        return indexed(items);
      },
      batchSize: 10,
      concurrency: 3,
      backoff: FAST,
    });
    expect(result.checkpoint).toBe("40");
    // 1-10 acknowledged; 11-20 failed; 21-30 landed but lies beyond the checkpoint, so it goes again.
    expect(sent.filter((first) => first === "21")).toHaveLength(2);
    expect(sent.filter((first) => first === "1")).toHaveLength(1);
  });

  it("fails at once on an error that retrying cannot fix, keeping the checkpoint", async () => {
    const source = reader(rows(30));
    const run = pump<string>({
      ...source,
      write: (items) => (items[0]?.id === "11" ? Promise.reject(new BulkRequestError("HTTP 400", false, 400)) : Promise.resolve(indexed(items))),
      batchSize: 10,
      concurrency: 1,
      backoff: FAST,
    });
    await expect(run).rejects.toBeInstanceOf(PumpFailed);
    await expect(run).rejects.toMatchObject({ checkpoint: "10", message: "HTTP 400" });
  });

  it("gives up after maxRequestFailures consecutive failures", async () => {
    const source = reader(rows(10));
    let calls = 0;
    const run = pump<string>({
      ...source,
      write: () => {
        calls++;
        return Promise.reject(new BulkRequestError("HTTP 503", true, 503));
      },
      batchSize: 10,
      concurrency: 1,
      maxRequestFailures: 3,
      backoff: FAST,
    });
    await expect(run).rejects.toBeInstanceOf(PumpFailed);
    expect(calls).toBe(4);
  });

  it("stops when interrupted, with the checkpoint to resume from", async () => {
    const controller = new AbortController();
    const source = reader(rows(100));
    const run = pump<string>({
      ...source,
      write: (items) => {
        if (items[0]?.id === "31") controller.abort();
        return Promise.resolve(indexed(items));
      },
      batchSize: 10,
      concurrency: 1,
      signal: controller.signal,
    });
    await expect(run).rejects.toBeInstanceOf(PumpInterrupted);
    await expect(run).rejects.toMatchObject({ checkpoint: "40" });
  });

  it("resumes from a given start key", async () => {
    const source = reader(rows(30));
    const sent: string[] = [];
    await pump<string>({ ...source, start: "25", write: (items) => { sent.push(...items.map((item) => item.id)); return Promise.resolve(indexed(items)); }, batchSize: 10, concurrency: 2 });
    expect(sent).toEqual(["26", "27", "28", "29", "30"]);
  });
});
