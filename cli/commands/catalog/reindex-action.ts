import type { Client } from "@opensearch-project/opensearch";
import { DEFAULT_INDEX_ALIAS } from "../../../apps/storefront/src/catalog/index.js";
import { ExitCode } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { defaultConnectionDeps, resolveConnection, type Connection, type ConnectionDeps } from "../../reindex/connection.js";
import { createReporter } from "../../reindex/progress.js";
import { ReindexFailed, renderBadRows, renderReport } from "../../reindex/report.js";
import { createSearchClient } from "../../reindex/search.js";
import { CatalogSource } from "../../reindex/source.js";
import type { ReindexOptions } from "./options.js";

/**
 * Ctrl-C stops the reindex cleanly: requests in flight finish, the checkpoint is saved, the
 * alias stays as it was, and running the command again resumes. A second Ctrl-C leaves at once.
 */
function interruptible(io: Io): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log(io, "reindex: interrupting: finishing the requests in flight and saving the checkpoint (Ctrl-C again to quit now)");
    controller.abort(new Error("interrupted"));
  };
  process.on("SIGINT", onSignal);
  return { signal: controller.signal, dispose: () => process.removeListener("SIGINT", onSignal) };
}

interface Opened {
  connection: Connection;
  source: CatalogSource | undefined;
  client: Client;
  alias: string;
  lockScope: string;
}

async function open(options: ReindexOptions, io: Io, deps: ConnectionDeps): Promise<Opened> {
  const connection = await resolveConnection(
    options,
    { source: options.source, target: options.target },
    { source: options.action === "status" ? "optional" : "required", target: "required", sourceFlag: "--source", targetFlag: "--target" },
    io,
    deps,
  );
  const target = connection.target;
  if (target === undefined) throw new Error("no search target was resolved");
  const source = connection.source === undefined ? undefined : CatalogSource.open(connection.source.config, options.schema);
  const client = await createSearchClient(target);
  const alias = options.alias ?? connection.alias ?? DEFAULT_INDEX_ALIAS;
  return { connection, source, client, alias, lockScope: target.display };
}

export async function reindexCommand(options: ReindexOptions, io: Io, deps: ConnectionDeps = defaultConnectionDeps): Promise<ExitCode> {
  const opened = await open(options, io, deps);
  try {
    if (options.action === "status") return await status(opened, options, io);
    const source = opened.source;
    if (source === undefined) throw new Error("no catalog database was resolved");
    if (options.action === "rollback") return await rollback(opened, source, options, io);
    return await build(opened, source, options, io);
  } finally {
    await opened.source?.close();
    await opened.client.close();
  }
}

async function build(opened: Opened, source: CatalogSource, options: ReindexOptions, io: Io): Promise<ExitCode> {
  const { reindex } = await import("../../reindex/run.js");
  const reporter = createReporter(io);
  const interrupt = interruptible(io);
  log(io, `reindex: ${opened.connection.source?.display ?? "?"} -> ${opened.connection.target?.display ?? "?"} alias ${opened.alias}${opened.connection.stack === undefined ? "" : ` (stack ${opened.connection.stack.name}, ${options.region})`}`);
  try {
    const report = await reindex(
      {
        alias: opened.alias, schema: options.schema, batchSize: options.batchSize, concurrency: options.concurrency, maxErrors: options.maxErrors,
        mapping: options.mapping, replicas: options.replicas, resume: options.resume, dryRun: options.dryRun, lockScope: opened.lockScope,
        sourceId: `${opened.connection.source?.display ?? "?"}#${options.schema}`,
      },
      { source, client: opened.client, events: reporter, signal: interrupt.signal },
    );
    reporter.stop();
    if (options.json) printJson(io, report);
    else printResult(io, renderReport(report));
    return report.dryRun && report.badRows.length > options.maxErrors ? ExitCode.Failed : ExitCode.Ok;
  } catch (error) {
    reporter.stop();
    if (error instanceof ReindexFailed && !options.json) log(io, renderReport(error.report));
    throw error;
  } finally {
    interrupt.dispose();
  }
}

async function rollback(opened: Opened, source: CatalogSource, options: ReindexOptions, io: Io): Promise<ExitCode> {
  const { rollback: run } = await import("../../reindex/rollback.js");
  const reporter = createReporter(io);
  const report = await run(
    { alias: opened.alias, lockScope: opened.lockScope, dryRun: options.dryRun, batchSize: options.batchSize, concurrency: options.concurrency },
    { source, client: opened.client, events: reporter },
  );
  if (options.json) {
    printJson(io, report);
  } else {
    const lines = [`${report.dryRun ? "dry run: would point" : "alias"} ${report.alias} ${report.dryRun ? "at" : "->"} ${report.to} (was ${report.from})`];
    if (report.catchUp !== null) lines.push(`  replayed ${report.catchUp.changes} catalog changes (${report.catchUp.indexed} indexed, ${report.catchUp.deleted} deleted)`);
    if (report.badRows.length > 0) lines.push(`  ${report.badRows.length} bad rows left out:`, ...renderBadRows(report.badRows));
    printResult(io, lines.join("\n"));
  }
  return ExitCode.Ok;
}

async function status(opened: Opened, options: ReindexOptions, io: Io): Promise<ExitCode> {
  const { reindexStatus, renderStatus } = await import("../../reindex/status.js");
  const report = await reindexStatus(opened.alias, opened.client, opened.source);
  if (options.json) printJson(io, report);
  else printResult(io, renderStatus(report));
  return ExitCode.Ok;
}
