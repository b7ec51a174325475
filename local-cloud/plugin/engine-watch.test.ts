import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { exitWhenEngineGone } from "./engine-watch.js";

describe("exitWhenEngineGone", () => {
  it("stays while the engine answers and exits once its address refuses connections", async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    let exited = false;
    const timer = exitWhenEngineGone(`127.0.0.1:${port}`, 20, () => { exited = true; });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exited).toBe(false);
    await new Promise<void>((resolve) => server.close(() => { resolve(); }));
    await expect.poll(() => exited, { timeout: 2_000 }).toBe(true);
    clearInterval(timer);
  });

  it("does nothing without an engine address", () => {
    expect(exitWhenEngineGone(undefined)).toBeUndefined();
    expect(exitWhenEngineGone("not-an-address")).toBeUndefined();
  });
});
