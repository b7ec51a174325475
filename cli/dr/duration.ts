import { UsageError } from "../exit-codes.js";

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90`, `90s`, `15m`, `2h`, `1h30m` or `7d` as milliseconds; a bare number is seconds. */
export function parseDuration(text: string, flag: string): number {
  const value = text.trim().toLowerCase();
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  const consumed = parts.map((part) => part[0]).join("");
  if (parts.length === 0 || consumed !== value) {
    throw new UsageError(`${flag} ${text}: expected a duration such as 60s, 15m, 2h or 1h30m (a bare number is seconds)`);
  }
  return parts.reduce((total, part) => total + Number(part[1]) * (UNITS[part[2] ?? "s"] ?? 1_000), 0);
}
