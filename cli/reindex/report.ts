import type { BadRow, MappingVariant } from "../../apps/storefront/src/catalog/index.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { formatSeconds } from "../common/durations.js";
import type { VerifyResult } from "./verify.js";

export interface PassReport {
  /** `catch-up` after the load, `verify` (inside the verification snapshot) or `final` (after the swap). */
  kind: "catch-up" | "verify" | "final";
  /** Changed rows read. */
  changes: number;
  indexed: number;
  deleted: number;
  conflicts: number;
}

/** What `shopctl reindex` did (or, with --dry-run, would do); `--json` prints it. */
export interface ReindexReport {
  alias: string;
  /** The index built (or that would be built). */
  index: string;
  dryRun: boolean;
  mapping: { variant: MappingVariant; hash: string; chosen: "detected" | "requested" };
  /** Where the alias pointed before. */
  previous: string[];
  resumedFrom: { index: string; afterId: string | null } | null;
  liveRowsAtStart: number;
  load: { rows: number; indexed: number; seconds: number; docsPerSecond: number };
  passes: PassReport[];
  totals: { indexed: number; deleted: number; conflicts: number; itemRetries: number; requestRetries: number };
  badRows: BadRow[];
  maxErrors: number;
  replicas: number;
  verify: VerifyResult | null;
  swapped: boolean;
  retention: { kept: string[]; deleted: string[] };
  seconds: number;
  docsPerSecond: number;
  peakRssBytes: number;
  /** CPU time (user + system) this process used: what the run costs the machine it runs on. */
  cpuSeconds: number;
}

/** A reindex that failed after it started; the report says how far it got. */
export class ReindexFailed extends CliError {
  constructor(message: string, readonly report: ReindexReport, exitCode: ExitCode = ExitCode.Failed) {
    super(message, exitCode, { report });
  }
}

export function peakRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function renderBadRows(rows: readonly BadRow[], limit = 20): string[] {
  const lines = rows.slice(0, limit).map((row) => `  - ${row.sku} (id ${row.id}): ${row.reason}`);
  if (rows.length > limit) lines.push(`  ... and ${rows.length - limit} more (--json lists them all)`);
  return lines;
}

export function renderReport(report: ReindexReport): string {
  const lines: string[] = [];
  if (report.dryRun) {
    lines.push(`dry run: would build ${report.index} (mapping ${report.mapping.variant} ${report.mapping.hash}, ${report.mapping.chosen}) for alias ${report.alias}`);
    lines.push(`  catalog: ${integer.format(report.liveRowsAtStart)} live rows; ${report.badRows.length} bad (max ${report.maxErrors})`);
    lines.push(`  alias ${report.alias} -> ${report.previous.join(", ") || "(none yet)"}`);
    if (report.resumedFrom !== null) lines.push(`  would resume ${report.resumedFrom.index} after id ${report.resumedFrom.afterId ?? "(start)"}`);
    if (report.retention.deleted.length > 0) lines.push(`  would delete unfinished indices: ${report.retention.deleted.join(", ")}`);
  } else {
    lines.push(`alias ${report.alias} -> ${report.index} (was ${report.previous.join(", ") || "none"})`);
    lines.push(`  mapping ${report.mapping.variant} ${report.mapping.hash} (${report.mapping.chosen}), ${report.replicas} replica(s)`);
    if (report.resumedFrom !== null) lines.push(`  resumed ${report.resumedFrom.index} after id ${report.resumedFrom.afterId ?? "(start)"}`);
    lines.push(`  load: ${integer.format(report.load.rows)} rows in ${formatSeconds(report.load.seconds)} (${integer.format(report.load.docsPerSecond)} docs/s)`);
    for (const pass of report.passes) {
      lines.push(`  ${pass.kind}: ${pass.changes} changed rows (${pass.indexed} indexed, ${pass.deleted} deleted, ${pass.conflicts} already current)`);
    }
    if (report.verify !== null) {
      const v = report.verify;
      lines.push(`  verified: ${integer.format(v.documents)} documents = ${integer.format(v.liveRows)} live rows - ${v.badLiveRows} bad; ${v.sampled} sampled equal; ${v.smoke.filter((s) => s.ok).length}/${v.smoke.length} smoke queries`);
      if (v.repaired !== undefined) {
        const ids = [...v.repaired.missing, ...v.repaired.unexpected];
        lines.push(`  repaired before the swap: ${ids.length} row(s) that differed at the first verification (id ${ids.slice(0, 10).join(", ")}${ids.length > 10 ? ", ..." : ""})`);
      }
    }
    lines.push(`  retries: ${report.totals.requestRetries} requests, ${report.totals.itemRetries} items; kept ${report.retention.kept.join(", ") || "none"}; deleted ${report.retention.deleted.join(", ") || "none"}`);
    lines.push(`  ${formatSeconds(report.seconds)} in all; ${report.cpuSeconds.toFixed(1)}s of CPU; peak RSS ${Math.round(report.peakRssBytes / 1024 / 1024)} MB`);
  }
  if (report.badRows.length > 0) {
    lines.push(`bad rows (${report.badRows.length}, allowed ${report.maxErrors}):`);
    lines.push(...renderBadRows(report.badRows));
  }
  return lines.join("\n");
}
