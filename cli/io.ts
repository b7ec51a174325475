/**
 * Where output goes: results to stdout, progress and logs to stderr, so that
 * `shopctl … --json | jq` always sees exactly one JSON document.
 */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdinIsTty: boolean;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdinIsTty: process.stdin.isTTY,
  env: process.env,
});

/** Prompts are allowed only on a terminal and outside CI; otherwise a missing input is an error. */
export function canPrompt(io: Io): boolean {
  return io.stdinIsTty && !io.env.CI;
}

export function printResult(io: Io, text: string): void {
  io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(io: Io, document: unknown): void {
  io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}

export function log(io: Io, text: string): void {
  io.stderr.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** The folder holding Pulumi.<stack>.yaml files: `stacks/`, or $SHOPCTL_STACKS_DIR when set. */
export function stacksDirFrom(io: Io): string | undefined {
  return io.env.SHOPCTL_STACKS_DIR || undefined;
}
