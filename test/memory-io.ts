import { Writable } from "node:stream";
import type { Io } from "../cli/io.js";

class Capture extends Writable {
  text = "";
  isTTY: boolean;

  constructor(isTty: boolean) {
    super();
    this.isTTY = isTty;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface MemoryIo extends Io {
  readonly out: () => string;
  readonly err: () => string;
}

/** An Io for running command actions in-process: no terminal, CI set unless `env` says otherwise. */
export function memoryIo(env: NodeJS.ProcessEnv = {}, options: { stdinIsTty?: boolean; stderrIsTty?: boolean } = {}): MemoryIo {
  const stdout = new Capture(false);
  const stderr = new Capture(options.stderrIsTty ?? false);
  return {
    stdout,
    stderr,
    stdinIsTty: options.stdinIsTty ?? false,
    env: { CI: "true", ...env },
    out: () => stdout.text,
    err: () => stderr.text,
  };
}
