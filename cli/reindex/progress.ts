import cliProgress from "cli-progress";
import { log, type Io } from "../io.js";
import { formatSeconds } from "../common/durations.js";

/** The steps of a reindex, in order; `ReindexEvents.phase` reports each as it starts. */
export type ReindexPhase =
  | "lock" | "plan" | "create" | "load" | "catch-up" | "settings" | "health" | "verify" | "swap" | "final-catch-up" | "retention" | "done";

/** What a reindex tells whoever runs it. Tests hook `phase` to act at a given step. */
export interface ReindexEvents {
  phase(phase: ReindexPhase, message: string): void | Promise<void>;
  /** Rows of the full load acknowledged so far, out of `total` live rows counted at the start. */
  progress(done: number, total: number): void;
  warn(message: string): void;
}

export const silentEvents: ReindexEvents = { phase: () => undefined, progress: () => undefined, warn: () => undefined };

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** `120,000/1,000,000 docs (12.0%), 9,812 docs/s, ETA 1m30s` */
export function progressLine(done: number, total: number, elapsedSeconds: number): string {
  const shown = Math.min(done, total);
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const percent = total > 0 ? (100 * shown) / total : 100;
  const eta = rate > 0 ? formatSeconds((total - shown) / rate) : "?";
  return `${integer.format(shown)}/${integer.format(total)} docs (${percent.toFixed(1)}%), ${integer.format(rate)} docs/s, ETA ${eta}`;
}

export interface Reporter extends ReindexEvents {
  stop(): void;
}

/**
 * Progress on stderr: a live bar with docs/s and ETA on a terminal; outside one (CI, pipes) a
 * plain line every `intervalMs` so logs stay readable. Phases are one line each either way.
 */
export function createReporter(io: Io, options: { intervalMs?: number; now?: () => number } = {}): Reporter {
  const now = options.now ?? (() => Date.now());
  const intervalMs = options.intervalMs ?? 10_000;
  const terminal = (io.stderr as { isTTY?: boolean }).isTTY === true && !io.env.CI;
  let bar: cliProgress.SingleBar | undefined;
  let loading = false;
  let startedAt = 0;
  let lastLine = 0;
  let latest: { done: number; total: number } | undefined;

  const line = () => {
    if (latest !== undefined) log(io, `reindex: load ${progressLine(latest.done, latest.total, (now() - startedAt) / 1000)}`);
  };
  const endLoad = () => {
    if (bar !== undefined) {
      bar.stop();
      bar = undefined;
    } else if (loading && !terminal) {
      line();
    }
    loading = false;
  };

  return {
    phase(phase, message) {
      endLoad();
      log(io, `reindex: ${message}`);
      if (phase === "load") {
        loading = true;
        startedAt = now();
        lastLine = startedAt;
        latest = undefined;
      }
    },
    progress(done, total) {
      latest = { done, total };
      const elapsed = (now() - startedAt) / 1000;
      if (terminal) {
        if (bar === undefined) {
          bar = new cliProgress.SingleBar(
            { stream: io.stderr, format: "reindex |{bar}| {percentage}% | {value}/{total} docs | {rate} docs/s | ETA {eta_formatted}", etaBuffer: 50, fps: 5, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0, { rate: "0" });
        }
        bar.update(Math.min(done, total), { rate: integer.format(elapsed > 0 ? done / elapsed : 0) });
      } else if (now() - lastLine >= intervalMs) {
        lastLine = now();
        line();
      }
    },
    warn(message) {
      if (bar !== undefined) {
        bar.stop();
        bar = undefined;
      }
      log(io, `reindex: warning: ${message}`);
    },
    stop: endLoad,
  };
}
