import type { OperationOptions } from "../engine/engine.js";
import { hintFor } from "../engine/hints.js";
import type { ProgressReporter, ResourceFailure } from "../engine/progress.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { log, type Io } from "../io.js";
import { interruptible } from "./interrupt.js";

export interface FailureReport {
  urn: string;
  type: string;
  name: string;
  component: string;
  error: string;
  hint: string;
}

function failureReport(failure: ResourceFailure): FailureReport {
  return { urn: failure.urn, type: failure.type, name: failure.name, component: failure.component, error: failure.message, hint: hintFor(failure.message) };
}

/** The last lines of what the Pulumi CLI said, when no resource-level error explains a failure. */
function tail(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");
  return lines.slice(-8).join("\n");
}

/**
 * Run one engine operation with progress on stderr and Ctrl-C handling. On failure, print each
 * failed resource with its error and a hint, then fail with exit 1 (the JSON error document
 * carries the same list).
 */
export async function runEngineOperation<T>(
  io: Io,
  reporter: ProgressReporter,
  verb: string,
  operation: (options: OperationOptions) => Promise<T>,
): Promise<T> {
  const interrupt = interruptible(io);
  try {
    return await operation({ onEvent: reporter.handle, signal: interrupt.signal });
  } catch (error) {
    const summary = reporter.result();
    const failures = summary.failures.map(failureReport);
    const general = summary.errors.length > 0 ? summary.errors.join("\n") : failures.length === 0 ? tail(error) : "";
    for (const failure of failures) {
      log(io, `\nfailed: ${failure.type} ${failure.name} (component ${failure.component})\n  error: ${failure.error.replace(/\n/g, "\n         ")}\n  hint:  ${failure.hint}`);
    }
    if (general !== "") log(io, `\n${general}\n  hint:  ${hintFor(general)}`);
    const interrupted = interrupt.signal.aborted ? " (interrupted; run it again to resume)" : "";
    const count = failures.length === 0 ? "" : `: ${failures.length} resource${failures.length === 1 ? "" : "s"} failed`;
    throw new CliError(`${verb} failed${count}${interrupted}`, ExitCode.Failed, { failures, error: general === "" ? undefined : general });
  } finally {
    interrupt.dispose();
  }
}

/** Operation counts per component, for the end-of-run summary. */
export function componentSummary(byComponent: ReadonlyMap<string, ReadonlyMap<string, number>>, planning: boolean): string[] {
  return [...byComponent.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([component, ops]) => {
      const parts = [...ops.entries()].filter(([, count]) => count > 0).map(([op, count]) => describeOp(op, count, planning));
      return `  ${component}: ${parts.join(", ")}`;
    });
}

const PAST: Record<string, string> = { create: "created", update: "updated", delete: "deleted", replace: "replaced", same: "unchanged", read: "read", import: "imported", refresh: "refreshed" };

export function describeOp(op: string, count: number, planning: boolean): string {
  if (op === "same") return `${count} unchanged`;
  return planning ? `${count} to ${op}` : `${count} ${PAST[op] ?? op}`;
}

export function describeChanges(changes: Readonly<Record<string, number>>, planning: boolean): string {
  const parts = Object.entries(changes).filter(([, count]) => count > 0).map(([op, count]) => describeOp(op, count, planning));
  return parts.length === 0 ? "no changes" : parts.join(", ");
}
