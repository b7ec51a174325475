import { describe, expect, it } from "vitest";
import { FakeClock, InterruptedError } from "./clock.js";
import { waitFor, WaitFailedError, WaitTimeoutError } from "./wait.js";

describe("waitFor", () => {
  it("polls until done and reports each change of state once", async () => {
    const clock = new FakeClock();
    const states = ["modifying", "modifying", "rebooting", "available"];
    const progress: string[] = [];
    const seen = await waitFor({
      what: "the instance", clock, timeoutMs: 600_000, intervalMs: 30_000,
      observe: () => Promise.resolve(states.shift() ?? "available"),
      judge: (state) => (state === "available" ? "done" : "waiting"),
      describe: (state) => state,
      onProgress: (line) => progress.push(line),
    });
    expect(seen).toBe("available");
    expect(progress).toEqual(["modifying", "rebooting", "available"]);
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000]);
  });

  it("is bounded: it gives up with what it saw last", async () => {
    const clock = new FakeClock();
    const wait = waitFor({ what: "ReplicaLag to reach 0", clock, timeoutMs: 90_000, intervalMs: 30_000, observe: () => Promise.resolve(7), judge: () => "waiting", describe: (lag) => `ReplicaLag ${lag}s` });
    await expect(wait).rejects.toBeInstanceOf(WaitTimeoutError);
    await expect(waitFor({ what: "ReplicaLag to reach 0", clock, timeoutMs: 90_000, intervalMs: 30_000, observe: () => Promise.resolve(7), judge: () => "waiting", describe: (lag) => `ReplicaLag ${lag}s` }))
      .rejects.toThrow("gave up waiting for ReplicaLag to reach 0 after 1m30s; last seen: ReplicaLag 7s");
  });

  it("a timeout of 0 is a single look", async () => {
    const clock = new FakeClock();
    let looks = 0;
    await expect(waitFor({ what: "x", clock, timeoutMs: 0, intervalMs: 10, observe: () => { looks++; return Promise.resolve(1); }, judge: () => "waiting", describe: String })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(looks).toBe(1);
  });

  it("fails at once on a state that waiting cannot leave", async () => {
    await expect(waitFor({ what: "the restore", clock: new FakeClock(), timeoutMs: 1e9, intervalMs: 10, observe: () => Promise.resolve("FAILED"), judge: () => ({ failed: "FAILED: no space" }), describe: String }))
      .rejects.toThrow(new WaitFailedError("the restore", "FAILED: no space"));
  });

  it("stops when the run is interrupted", async () => {
    const controller = new AbortController();
    const clock = new FakeClock();
    let looks = 0;
    const wait = waitFor({ what: "x", clock, timeoutMs: 1e9, intervalMs: 10, signal: controller.signal, observe: () => { looks++; if (looks === 2) controller.abort(); return Promise.resolve(1); }, judge: () => "waiting", describe: String });
    await expect(wait).rejects.toBeInstanceOf(InterruptedError);
    expect(looks).toBe(2);
  });
});
