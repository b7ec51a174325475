import pino from "pino";
import { describe, expect, it } from "vitest";
import { PeriodicTask } from "./background.js";

describe("PeriodicTask", () => {
  it("runs repeatedly, and stop() waits for the run in progress", async () => {
    let runs = 0;
    let finishRun: () => void = () => undefined;
    let started: () => void = () => undefined;
    const secondRunStarted = new Promise<void>((resolve) => { started = resolve; });
    const task = new PeriodicTask("test", 1, async () => {
      runs++;
      if (runs === 2) {
        started();
        await new Promise<void>((resolve) => { finishRun = resolve; });
      }
    }, pino({ level: "silent" }));
    task.start();
    await secondRunStarted;
    let stopped = false;
    const stopping = task.stop().then(() => { stopped = true; });
    await Promise.resolve();
    expect(stopped).toBe(false);
    finishRun();
    await stopping;
    expect(stopped).toBe(true);
    expect(runs).toBe(2);
  });

  it("keeps running after a failed run", async () => {
    let runs = 0;
    let third: () => void = () => undefined;
    const reachedThird = new Promise<void>((resolve) => { third = resolve; });
    const task = new PeriodicTask("failing", 1, () => {
      runs++;
      if (runs === 3) third();
      return Promise.reject(new Error("boom"));
    }, pino({ level: "silent" }));
    task.start();
    await reachedThird;
    await task.stop();
    expect(runs).toBeGreaterThanOrEqual(3);
  });
});
