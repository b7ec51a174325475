import { connect } from "node:net";

/**
 * Exit when the engine that started this plugin no longer answers on its address: an engine that
 * is killed (SIGKILL, a CI timeout) cannot stop its plugins, and an orphaned plugin would live
 * forever. A refused connection is the engine gone; anything else is left to the next check.
 */
export function exitWhenEngineGone(address: string | undefined, intervalMs = 2_000, exit: () => void = () => process.exit(0)): NodeJS.Timeout | undefined {
  const match = /^(.+):(\d+)$/.exec(address ?? "");
  if (match === null) return undefined;
  const [, host = "127.0.0.1", port = "0"] = match;
  const timer = setInterval(() => {
    const socket = connect({ host, port: Number(port) });
    socket.once("connect", () => socket.destroy());
    socket.once("error", (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === "ECONNREFUSED") {
        clearInterval(timer);
        exit();
      }
    });
  }, intervalMs);
  // The gRPC server keeps the process alive; the watch alone must not.
  timer.unref();
  return timer;
}
