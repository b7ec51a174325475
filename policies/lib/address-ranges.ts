// IP address ranges as integer intervals, so that a policy judges what a CIDR admits rather than
// how it is spelled: `::0/0`, `10.1.2.3/0` and two /1 blocks all admit the whole internet.
//
// What "public" means here: every address except these, which no one on the internet can send from:
//   IPv4  10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (private, RFC 1918), 100.64.0.0/10 (shared
//         address space for carrier-grade NAT, RFC 6598), 127.0.0.0/8 (loopback), 169.254.0.0/16
//         (link-local)
//   IPv6  ::1/128 (loopback), fe80::/10 (link-local), fc00::/7 (unique local)
// Everything else counts as public, reserved and documentation blocks included: a policy that
// guards the internet edge errs towards flagging.
import { isIPv4, isIPv6 } from "node:net";

export type Family = 4 | 6;

/** The addresses `first`..`last` (inclusive) of one family. */
export interface AddressRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function ipv4Value(address: string): bigint {
  return address.split(".").reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An address `isIPv6` accepted (no zone), as a 128-bit number; an embedded IPv4 tail is two groups. */
function ipv6Value(address: string): bigint {
  let text = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1] !== undefined) {
    const value = ipv4Value(tail[1]);
    text = `${text.slice(0, -tail[1].length)}${(value >> 16n).toString(16)}:${(value & 0xffffn).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const groupsOf = (part: string) => (part === "" ? [] : part.split(":"));
  const before = groupsOf(head);
  const after = rest === undefined ? [] : groupsOf(rest);
  const groups = rest === undefined ? before : [...before, ...Array<string>(8 - before.length - after.length).fill("0"), ...after];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * The range a CIDR denotes, or `undefined` when it is not one. Host bits are masked off (a range
 * is its network however its address is written: `10.1.2.3/0` is `0.0.0.0/0`); surrounding space
 * and a zero-padded prefix are allowed; an address without a prefix is one host. Anything looser
 * (leading zeros in an octet, which some readers take as octal, a zone index, hex octets) is
 * unreadable: callers must treat it as public.
 */
export function parseCidr(cidr: string): AddressRange | undefined {
  const parts = cidr.trim().split("/");
  if (parts.length > 2) return undefined;
  const [address = "", prefixText] = parts;
  const family: Family | undefined = isIPv4(address) ? 4 : isIPv6(address) && !address.includes("%") ? 6 : undefined;
  if (family === undefined) return undefined;
  const bits = BITS[family];
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const value = family === 4 ? ipv4Value(address) : ipv6Value(address);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = value & ~hostMask;
  return { family, first, last: first | hostMask };
}

function rangeOf(cidr: string): AddressRange {
  const range = parseCidr(cidr);
  if (range === undefined) throw new Error(`not a CIDR: ${cidr}`);
  return range;
}

/** The ranges no one on the internet can send from (see the header). */
export const NOT_PUBLIC: readonly AddressRange[] = [
  "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
  "::1/128", "fe80::/10", "fc00::/7",
].map(rangeOf);

/** `ranges` merged into the fewest disjoint ranges, sorted by family then start. */
export function unionOf(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: AddressRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && last.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) merged[merged.length - 1] = { ...last, last: range.last };
    } else {
      merged.push(range);
    }
  }
  return merged;
}

/** The public addresses of `range`, as disjoint ranges (empty when it admits none). */
export function publicPartsOf(range: AddressRange): AddressRange[] {
  let parts: AddressRange[] = [range];
  for (const hole of NOT_PUBLIC.filter((candidate) => candidate.family === range.family)) {
    parts = parts.flatMap((part) => {
      if (hole.last < part.first || hole.first > part.last) return [part];
      const kept: AddressRange[] = [];
      if (part.first < hole.first) kept.push({ ...part, last: hole.first - 1n });
      if (hole.last < part.last) kept.push({ ...part, first: hole.last + 1n });
      return kept;
    });
  }
  return parts;
}

/** The families whose every public address `ranges`, together, admit. */
export function wholeInternetFamilies(ranges: readonly AddressRange[]): Family[] {
  const admitted = unionOf(ranges.flatMap(publicPartsOf));
  const families: Family[] = [4, 6];
  return families.filter((family) => {
    const everything = publicPartsOf({ family, first: 0n, last: (1n << BigInt(BITS[family])) - 1n });
    return everything.every((part) => admitted.some((range) => range.family === family && range.first <= part.first && part.last <= range.last));
  });
}

/** How a CIDR stands towards the internet: public, not public, or unreadable (to be treated as public). */
export type CidrReading = { readonly cidr: string; readonly kind: "public" | "private"; readonly range: AddressRange } | { readonly cidr: string; readonly kind: "unreadable" };

export function readCidr(cidr: string): CidrReading {
  const range = parseCidr(cidr);
  if (range === undefined) return { cidr, kind: "unreadable" };
  return { cidr, kind: publicPartsOf(range).length > 0 ? "public" : "private", range };
}

/**
 * `cidrs` that admit public addresses (unreadable ones included), listed for a message, with a
 * note when together they admit every public address of a family; `undefined` when none is public.
 */
export function describePublic(cidrs: readonly string[]): string | undefined {
  const readings = cidrs.map(readCidr).filter((reading) => reading.kind !== "private");
  if (readings.length === 0) return undefined;
  const listed = readings.map((reading) => (reading.kind === "unreadable" ? `${reading.cidr} (unreadable, so counted as public)` : reading.cidr));
  const whole = wholeInternetFamilies(readings.flatMap((reading) => (reading.kind === "public" ? [reading.range] : [])));
  const note = whole.length === 0 ? "" : ` (together every public ${whole.map((family) => `IPv${family}`).join(" and ")} address)`;
  return `${[...new Set(listed)].join(", ")}${note}`;
}
