import { describe, expect, it } from "vitest";
import { InterruptedError, systemClock } from "./clock.js";

describe("systemClock.sleep", () => {
  it("waits", async () => {
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
  });

  it("turns an abort, whatever its reason, into an InterruptedError", async () => {
    const controller = new AbortController();
    const pending = systemClock.sleep(60_000, controller.signal);
    controller.abort(new Error("Ctrl-C"));
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    await expect(systemClock.sleep(60_000, AbortSignal.abort())).rejects.toBeInstanceOf(InterruptedError);
  });
});
