import type { Io } from "../io.js";
import { log } from "../io.js";
import { formatDuration } from "../common/durations.js";
import type { ProgressEvent, StepOp } from "./engine.js";
import { topLevelAncestor, urnName, urnType, type TreeNode } from "./urns.js";

/** A resource operation that failed, with the engine's error for it. */
export interface ResourceFailure {
  urn: string;
  type: string;
  name: string;
  op: StepOp;
  component: string;
  message: string;
}

export interface PolicyViolationEvent {
  urn: string | undefined;
  policy: string;
  enforcement: "advisory" | "mandatory";
  message: string;
}

export interface ProgressSummary {
  /** Per component label: counts per operation (`same` included). */
  byComponent: Map<string, Map<StepOp, number>>;
  failures: ResourceFailure[];
  /** Error diagnostics not tied to one resource (program errors, engine errors). */
  errors: string[];
  policy: PolicyViolationEvent[];
}

const SYMBOLS: Record<string, string> = {
  create: "+", update: "~", delete: "-", replace: "+-", "create-replacement": "++", "delete-replaced": "--",
  read: ">", "read-replacement": ">>", refresh: "~", import: "=", "import-replacement": "=>", discard: "-", "discard-replaced": "-",
};

const PAST: Record<string, string> = {
  create: "created", update: "updated", delete: "deleted", replace: "replaced", "create-replacement": "created replacement",
  "delete-replaced": "deleted original", read: "read", refresh: "refreshed", import: "imported",
};

/** Operations that change nothing are counted but not listed. */
const QUIET_OPS = new Set(["same", "read", "refresh", "remove-pending-replace"]);

const STACK_GROUP = "stack";

/**
 * Prints one line per resource operation as it finishes, with its duration, grouped by the
 * top-level component it belongs to. On a terminal a header line opens each group; in CI (or
 * when stderr is not a terminal) each line carries its group as a `[prefix]` instead, so
 * interleaved operations stay readable in a log. Everything goes to stderr.
 */
export class ProgressReporter {
  private readonly tree = new Map<string, TreeNode>();
  private readonly started = new Map<string, number>();
  private readonly diagnostics = new Map<string, string[]>();
  private readonly summary: ProgressSummary = { byComponent: new Map(), failures: [], errors: [], policy: [] };
  private lastGroup: string | undefined;

  constructor(
    private readonly io: Io,
    private readonly options: { compact: boolean; planning: boolean },
  ) {}

  readonly handle = (event: ProgressEvent): void => {
    switch (event.kind) {
      case "start":
        this.tree.set(event.urn, { type: event.type, parent: event.parent });
        this.started.set(event.urn, event.at);
        return;
      case "done":
      case "failed":
        this.tree.set(event.urn, { type: event.type, parent: event.parent ?? this.tree.get(event.urn)?.parent });
        this.finished(event);
        return;
      case "diagnostic":
        this.diagnostic(event.urn, event.severity, event.message);
        return;
      case "policy":
        this.summary.policy.push({ urn: event.urn, policy: event.policy, enforcement: event.enforcement, message: event.message });
        log(this.io, `policy ${event.enforcement}: ${event.policy}${event.urn === undefined ? "" : ` on ${urnName(event.urn)}`}: ${event.message}`);
        return;
    }
  };

  /** The component label of a resource: the name of its top-level component, or `stack`. */
  groupOf(urn: string): string {
    const top = topLevelAncestor(urn, this.tree, (candidate) => this.isComponent(candidate));
    return top === undefined ? STACK_GROUP : urnName(top);
  }

  /** What happened so far; failure messages include every error the engine reported for the resource. */
  result(): ProgressSummary {
    const failures = this.summary.failures.map((failure) => ({
      ...failure,
      message: (this.diagnostics.get(failure.urn) ?? []).join("\n") || failure.message,
    }));
    return { ...this.summary, failures };
  }

  private isComponent(urn: string): boolean {
    const type = this.tree.get(urn)?.type ?? urnType(urn);
    // Custom resource types carry a module path (`aws:rds/instance:Instance`); components do not.
    return !type.includes("/") && !type.startsWith("pulumi:providers:");
  }

  private finished(event: Extract<ProgressEvent, { kind: "done" | "failed" }>): void {
    const group = this.groupOf(event.urn);
    const counts = this.summary.byComponent.get(group) ?? new Map<StepOp, number>();
    this.summary.byComponent.set(group, counts);
    if (event.kind === "failed") {
      this.summary.failures.push({ urn: event.urn, type: event.type, name: urnName(event.urn), op: event.op, component: group, message: `${event.op} failed` });
      this.line(group, `x ${event.op} failed`, event);
      return;
    }
    counts.set(event.op, (counts.get(event.op) ?? 0) + 1);
    if (QUIET_OPS.has(event.op) || !this.isCustomish(event.type)) return;
    const verb = this.options.planning ? `${SYMBOLS[event.op] ?? "*"} ${event.op}` : `${SYMBOLS[event.op] ?? "*"} ${PAST[event.op] ?? event.op}`;
    this.line(group, verb, event);
  }

  /** Components are structure, not operations: list real resources (and providers). */
  private isCustomish(type: string): boolean {
    return type.includes("/") || type.startsWith("pulumi:providers:");
  }

  private line(group: string, verb: string, event: Extract<ProgressEvent, { kind: "done" | "failed" }>): void {
    const start = this.started.get(event.urn);
    const duration = this.options.planning || start === undefined ? "" : `  ${formatDuration(event.at - start)}`;
    const what = `${verb.padEnd(14)} ${event.type} ${urnName(event.urn)}${duration}`;
    if (this.options.compact) {
      log(this.io, `[${group}] ${what}`);
      return;
    }
    if (group !== this.lastGroup) {
      log(this.io, group);
      this.lastGroup = group;
    }
    log(this.io, `  ${what}`);
  }

  private diagnostic(urn: string | undefined, severity: "info" | "warning" | "error", message: string): void {
    if (message === "") return;
    if (severity === "error") {
      if (urn !== undefined && urnType(urn) !== "pulumi:pulumi:Stack") {
        this.diagnostics.set(urn, [...(this.diagnostics.get(urn) ?? []), message]);
      } else {
        this.summary.errors.push(message);
      }
      return;
    }
    if (severity === "warning") log(this.io, `warning: ${urn === undefined ? "" : `${urnName(urn)}: `}${message}`);
  }
}

/** Progress is compact in CI and whenever stderr is not a terminal (a log file, a pipe). */
export function compactProgress(io: Io): boolean {
  const stderr = io.stderr as NodeJS.WritableStream & { isTTY?: boolean };
  return Boolean(io.env.CI) || stderr.isTTY !== true;
}
