import { randomBytes } from "node:crypto";

/**
 * X-Ray trace context (the `X-Amzn-Trace-Id` header). The ALB adds a Root to every request;
 * the app keeps it, makes one when it is missing or malformed, returns it, logs it, and passes
 * it on to the services it calls with its own segment as the Parent.
 */
export interface TraceContext {
  /** `1-<8 hex: epoch seconds>-<24 hex>` */
  root: string;
  /** The caller's segment, when it named one. */
  parent: string | undefined;
  sampled: boolean;
  /** This request's segment id (16 hex). */
  segmentId: string;
}

const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const SEGMENT = /^[0-9a-f]{16}$/;

export interface ParsedTraceHeader {
  root: string | undefined;
  parent: string | undefined;
  /** `?` or absent: the caller left the decision to us. */
  sampled: "0" | "1" | undefined;
}

/** Parses `Root=...;Parent=...;Sampled=...` (any order, other fields such as Self ignored); bad parts are dropped. */
export function parseTraceHeader(header: string | undefined): ParsedTraceHeader {
  const parsed: ParsedTraceHeader = { root: undefined, parent: undefined, sampled: undefined };
  if (header === undefined || header.length > 512) return parsed;
  for (const part of header.split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === "Root" && ROOT.test(value)) parsed.root = value;
    else if (key === "Parent" && SEGMENT.test(value)) parsed.parent = value;
    else if (key === "Sampled" && (value === "0" || value === "1")) parsed.sampled = value;
  }
  return parsed;
}

export type RandomHex = (bytes: number) => string;
const cryptoHex: RandomHex = (bytes) => randomBytes(bytes).toString("hex");

export function newTraceRoot(now: Date = new Date(), hex: RandomHex = cryptoHex): string {
  const seconds = Math.floor(now.getTime() / 1000).toString(16).padStart(8, "0");
  return `1-${seconds}-${hex(12)}`;
}

export interface TraceOptions {
  /** Share of requests without a sampling decision that are sampled, 0 to 1. */
  sampleRate: number;
  random?: () => number;
  hex?: RandomHex;
  now?: () => Date;
}

/** The context of a request, from its incoming header. A parent without a root is meaningless and dropped. */
export function traceContext(header: string | undefined, options: TraceOptions): TraceContext {
  const incoming = parseTraceHeader(header);
  const hex = options.hex ?? cryptoHex;
  const root = incoming.root ?? newTraceRoot(options.now?.() ?? new Date(), hex);
  const decided = incoming.root === undefined ? undefined : incoming.sampled;
  const sampled = decided === undefined ? (options.random ?? Math.random)() < options.sampleRate : decided === "1";
  return { root, parent: incoming.root === undefined ? undefined : incoming.parent, sampled, segmentId: hex(8) };
}

/** What the response carries. */
export function responseTraceHeader(trace: TraceContext): string {
  return `Root=${trace.root};Sampled=${trace.sampled ? "1" : "0"}`;
}

/** What a call to another service carries: this request's segment is the parent. */
export function downstreamTraceHeader(trace: TraceContext): string {
  return `Root=${trace.root};Parent=${trace.segmentId};Sampled=${trace.sampled ? "1" : "0"}`;
}
