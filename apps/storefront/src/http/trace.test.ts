import { describe, expect, it } from "vitest";
import { downstreamTraceHeader, newTraceRoot, parseTraceHeader, responseTraceHeader, traceContext } from "./trace.js";

const ROOT = "1-5759e988-bd862e3fe1be46a994272793";
const hex = (bytes: number) => "ab".repeat(bytes);

describe("X-Amzn-Trace-Id", () => {
  it("parses the ALB's header in any order, ignoring Self and unknown fields", () => {
    expect(parseTraceHeader(`Self=1-67891234-12456789abcdef012345678;Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a:1`)).toEqual({ root: ROOT, parent: "53995c3f42cd8ad8", sampled: "1" });
  });

  it("drops malformed parts and oversized headers", () => {
    expect(parseTraceHeader("Root=1-xyz;Parent=short;Sampled=yes")).toEqual({ root: undefined, parent: undefined, sampled: undefined });
    expect(parseTraceHeader(`Root=${ROOT};${"x".repeat(600)}`)).toEqual({ root: undefined, parent: undefined, sampled: undefined });
    expect(parseTraceHeader(undefined)).toEqual({ root: undefined, parent: undefined, sampled: undefined });
  });

  it("makes a root from the time and 96 random bits", () => {
    expect(newTraceRoot(new Date(0x5759e988 * 1000), hex)).toBe(`1-5759e988-${"ab".repeat(12)}`);
  });

  it("keeps the caller's root, parent and sampling decision", () => {
    const trace = traceContext(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`, { sampleRate: 1, hex });
    expect(trace).toEqual({ root: ROOT, parent: "53995c3f42cd8ad8", sampled: false, segmentId: "abababababababab" });
    expect(responseTraceHeader(trace)).toBe(`Root=${ROOT};Sampled=0`);
    expect(downstreamTraceHeader(trace)).toBe(`Root=${ROOT};Parent=abababababababab;Sampled=0`);
  });

  it("samples at the configured rate when the caller left it open", () => {
    expect(traceContext(`Root=${ROOT}`, { sampleRate: 0.5, random: () => 0.49, hex }).sampled).toBe(true);
    expect(traceContext(`Root=${ROOT}`, { sampleRate: 0.5, random: () => 0.5, hex }).sampled).toBe(false);
  });

  it("makes a new root (and drops a parent without one) when the header is missing or bad", () => {
    const trace = traceContext("Parent=53995c3f42cd8ad8;Sampled=1", { sampleRate: 0, hex, now: () => new Date(0x5759e988 * 1000) });
    expect(trace).toEqual({ root: `1-5759e988-${"ab".repeat(12)}`, parent: undefined, sampled: false, segmentId: "abababababababab" });
  });
});
