/** shopctl's exit codes (docs/cli.md, "Exit codes"). Scripts and CI branch on them, so they never change meaning. */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The command ran and failed (or found violations). */
  Failed: 1,
  /** Bad usage or bad config: nothing was attempted. */
  Usage: 2,
  /** A preflight check refused: nothing was changed. */
  Refused: 3,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that knows which exit code it stands for; anything else exits 1. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  /** Structured details for --json output. */
  readonly details: unknown;

  constructor(message: string, exitCode: ExitCode, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** Bad flags, a missing input, an unreadable file: exit 2. */
export class UsageError extends CliError {
  constructor(message: string, details?: unknown) {
    super(message, ExitCode.Usage, details);
  }
}

/** A preflight check said no before anything changed: exit 3. */
export class RefusedError extends CliError {
  constructor(message: string, details?: unknown) {
    super(message, ExitCode.Refused, details);
  }
}
