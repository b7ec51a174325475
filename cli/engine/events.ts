import type { EngineEvent, OutputMap, StepEventMetadata } from "@pulumi/pulumi/automation/index.js";
import type { EngineOutputs, ProgressEvent } from "./engine.js";

function parentOf(metadata: StepEventMetadata): string | undefined {
  const parent = metadata.new?.parent ?? metadata.old?.parent;
  return parent === undefined || parent === "" ? undefined : parent;
}

function step(kind: "start" | "done" | "failed", metadata: StepEventMetadata, at: number): ProgressEvent {
  return { kind, urn: metadata.urn, type: metadata.type, op: metadata.op, parent: parentOf(metadata), at };
}

/**
 * Pulumi's engine event as the progress display needs it, or `undefined` for the events it does
 * not show (prelude, stdout chatter, ephemeral diagnostics). `at` is when shopctl received it:
 * the engine's own timestamps have one-second resolution.
 */
export function toProgressEvent(event: EngineEvent, at: number): ProgressEvent | undefined {
  if (event.resourcePreEvent) return step("start", event.resourcePreEvent.metadata, at);
  if (event.resOutputsEvent) return step("done", event.resOutputsEvent.metadata, at);
  if (event.resOpFailedEvent) return step("failed", event.resOpFailedEvent.metadata, at);
  if (event.diagnosticEvent && event.diagnosticEvent.ephemeral !== true) {
    const { urn, severity, message } = event.diagnosticEvent;
    const level = severity === "error" ? "error" : severity === "warning" ? "warning" : "info";
    return { kind: "diagnostic", urn: urn === "" ? undefined : urn, severity: level, message: message.trim(), at };
  }
  if (event.policyEvent) {
    const { resourceUrn, policyName, enforcementLevel, message } = event.policyEvent;
    return {
      kind: "policy",
      urn: resourceUrn === "" ? undefined : resourceUrn,
      policy: policyName,
      enforcement: enforcementLevel === "mandatory" ? "mandatory" : "advisory",
      message: message.trim(),
      at,
    };
  }
  return undefined;
}

/** The Automation API's outputs as plain values plus the names of the secret ones. */
export function toEngineOutputs(outputs: OutputMap): EngineOutputs {
  const values: Record<string, unknown> = {};
  const secretKeys: string[] = [];
  for (const [key, output] of Object.entries(outputs)) {
    values[key] = output.value as unknown;
    if (output.secret) secretKeys.push(key);
  }
  return { values, secretKeys };
}
