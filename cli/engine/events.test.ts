import type { EngineEvent } from "@pulumi/pulumi/automation/index.js";
import { describe, expect, it } from "vitest";
import { toEngineOutputs, toProgressEvent } from "./events.js";

const URN = "urn:pulumi:dev::shop-platform::shop:web:WebTier$aws:autoscaling/group:Group::web-asg";
const PARENT = "urn:pulumi:dev::shop-platform::shop:web:WebTier::web";
const metadata = (op: "create" | "delete", state: "new" | "old") => ({
  op, urn: URN, type: "aws:autoscaling/group:Group", provider: "",
  [state]: { type: "aws:autoscaling/group:Group", urn: URN, parent: PARENT, id: "", inputs: {}, outputs: {}, provider: "" },
});

describe("toProgressEvent", () => {
  it("turns resource pre/outputs/failed events into start/done/failed with the parent from new or old state", () => {
    expect(toProgressEvent({ sequence: 1, timestamp: 0, resourcePreEvent: { metadata: metadata("create", "new") } }, 5))
      .toEqual({ kind: "start", urn: URN, type: "aws:autoscaling/group:Group", op: "create", parent: PARENT, at: 5 });
    expect(toProgressEvent({ sequence: 2, timestamp: 0, resOutputsEvent: { metadata: metadata("delete", "old") } }, 6))
      .toMatchObject({ kind: "done", op: "delete", parent: PARENT, at: 6 });
    expect(toProgressEvent({ sequence: 3, timestamp: 0, resOpFailedEvent: { metadata: metadata("create", "new"), status: 1, steps: 0 } }, 7))
      .toMatchObject({ kind: "failed", op: "create" });
  });

  it("keeps error and warning diagnostics, drops ephemeral ones and the events progress does not show", () => {
    const diagnostic = (severity: "error" | "warning" | "info#err", ephemeral = false): EngineEvent =>
      ({ sequence: 1, timestamp: 0, diagnosticEvent: { urn: URN, message: "  AccessDenied: not authorized \n", color: "never", severity, ephemeral } });
    expect(toProgressEvent(diagnostic("error"), 1)).toEqual({ kind: "diagnostic", urn: URN, severity: "error", message: "AccessDenied: not authorized", at: 1 });
    expect(toProgressEvent(diagnostic("info#err"), 1)).toMatchObject({ severity: "info" });
    expect(toProgressEvent(diagnostic("warning", true), 1)).toBeUndefined();
    expect(toProgressEvent({ sequence: 1, timestamp: 0, stdoutEvent: { message: "hi", color: "never" } }, 1)).toBeUndefined();
  });

  it("maps CrossGuard's enforcement levels onto mandatory and advisory", () => {
    const policy = (enforcementLevel: "warning" | "mandatory"): EngineEvent => ({
      sequence: 1, timestamp: 0,
      policyEvent: { resourceUrn: URN, message: "m", color: "never", policyName: "p", policyPackName: "shop-guardrails", policyPackVersion: "1", policyPackVersionTag: "", enforcementLevel },
    });
    expect(toProgressEvent(policy("mandatory"), 1)).toMatchObject({ kind: "policy", enforcement: "mandatory", policy: "p" });
    expect(toProgressEvent(policy("warning"), 1)).toMatchObject({ enforcement: "advisory" });
  });
});

describe("toEngineOutputs", () => {
  it("separates values from the names of secret outputs", () => {
    expect(toEngineOutputs({ url: { value: "https://x", secret: false }, token: { value: "s3cr3t", secret: true } }))
      .toEqual({ values: { url: "https://x", token: "s3cr3t" }, secretKeys: ["token"] });
  });
});
