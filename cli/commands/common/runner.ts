import type { ExitCode } from "../../exit-codes.js";
import type { Io } from "../../io.js";

// Kept apart from registry.ts: every command definition needs this type, and the registry imports
// every command, so a shared home that imports no command keeps the module graph free of cycles.

/** Wraps a command's action so that its exit code and errors reach main's single exit path. */
export type CommandRunner = <O>(action: (options: O, io: Io) => Promise<ExitCode>) => (options: O) => Promise<void>;
