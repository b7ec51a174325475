import { createHash } from "node:crypto";

// Every identifier the mock cloud makes up comes from a hash of a seed (type, name, region, stack),
// never from Math.random or the clock, so two runs of the same program produce the same ids and
// snapshots/assertions stay stable.

export const HEX = "0123456789abcdef";
export const DIGITS = "0123456789";
export const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
export const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** `length` characters from `alphabet`, derived from `seed` alone. */
export function charsFrom(seed: string, alphabet: string, length: number): string {
  let out = "";
  for (let block = 0; out.length < length; block++) {
    const bytes = createHash("sha256").update(`${seed}#${block}`).digest();
    for (const byte of bytes) {
      if (out.length === length) break;
      out += alphabet.charAt(byte % alphabet.length);
    }
  }
  return out;
}

export function hexFrom(seed: string, length: number): string {
  return charsFrom(seed, HEX, length);
}

export function digitsFrom(seed: string, length: number): string {
  // A leading zero would make numeric-looking ids (DNS suffixes, timestamps) look odd.
  return charsFrom(`${seed}/lead`, "123456789", 1) + charsFrom(seed, DIGITS, length - 1);
}

/** A version-4-shaped UUID (KMS key ids, WAF ids, cache policy ids, ...). */
export function uuidFrom(seed: string): string {
  const h = hexFrom(seed, 32);
  const variant = "89ab".charAt(parseInt(h.charAt(16), 16) % 4);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An integer in [min, max] derived from `seed`. */
export function intFrom(seed: string, min: number, max: number): number {
  const n = parseInt(hexFrom(seed, 8), 16);
  return min + (n % (max - min + 1));
}
