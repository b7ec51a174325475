import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { CliError, ExitCode } from "../exit-codes.js";
import { drFiles, type Operation } from "./paths.js";

/** Plain JSON facts a step observed, did or verified. */
export type Facts = Record<string, unknown>;

/**
 * One line of a journal. Every step writes observe → act-start → act → verified, each with its
 * time, so an interrupted run knows which steps are complete and which one to re-verify.
 */
export type JournalEvent =
  | { type: "start"; at: string; runId: string; operation: Operation; stack: string; options: Facts; steps: { id: string; title: string }[] }
  | { type: "resume"; at: string; pid: number }
  | { type: "observe"; at: string; step: string; facts: Facts }
  | { type: "act-start"; at: string; step: string; action: string; description: string }
  | { type: "act"; at: string; step: string; action: string; result: Facts }
  | { type: "verified"; at: string; step: string; facts: Facts; reverified?: boolean }
  | { type: "skipped"; at: string; step: string; reason: string }
  | { type: "step-failed"; at: string; step: string; error: string }
  | { type: "interrupted"; at: string }
  | { type: "finished"; at: string };

export type StepState = "pending" | "in-progress" | "done" | "skipped" | "failed";

type StartEvent = Extract<JournalEvent, { type: "start" }>;

function parseLines(file: string, text: string): JournalEvent[] {
  const lines = text.split("\n");
  const events: JournalEvent[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      // A crash can cut the last line short (no newline yet); anything else is corruption to stop on.
      if (index !== lines.length - 1) {
        throw new CliError(`the journal ${file} is damaged at line ${index + 1}; move it aside to start over (the run's state is then unknown to shopctl: check it with \`shopctl dr status\`)`, ExitCode.Failed);
      }
    }
  });
  const start = events[0];
  if (start?.type !== "start") throw new CliError(`the journal ${file} does not begin with its start entry; move it aside to start over`, ExitCode.Failed);
  return events;
}

/** An append-only JSON Lines journal of one DR run, fsynced entry by entry. */
export class Journal {
  private constructor(readonly file: string, private readonly events: JournalEvent[], private readonly onWrite: () => void) {}

  static create(dir: string, start: Omit<StartEvent, "type">, onWrite: () => void = () => undefined): Journal {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = drFiles.journal(dir, start.operation);
    if (existsSync(file)) throw new CliError(`${file} already exists`, ExitCode.Failed);
    const journal = new Journal(file, [], onWrite);
    journal.append({ type: "start", ...start });
    return journal;
  }

  /** The unfinished run of `operation`, or undefined when there is none. */
  static load(dir: string, operation: Operation, onWrite: () => void = () => undefined): Journal | undefined {
    const file = drFiles.journal(dir, operation);
    if (!existsSync(file)) return undefined;
    return new Journal(file, parseLines(file, readFileSync(file, "utf8")), onWrite);
  }

  /** The newest finished run of `operation` from the history folder, if any. */
  static lastFinished(dir: string, operation: Operation): Journal | undefined {
    const folder = drFiles.history(dir);
    if (!existsSync(folder)) return undefined;
    const names = readdirSync(folder).filter((name) => name.startsWith(`${operation}-`) && name.endsWith(".jsonl")).sort();
    const newest = names[names.length - 1];
    if (newest === undefined) return undefined;
    const file = path.join(folder, newest);
    return new Journal(file, parseLines(file, readFileSync(file, "utf8")), () => undefined);
  }

  get start(): StartEvent {
    return this.events[0] as StartEvent;
  }

  get runId(): string {
    return this.start.runId;
  }

  get startedAt(): number {
    return Date.parse(this.start.at);
  }

  get finished(): boolean {
    return this.events.some((event) => event.type === "finished");
  }

  /** When the run finished (ms since the epoch), or undefined while it has not. */
  get finishedAt(): number | undefined {
    const event = this.events.find((candidate) => candidate.type === "finished");
    return event === undefined ? undefined : Date.parse(event.at);
  }

  all(): readonly JournalEvent[] {
    return this.events;
  }

  append(event: JournalEvent): void {
    const fd = openSync(this.file, "a", 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify(event)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.events.push(event);
    this.onWrite();
  }

  private forStep(step: string): Exclude<JournalEvent, { type: "start" | "resume" | "interrupted" | "finished" }>[] {
    return this.events.filter((event): event is Exclude<JournalEvent, { type: "start" | "resume" | "interrupted" | "finished" }> => "step" in event && event.step === step);
  }

  stepState(step: string): StepState {
    const events = this.forStep(step);
    if (events.some((event) => event.type === "verified")) return "done";
    if (events.some((event) => event.type === "skipped")) return "skipped";
    const last = events[events.length - 1];
    if (last === undefined) return "pending";
    return last.type === "step-failed" ? "failed" : "in-progress";
  }

  /** The facts of the step's first observation: the state before this run touched anything. */
  firstObservation(step: string): Facts | undefined {
    const event = this.forStep(step).find((candidate) => candidate.type === "observe");
    return event?.type === "observe" ? event.facts : undefined;
  }

  /** Actions of the step that were started (act-start), with whether AWS confirmed them (act). */
  actions(step: string): { action: string; at: number; confirmed: boolean; result: Facts | undefined }[] {
    const events = this.forStep(step);
    return events.filter((event) => event.type === "act-start").map((event) => {
      const done = events.find((candidate) => candidate.type === "act" && candidate.action === event.action);
      return { action: event.action, at: Date.parse(event.at), confirmed: done !== undefined, result: done?.type === "act" ? done.result : undefined };
    });
  }

  verifiedFacts(step: string): Facts | undefined {
    const event = [...this.forStep(step)].reverse().find((candidate) => candidate.type === "verified");
    return event?.type === "verified" ? event.facts : undefined;
  }

  /** When the step first did anything and when it was verified (ms since the epoch). */
  timing(step: string): { startedAt: number | undefined; verifiedAt: number | undefined } {
    const events = this.forStep(step);
    const verified = events.find((event) => event.type === "verified");
    return { startedAt: events[0] === undefined ? undefined : Date.parse(events[0].at), verifiedAt: verified === undefined ? undefined : Date.parse(verified.at) };
  }

  /** Move the finished journal into the history folder, so the next run starts fresh. */
  archive(): string {
    const folder = path.join(path.dirname(this.file), "history");
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stamp = this.start.at.replace(/[:.]/g, "-");
    const target = path.join(folder, `${this.start.operation}-${stamp}-${this.runId}.jsonl`);
    renameSync(this.file, target);
    return target;
  }
}
