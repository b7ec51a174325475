import { log, type Io } from "../io.js";

/**
 * Ctrl-C during a deploy asks Pulumi to stop cleanly (it finishes in-flight operations and
 * saves state, so the next run resumes); a second Ctrl-C leaves at once.
 */
export function interruptible(io: Io): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    log(io, "interrupting: waiting for Pulumi to finish in-flight operations and save the state (Ctrl-C again to quit now; the next run resumes)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  return { signal: controller.signal, dispose: () => process.removeListener("SIGINT", onSignal) };
}
