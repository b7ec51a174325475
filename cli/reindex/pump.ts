import type { ProductRow } from "../../apps/storefront/src/catalog/index.js";
import { backoffDelay, type BackoffPolicy } from "../common/backoff.js";
import { sleep } from "../common/sleep.js";
import { DEFAULT_BACKOFF } from "./defaults.js";
import { addOutcome, BulkRequestError, emptyOutcome, type BulkItem, type BulkOutcome } from "./bulk.js";

/**
 * Which batches the cluster has acknowledged. Batches finish out of order when several are in
 * flight; the checkpoint is the key of the last row of the longest acknowledged prefix, so every
 * row up to it is in the index and reading again from it loses nothing.
 */
export class AckLedger<K> {
  private readonly open: { seq: number; lastKey: K; done: boolean }[] = [];
  private nextSeq = 0;
  private acknowledged: K | undefined;

  constructor(start: K | undefined) {
    this.acknowledged = start;
  }

  /** Register a batch that was read up to `lastKey`; returns its sequence number. */
  add(lastKey: K): number {
    const seq = this.nextSeq++;
    this.open.push({ seq, lastKey, done: false });
    return seq;
  }

  done(seq: number): void {
    const batch = this.open.find((entry) => entry.seq === seq);
    if (batch === undefined) throw new Error(`batch ${seq} is not in flight`);
    batch.done = true;
    while (this.open[0]?.done === true) {
      const first = this.open.shift();
      if (first !== undefined) this.acknowledged = first.lastKey;
    }
  }

  /** The last row up to which everything is acknowledged; undefined before the first batch. */
  checkpoint(): K | undefined {
    return this.acknowledged;
  }

  get inFlight(): number {
    return this.open.filter((entry) => !entry.done).length;
  }
}

export class PumpInterrupted extends Error {
  constructor(readonly checkpoint: unknown) {
    super("interrupted");
    this.name = "PumpInterrupted";
  }
}

/** The pump gave up: `checkpoint` is where a later run can resume. */
export class PumpFailed extends Error {
  constructor(override readonly cause: Error, readonly checkpoint: unknown) {
    super(cause.message, { cause });
    this.name = "PumpFailed";
  }
}

export interface PumpOptions<K> {
  /** Rows after `after` in key order, at most `limit`; an empty page ends the pump. */
  read(after: K | undefined, limit: number): Promise<ProductRow[]>;
  keyOf(row: ProductRow): K;
  toItems(rows: readonly ProductRow[]): BulkItem[];
  write(items: readonly BulkItem[]): Promise<BulkOutcome>;
  /** Resume after this key (a checkpoint); from the start when undefined. */
  start?: K;
  batchSize: number;
  /** Bulk requests in flight at once; reading waits while they are all busy (backpressure). */
  concurrency: number;
  /** Consecutive failed requests tolerated before the run fails. */
  maxRequestFailures?: number;
  backoff?: BackoffPolicy;
  signal?: AbortSignal;
  /** After each acknowledged batch: its rows, what the cluster did, and the new checkpoint. */
  onBatch?: (rows: number, outcome: BulkOutcome, checkpoint: K | undefined) => void | Promise<void>;
  /** After a failed request, before resuming. */
  onRetry?: (error: BulkRequestError, attempt: number, delayMs: number, resumeAfter: K | undefined) => void;
}

export interface PumpResult<K> {
  rows: number;
  outcome: BulkOutcome;
  /** Whole requests that failed and were resumed. */
  requestRetries: number;
  checkpoint: K | undefined;
}

/**
 * Streams rows from a keyset reader into bulk requests with bounded memory: at most
 * `concurrency` batches exist at a time. A failed whole request (429, 5xx, timeout) is not
 * resent blindly: once the requests in flight settle, the pump backs off exponentially and reads
 * again from the last acknowledged row, so a crash-consistent checkpoint always exists.
 */
export async function pump<K>(options: PumpOptions<K>): Promise<PumpResult<K>> {
  const maxFailures = options.maxRequestFailures ?? 8;
  const outcome = emptyOutcome();
  let rows = 0;
  let requestRetries = 0;
  let consecutiveFailures = 0;
  let position = options.start;

  for (;;) {
    const ledger = new AckLedger<K>(position);
    const inFlight = new Map<number, Promise<void>>();
    // Written by settling requests, read by the loop: a holder, since closures defeat narrowing.
    const state: { failure?: Error } = {};
    const failed = (): boolean => state.failure !== undefined;
    let exhausted = false;
    // The next page is read and turned into bulk operations while requests are in flight, so the
    // database, this process and the cluster work at the same time and a free slot is filled at
    // once. A handler is attached at once so that a failure is never unhandled.
    let ahead: Promise<{ page: ProductRow[]; items: BulkItem[] }> | undefined;
    const readAhead = (after: K | undefined) => {
      ahead = options.read(after, options.batchSize).then((page) => ({ page, items: options.toItems(page) }));
      ahead.catch(() => undefined);
    };
    try {
      readAhead(position);
      while (!failed() && options.signal?.aborted !== true && ahead !== undefined) {
        const { page, items } = await ahead;
        ahead = undefined;
        const last = page[page.length - 1];
        if (last === undefined) {
          exhausted = true;
          break;
        }
        // Only the count outlives this iteration: rows and items are not kept while in flight.
        const count = page.length;
        position = options.keyOf(last);
        readAhead(position);
        while (inFlight.size >= options.concurrency) await Promise.race(inFlight.values());
        if (failed()) break;
        const seq = ledger.add(position);
        const request = (items.length === 0 ? Promise.resolve(emptyOutcome()) : options.write(items))
          .then(async (result) => {
            ledger.done(seq);
            consecutiveFailures = 0;
            rows += count;
            addOutcome(outcome, result);
            await options.onBatch?.(count, result, ledger.checkpoint());
          })
          .catch((error: unknown) => {
            state.failure ??= error instanceof Error ? error : new Error(String(error));
          })
          .finally(() => inFlight.delete(seq));
        inFlight.set(seq, request);
      }
    } catch (error) {
      state.failure ??= error instanceof Error ? error : new Error(String(error));
    } finally {
      await Promise.all(inFlight.values());
      // A page read ahead and not sent is simply read again after a resume.
      await ahead?.catch(() => undefined);
    }

    const { failure } = state;
    const checkpoint = ledger.checkpoint();
    if (failure === undefined && exhausted) return { rows, outcome, requestRetries, checkpoint };
    if (failure === undefined) throw new PumpInterrupted(checkpoint);
    if (!(failure instanceof BulkRequestError) || !failure.retryable || consecutiveFailures >= maxFailures) {
      throw new PumpFailed(failure, checkpoint);
    }
    consecutiveFailures++;
    requestRetries++;
    const delay = backoffDelay(consecutiveFailures, options.backoff ?? DEFAULT_BACKOFF);
    options.onRetry?.(failure, consecutiveFailures, delay, checkpoint);
    try {
      await sleep(delay, options.signal);
    } catch {
      throw new PumpInterrupted(checkpoint);
    }
    position = checkpoint;
  }
}
