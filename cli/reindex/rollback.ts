import type { Client } from "@opensearch-project/opensearch";
import type { BadRow } from "../../apps/storefront/src/catalog/index.js";
import { RefusedError } from "../exit-codes.js";
import { BadRows, BulkWriter, toBulkItems } from "./bulk.js";
import { aliasTargets, listManaged, putMeta, swapAlias } from "./indices.js";
import type { ReindexEvents } from "./progress.js";
import { pump } from "./pump.js";
import type { PassReport } from "./report.js";
import { lockKey } from "./run.js";
import type { CatalogSource, ChangedRow, ChangeKey } from "./source.js";

export interface RollbackSettings {
  alias: string;
  lockScope: string;
  dryRun: boolean;
  batchSize: number;
  concurrency: number;
}

export interface RollbackReport {
  alias: string;
  dryRun: boolean;
  from: string;
  to: string;
  /** The catch-up that brought the older index up to date; null when it had no watermark, or in a dry run. */
  catchUp: PassReport | null;
  badRows: BadRow[];
}

/**
 * `shopctl reindex rollback`: point the alias back at the newest finished index older than the
 * one it serves, atomically, then replay the catalog changes since that index's watermark into
 * it so that it serves current prices and stock, not those of the day it was built.
 */
export async function rollback(settings: RollbackSettings, context: { source: CatalogSource; client: Client; events: ReindexEvents }): Promise<RollbackReport> {
  const { source, client, events } = context;
  const key = lockKey(settings.lockScope, settings.alias);
  if (!(await source.lock(key))) {
    throw new RefusedError(`a shopctl reindex of alias ${settings.alias} is running (it holds the PostgreSQL advisory lock); nothing was changed`);
  }
  try {
    const targets = await aliasTargets(client, settings.alias);
    if (targets.length !== 1) {
      throw new RefusedError(targets.length === 0 ? `alias ${settings.alias} does not exist: nothing to roll back` : `alias ${settings.alias} points at ${targets.length} indices (${targets.join(", ")}); fix it by hand first`);
    }
    const managed = await listManaged(client, settings.alias);
    const current = managed.find((index) => index.name === targets[0]);
    if (current === undefined) throw new RefusedError(`alias ${settings.alias} points at ${targets.join(", ")}, which shopctl reindex did not build`);
    const previous = managed.filter((index) => index.meta?.state === "ready" && !index.aliased && index.createdAt < current.createdAt).at(-1);
    if (previous?.meta === undefined) {
      throw new RefusedError(`no finished index older than ${current.name} is left to roll back to (shopctl reindex keeps the two previous ones)`);
    }
    const report: RollbackReport = { alias: settings.alias, dryRun: settings.dryRun, from: current.name, to: previous.name, catchUp: null, badRows: [] };
    if (settings.dryRun) return report;

    await events.phase("swap", `swapping alias ${settings.alias}: ${current.name} -> ${previous.name}`);
    await swapAlias(client, settings.alias, [current.name], previous.name);
    const servedAt = new Date().toISOString();
    const since = previous.meta.watermark;
    if (since === undefined) {
      await putMeta(client, previous.name, { ...previous.meta, servedAt });
      events.warn(`${previous.name} records no watermark; it serves the catalog as of its build until the next reindex`);
      return report;
    }
    await events.phase("final-catch-up", `replaying catalog changes since ${previous.name} was current`);
    const next = await source.snapshot();
    const bad = new BadRows();
    const writer = new BulkWriter(client, previous.name);
    const result = await pump<ChangeKey>({
      read: (after, limit) => source.changedPage(since, after, limit),
      keyOf: (row) => ({ xid: (row as ChangedRow).changed_xid, id: row.id }),
      toItems: (rows) => toBulkItems(rows, "sync", bad),
      write: (items) => writer.write(items),
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
    });
    for (const rejected of result.outcome.rejected) bad.add(rejected);
    await putMeta(client, previous.name, { ...previous.meta, watermark: next, servedAt });
    report.catchUp = { kind: "final", changes: result.rows, indexed: result.outcome.indexed, deleted: result.outcome.deleted, conflicts: result.outcome.conflicts };
    report.badRows = bad.list();
    return report;
  } finally {
    await source.release(key);
  }
}
