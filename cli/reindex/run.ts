import type { Client } from "@opensearch-project/opensearch";
import { chooseVariant, indexDefinition, indexName, missingModules, productsTable, type IndexDefinition, type MappingVariant } from "../../apps/storefront/src/catalog/index.js";
import { RefusedError } from "../exit-codes.js";
import type { BackoffPolicy } from "../common/backoff.js";
import { BadRows, BulkWriter, emptyOutcome, toBulkItems, type BulkItem, type BulkOutcome } from "./bulk.js";
import {
  aliasTargets, concreteIndexExists, createBuildIndex, dataNodeCount, deleteIndices, listManaged, nodeModules, putMeta, setLiveSettings, swapAlias, waitForGreen,
  type IndexMeta, type ManagedIndex,
} from "./indices.js";
import type { ReindexEvents } from "./progress.js";
import { pump, PumpFailed, PumpInterrupted } from "./pump.js";
import { cpuSeconds, peakRssBytes, ReindexFailed, type PassReport, type ReindexReport } from "./report.js";
import type { CatalogReader, CatalogSource, ChangedRow, ChangeKey } from "./source.js";
import { canRepair, repairDifferences, type Differences } from "./reconcile.js";
import { verifyIndex } from "./verify.js";

export interface ReindexSettings {
  alias: string;
  schema: string;
  batchSize: number;
  concurrency: number;
  maxErrors: number;
  mapping: "auto" | MappingVariant;
  replicas: "auto" | number;
  /** Continue an unfinished build of the same mapping from its checkpoint. */
  resume: boolean;
  dryRun: boolean;
  /** Scope of the advisory lock (the target cluster), so two clusters can be rebuilt at once. */
  lockScope: string;
  /**
   * The catalog's identity without credentials (database URL and schema). Only a build from the
   * same catalog is resumed: its checkpoint's snapshot means nothing to another database (a DR
   * replica promoted after a failover, say).
   */
  sourceId: string;
  sampleSize?: number;
  maxCatchUpPasses?: number;
  healthTimeoutSeconds?: number;
  /** Record a resumable checkpoint in the build index every this many acknowledged batches. */
  checkpointEvery?: number;
  backoff?: BackoffPolicy;
  maxRequestFailures?: number;
}

export interface ReindexContext {
  source: CatalogSource;
  client: Client;
  events: ReindexEvents;
  signal?: AbortSignal;
  now?: () => Date;
}

/** How many previous, finished indices stay beside the live one (rollback targets). */
export const KEEP_PREVIOUS = 2;

export function lockKey(scope: string, alias: string): string {
  return `shopctl reindex ${scope} ${alias}`;
}

const badRowsText = (count: number) => `${count} bad row${count === 1 ? "" : "s"}`;

class TooManyBadRows extends Error {
  constructor(count: number, max: number) {
    super(`${badRowsText(count)}, more than --max-errors ${max} allows`);
    this.name = "TooManyBadRows";
  }
}

/** The run as it goes: filled step by step, returned as the report, attached to any failure. */
function emptyReport(settings: ReindexSettings, index: string, definition: IndexDefinition, chosen: "detected" | "requested"): ReindexReport {
  return {
    alias: settings.alias, index, dryRun: settings.dryRun,
    mapping: { variant: definition.variant, hash: definition.hash, chosen },
    previous: [], resumedFrom: null, liveRowsAtStart: 0,
    load: { rows: 0, indexed: 0, seconds: 0, docsPerSecond: 0 },
    passes: [], totals: { indexed: 0, deleted: 0, conflicts: 0, itemRetries: 0, requestRetries: 0 },
    badRows: [], maxErrors: settings.maxErrors, replicas: 0, verify: null, swapped: false,
    retention: { kept: [], deleted: [] }, seconds: 0, docsPerSecond: 0, peakRssBytes: 0, cpuSeconds: 0,
  };
}

async function chooseDefinition(client: Client, requested: ReindexSettings["mapping"]): Promise<{ definition: IndexDefinition; chosen: "detected" | "requested"; note?: string }> {
  const modules = await nodeModules(client);
  if (requested !== "auto") {
    const missing = missingModules(requested, modules ?? []);
    if (missing.length > 0) {
      throw new RefusedError(`--mapping ${requested} needs the modules ${missing.join(", ")} on every node, which the cluster ${modules === undefined ? "did not report (GET _nodes/plugins failed)" : "lacks"}; use --mapping core or auto`);
    }
    return { definition: indexDefinition(requested), chosen: "requested" };
  }
  const variant = chooseVariant(modules ?? []);
  return {
    definition: indexDefinition(variant),
    chosen: "detected",
    ...(modules === undefined ? { note: "the cluster did not report its modules (GET _nodes/plugins); using the core mapping" } : {}),
  };
}

interface Engine {
  settings: ReindexSettings;
  context: ReindexContext;
  report: ReindexReport;
  bad: BadRows;
  writer: BulkWriter;
  startedAt: number;
}

function tally(engine: Engine, outcome: BulkOutcome): void {
  const { totals } = engine.report;
  totals.indexed += outcome.indexed;
  totals.deleted += outcome.deleted;
  totals.conflicts += outcome.conflicts;
  totals.itemRetries += outcome.itemRetries;
  for (const rejected of outcome.rejected) engine.bad.add(rejected);
}

function checkBadRows(engine: Engine): void {
  if (engine.bad.size > engine.settings.maxErrors) throw new TooManyBadRows(engine.bad.size, engine.settings.maxErrors);
}

function pumpSettings(engine: Engine) {
  const { settings, context } = engine;
  return {
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    ...(settings.maxRequestFailures === undefined ? {} : { maxRequestFailures: settings.maxRequestFailures }),
    ...(settings.backoff === undefined ? {} : { backoff: settings.backoff }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    onRetry: (error: Error, attempt: number, delayMs: number, resumeAfter: string | ChangeKey | undefined) => {
      const from = resumeAfter === undefined ? "the start" : `id ${typeof resumeAfter === "string" ? resumeAfter : resumeAfter.id}`;
      context.events.warn(`${error.message}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)}s from the last acknowledged row (after ${from})`);
    },
  };
}

/** One catch-up pass: index or delete every row changed since `since`; returns the next watermark. */
async function catchUp(engine: Engine, reader: CatalogReader, since: string, kind: PassReport["kind"]): Promise<string> {
  const next = await reader.snapshot();
  const result = await pump<ChangeKey>({
    ...pumpSettings(engine),
    read: (after, limit) => reader.changedPage(since, after, limit),
    keyOf: (row) => ({ xid: (row as ChangedRow).changed_xid, id: row.id }),
    toItems: (rows) => toBulkItems(rows, "sync", engine.bad),
    write: (items: readonly BulkItem[]) => engine.writer.write(items),
    onBatch: (_rows, outcome) => {
      tally(engine, outcome);
    },
  });
  engine.report.totals.requestRetries += result.requestRetries;
  engine.report.passes.push({ kind, changes: result.rows, indexed: result.outcome.indexed, deleted: result.outcome.deleted, conflicts: result.outcome.conflicts });
  checkBadRows(engine);
  return next;
}

/** The full load: live rows in id order from `start`, checkpointed into the index's _meta. */
async function load(engine: Engine, meta: IndexMeta, snapshot: string, start: string | undefined, total: number): Promise<void> {
  const { context, settings, report } = engine;
  const every = settings.checkpointEvery ?? 20;
  let batches = 0;
  let saving = false;
  let done = 0;
  const save = async (afterId: string | undefined) => {
    meta.checkpoint = { snapshot, afterId: afterId ?? null, badRows: engine.bad.list() };
    await putMeta(context.client, engine.writer.index, meta);
  };
  const started = Date.now();
  try {
    const result = await pump<string>({
      ...pumpSettings(engine),
      ...(start === undefined ? {} : { start }),
      read: (after, limit) => context.source.livePage(after, limit),
      keyOf: (row) => row.id,
      toItems: (rows) => toBulkItems(rows, "load", engine.bad),
      write: (items) => engine.writer.write(items),
      onBatch: async (rows, outcome, checkpoint) => {
        tally(engine, outcome);
        done += rows;
        context.events.progress(done, total);
        checkBadRows(engine);
        if (++batches % every === 0 && !saving) {
          saving = true;
          try {
            await save(checkpoint);
          } finally {
            saving = false;
          }
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    report.load = { rows: result.rows, indexed: result.outcome.indexed, seconds, docsPerSecond: seconds > 0 ? result.outcome.indexed / seconds : 0 };
    report.totals.requestRetries += result.requestRetries;
    await save(result.checkpoint);
  } catch (error) {
    if (error instanceof PumpInterrupted || error instanceof PumpFailed) {
      // Keep what is acknowledged: the next run resumes from here.
      await save(error.checkpoint as string | undefined).catch(() => undefined);
    }
    throw error;
  }
}

function replicasFor(setting: ReindexSettings["replicas"], dataNodes: number): number {
  if (setting !== "auto") return setting;
  // A copy in every other zone, up to two: what Multi-AZ with standby expects; 0 on one node.
  return Math.max(0, Math.min(2, dataNodes - 1));
}

function finish(engine: Engine): ReindexReport {
  const { report } = engine;
  report.badRows = engine.bad.list();
  report.seconds = (Date.now() - engine.startedAt) / 1000;
  report.docsPerSecond = report.seconds > 0 ? report.totals.indexed / report.seconds : 0;
  report.peakRssBytes = peakRssBytes();
  report.cpuSeconds = cpuSeconds();
  return report;
}

/** Why a build index goes: a failure a re-run cannot resume past (bad rows, verification). */
function keepForResume(error: unknown): boolean {
  return error instanceof PumpInterrupted || (error instanceof PumpFailed && !(error.cause instanceof TooManyBadRows));
}

function failureMessage(error: unknown, engine: Engine): string {
  const { report } = engine;
  if (error instanceof TooManyBadRows || (error instanceof PumpFailed && error.cause instanceof TooManyBadRows)) {
    return `reindex failed: ${badRowsText(engine.bad.size)}, more than --max-errors ${engine.settings.maxErrors} allows; the alias ${report.alias} was not touched (run with --dry-run to list every bad row)`;
  }
  if (error instanceof PumpInterrupted) {
    return `reindex interrupted; the alias ${report.alias} was not touched. ${report.index} keeps its checkpoint: run the same command again to resume`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof PumpFailed) {
    return `reindex failed: ${message}; the alias ${report.alias} was not touched. ${report.index} keeps its checkpoint: run again to resume`;
  }
  return `reindex failed: ${message}; the alias ${report.alias} was not touched`;
}

async function plan(context: ReindexContext, settings: ReindexSettings) {
  const { client, source } = context;
  if (!(await source.tableExists())) {
    throw new RefusedError(`the catalog table ${productsTable(settings.schema)} does not exist: run \`shopctl catalog migrate\` first`);
  }
  if (await concreteIndexExists(client, settings.alias)) {
    throw new RefusedError(`an index named ${settings.alias} exists, so no alias of that name can: reindex into another alias or move that index away first`);
  }
  const { definition, chosen, note } = await chooseDefinition(client, settings.mapping);
  if (note !== undefined) context.events.warn(note);
  const managed = await listManaged(client, settings.alias);
  const previous = await aliasTargets(client, settings.alias);
  const building = managed.filter((index) => index.meta?.state === "building" && !index.aliased);
  const resumable = settings.resume
    ? building.filter((index) => index.hash === definition.hash && index.meta?.source === settings.sourceId && index.meta.checkpoint !== undefined).at(-1)
    : undefined;
  const orphans = building.filter((index) => index !== resumable).map((index) => index.name);
  return { definition, chosen, previous, resumable, orphans };
}

/** --dry-run: read and check every live row, build nothing. */
async function dryRun(engine: Engine): Promise<ReindexReport> {
  const { context, settings, report } = engine;
  await context.events.phase("load", `checking ${report.liveRowsAtStart} live rows (dry run: nothing is written)`);
  let done = 0;
  await pump<string>({
    ...pumpSettings(engine),
    read: (after, limit) => context.source.livePage(after, limit),
    keyOf: (row) => row.id,
    toItems: (rows) => toBulkItems(rows, "load", engine.bad),
    write: () => Promise.resolve(emptyOutcome()),
    onBatch: (rows) => {
      done += rows;
      context.events.progress(done, report.liveRowsAtStart);
    },
  });
  report.load.rows = done;
  await context.events.phase("done", `dry run: ${badRowsText(engine.bad.size)} (max ${settings.maxErrors})`);
  return finish(engine);
}

/**
 * `shopctl reindex`: rebuild the products index from the catalog and swap the alias with zero
 * downtime. Every step before the swap leaves the alias untouched; a failure after it leaves the
 * alias on a verified index.
 */
export async function reindex(settings: ReindexSettings, context: ReindexContext): Promise<ReindexReport> {
  const { client, source, events } = context;
  const now = context.now ?? (() => new Date());
  const key = lockKey(settings.lockScope, settings.alias);
  await events.phase("lock", `taking the reindex lock for alias ${settings.alias}`);
  if (!(await source.lock(key))) {
    throw new RefusedError(`another shopctl reindex of alias ${settings.alias} on this cluster is running (it holds the PostgreSQL advisory lock); nothing was changed`);
  }
  try {
    const planned = await plan(context, settings);
    const { definition, resumable } = planned;
    const index = resumable?.name ?? indexName(settings.alias, definition.hash, now());
    const engine: Engine = {
      settings, context,
      report: emptyReport(settings, index, definition, planned.chosen),
      bad: new BadRows(resumable?.meta?.checkpoint?.badRows ?? []),
      writer: new BulkWriter(client, index, { ...(settings.backoff === undefined ? {} : { backoff: settings.backoff }), ...(context.signal === undefined ? {} : { signal: context.signal }) }),
      startedAt: Date.now(),
    };
    const { report } = engine;
    report.previous = planned.previous;
    report.liveRowsAtStart = await source.liveCount();
    if (resumable?.meta?.checkpoint !== undefined) report.resumedFrom = { index: resumable.name, afterId: resumable.meta.checkpoint.afterId };
    await events.phase("plan", `mapping ${definition.variant} ${definition.hash} (${planned.chosen}); alias ${settings.alias} -> ${planned.previous.join(", ") || "(none yet)"}; ${report.liveRowsAtStart} live rows`);
    if (settings.dryRun) {
      report.retention.deleted = planned.orphans;
      return await dryRun(engine);
    }
    return await build(engine, planned.orphans, resumable, definition);
  } finally {
    await source.release(key);
  }
}

async function build(engine: Engine, orphans: string[], resumable: ManagedIndex | undefined, definition: IndexDefinition): Promise<ReindexReport> {
  const { context, settings, report } = engine;
  const { client, source, events } = context;
  const index = report.index;
  await deleteIndices(client, orphans);
  report.retention.deleted.push(...orphans);

  let meta: IndexMeta;
  let snapshot: string;
  let start: string | undefined;
  if (resumable?.meta?.checkpoint !== undefined) {
    meta = resumable.meta;
    snapshot = resumable.meta.checkpoint.snapshot;
    start = resumable.meta.checkpoint.afterId ?? undefined;
    await events.phase("create", `resuming ${index} after id ${start ?? "(start)"}`);
  } else {
    snapshot = await source.snapshot();
    meta = {
      alias: settings.alias, variant: definition.variant, hash: definition.hash, state: "building", createdAt: new Date().toISOString(),
      source: settings.sourceId, checkpoint: { snapshot, afterId: null, badRows: [] },
    };
    await events.phase("create", `creating ${index} (0 replicas, refresh off)`);
    await createBuildIndex(client, index, definition, meta);
  }

  let swapped = false;
  let watermark = snapshot;
  try {
    await events.phase("load", `loading ${report.liveRowsAtStart} live rows into ${index} (batches of ${settings.batchSize}, ${settings.concurrency} in flight)`);
    await load(engine, meta, snapshot, start, report.liveRowsAtStart);
    checkBadRows(engine);

    const maxPasses = settings.maxCatchUpPasses ?? 5;
    for (let pass = 1; pass <= maxPasses; pass++) {
      await events.phase("catch-up", `catch-up pass ${pass}: rows changed since the watermark`);
      watermark = await catchUp(engine, source, watermark, "catch-up");
      const changes = report.passes[report.passes.length - 1]?.changes ?? 0;
      // Converged: the verification pass takes the rest at one exact snapshot.
      if (changes < settings.batchSize) break;
    }

    report.replicas = replicasFor(settings.replicas, await dataNodeCount(client));
    await events.phase("settings", `restoring ${report.replicas} replica(s) and refresh`);
    await setLiveSettings(client, index, report.replicas);
    await events.phase("health", `waiting for ${index} to turn green`);
    await waitForGreen(client, index, settings.healthTimeoutSeconds ?? 600);

    await events.phase("verify", "verifying at one snapshot: count, samples, smoke queries");
    const verified = await source.atSnapshot(async (reader) => {
      const at = await catchUp(engine, reader, watermark, "verify");
      const check = () => verifyIndex({ client, index, reader, bad: engine.bad, variant: definition.variant, sampleSize: settings.sampleSize ?? 50 });
      let result = await check();
      if (!result.ok && result.differences !== undefined && canRepair(result.differences)) {
        // A handful of named differences: send those rows again at this snapshot and look again.
        const repaired = await repairDifferences({ differences: result.differences, reader, writer: engine.writer, bad: engine.bad });
        events.warn(`verification found ${describeDifferences(result.differences).join("; ")}; sent them again at the verification snapshot (${repaired.indexed} indexed, ${repaired.deleted} deleted, ${repaired.conflicts} conflicts) and verified again`);
        result = { ...(await check()), repaired };
      }
      return { at, result };
    });
    report.verify = verified.result;
    if (!verified.result.ok) {
      throw new Error(`verification of ${index} failed: ${describeVerifyFailure(verified.result)}`);
    }
    watermark = verified.at;
    const readyAt = new Date().toISOString();
    meta = { ...meta, state: "ready", watermark, readyAt, servedAt: readyAt };
    delete meta.checkpoint;
    await putMeta(client, index, meta);

    await events.phase("swap", `swapping alias ${settings.alias}: ${report.previous.join(", ") || "(none)"} -> ${index}`);
    await swapAlias(client, settings.alias, report.previous, index);
    swapped = true;
    report.swapped = true;
  } catch (error) {
    if (!swapped && !keepForResume(error)) await deleteIndices(client, [index]).catch(() => undefined);
    throw new ReindexFailed(failureMessage(error, engine), finish(engine));
  }

  try {
    await events.phase("final-catch-up", "final catch-up on the live index");
    watermark = await catchUp(engine, source, watermark, "final");
    await putMeta(client, index, { ...meta, watermark });
    await events.phase("retention", `keeping the ${KEEP_PREVIOUS} previous indices`);
    await applyRetention(engine);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ReindexFailed(`the alias ${settings.alias} now points at the verified ${index}, but a step after the swap failed: ${message}; run shopctl reindex again to bring it fully up to date`, finish(engine));
  }
  const done = finish(engine);
  await events.phase("done", `alias ${settings.alias} -> ${index}: ${done.totals.indexed} documents indexed in ${done.seconds.toFixed(1)}s`);
  return done;
}

const EXAMPLES = 10;

function describeDifferences(differences: Differences): string[] {
  const lines: string[] = [];
  const more = (shown: number, total: number) => (total > shown ? ", ..." : "");
  if (differences.missing > 0) {
    const shown = differences.missingRows.slice(0, EXAMPLES);
    lines.push(`${differences.missing} live row(s) without a document (${shown.map((row) => `${row.sku} id ${row.id}`).join(", ")}${more(shown.length, differences.missing)})`);
  }
  if (differences.unexpected > 0) {
    const shown = differences.unexpectedIds.slice(0, EXAMPLES);
    lines.push(`${differences.unexpected} document(s) without a live row (id ${shown.join(", ")}${more(shown.length, differences.unexpected)})`);
  }
  return lines;
}

function describeVerifyFailure(result: NonNullable<ReindexReport["verify"]>): string {
  const problems: string[] = [];
  if (result.documents !== result.liveRows - result.badLiveRows) {
    problems.push(`${result.documents} documents for ${result.liveRows} live rows minus ${result.badLiveRows} bad`);
    if (result.differences !== undefined) problems.push(...describeDifferences(result.differences));
  }
  if (result.repaired !== undefined) {
    problems.push(`after sending ${result.repaired.missing.length + result.repaired.unexpected.length} differing row(s) again (${result.repaired.conflicts} refused as conflicts)`);
  }
  for (const mismatch of result.mismatches.slice(0, 5)) problems.push(`${mismatch.sku}: ${mismatch.problem}`);
  for (const smoke of result.smoke.filter((entry) => !entry.ok)) problems.push(`smoke query ${smoke.name}: ${smoke.detail}`);
  return problems.join("; ");
}

async function applyRetention(engine: Engine): Promise<void> {
  const { context, settings, report } = engine;
  const managed = await listManaged(context.client, settings.alias);
  const others = managed.filter((index) => index.name !== report.index && !index.aliased);
  // Newest served first: after a rollback, the index that served most recently is the one to keep.
  const served = (index: ManagedIndex) => index.meta?.servedAt ?? index.meta?.readyAt ?? index.createdAt.toISOString();
  const finished = others.filter((index) => index.meta?.state === "ready").sort((a, b) => (served(a) < served(b) ? 1 : served(a) > served(b) ? -1 : 0));
  const kept = finished.slice(0, KEEP_PREVIOUS).map((index) => index.name);
  const doomed = [
    ...finished.slice(KEEP_PREVIOUS).map((index) => index.name),
    ...others.filter((index) => index.meta?.state === "building").map((index) => index.name),
  ];
  await deleteIndices(context.client, doomed);
  report.retention.kept = kept;
  report.retention.deleted.push(...doomed);
}
