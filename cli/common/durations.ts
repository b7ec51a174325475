/**
 * Durations as shopctl prints them. Every command formats time through these two, so a step in
 * `up`, a reindex ETA and a DR report read alike.
 */

/** Whole seconds: `45s`, `2m05s`, `3h10m`. Below zero is `0s` (clock skew); not a number is `?`. */
export function formatSeconds(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds)) return "?";
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}

/**
 * Elapsed milliseconds, finer below a minute where the detail matters: `850ms`, `12.3s`, then as
 * formatSeconds (`4m02s`, `1h05m`).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const rounded = Math.max(0, Math.round(ms));
  // Thresholds on rounded values, so 999.7 ms is "1.0s", not "1000ms", and 59.97 s is "1m00s", not "60.0s".
  if (rounded < 1000) return `${rounded}ms`;
  if (Math.round(ms / 100) < 600) return `${(ms / 1000).toFixed(1)}s`;
  return formatSeconds(ms / 1000);
}
