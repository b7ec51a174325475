import type { Client } from "@opensearch-project/opensearch";
import { aliasTargets, indexStats, listManaged } from "./indices.js";
import type { CatalogSource } from "./source.js";

export interface IndexStatus {
  name: string;
  /** `live` behind the alias; `ready` finished (a rollback target); `building` unfinished. */
  state: "live" | "ready" | "building" | "unknown";
  variant: string | null;
  hash: string;
  createdAt: string;
  docs: number;
  sizeBytes: number;
  health: string;
}

export interface StatusReport {
  alias: string;
  targets: string[];
  indices: IndexStatus[];
  /** Live catalog rows, when the database was given. */
  liveRows: number | null;
}

/** `shopctl reindex status`: the alias, the indices shopctl built for it (newest first) and the counts. */
export async function reindexStatus(alias: string, client: Client, source: CatalogSource | undefined): Promise<StatusReport> {
  const [managed, targets, stats, liveRows] = await Promise.all([
    listManaged(client, alias),
    aliasTargets(client, alias),
    indexStats(client, `${alias}_*`),
    source === undefined ? Promise.resolve(null) : source.liveCount(),
  ]);
  const indices = managed.reverse().map((index): IndexStatus => {
    const stat = stats.get(index.name);
    return {
      name: index.name,
      state: index.aliased ? "live" : (index.meta?.state ?? "unknown"),
      variant: index.meta?.variant ?? null,
      hash: index.hash,
      createdAt: index.createdAt.toISOString(),
      docs: stat?.docs ?? 0,
      sizeBytes: stat?.sizeBytes ?? 0,
      health: stat?.health ?? "unknown",
    };
  });
  return { alias, targets, indices, liveRows };
}

export function renderStatus(report: StatusReport): string {
  const lines = [`alias ${report.alias} -> ${report.targets.join(", ") || "(none)"}${report.liveRows === null ? "" : `; catalog: ${report.liveRows} live rows`}`];
  if (report.indices.length === 0) {
    lines.push("no indices built by shopctl reindex yet");
    return lines.join("\n");
  }
  const rows = report.indices.map((index) => [index.name, index.state, index.variant ?? "?", String(index.docs), `${(index.sizeBytes / 1024 / 1024).toFixed(1)} MB`, index.health, index.createdAt]);
  const header = ["index", "state", "mapping", "docs", "size", "health", "created"];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const format = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  lines.push(format(header), ...rows.map(format));
  return lines.join("\n");
}
