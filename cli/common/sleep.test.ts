import { describe, expect, it } from "vitest";
import { sleep } from "./sleep.js";

describe("sleep", () => {
  it("resolves after the delay", async () => {
    const started = performance.now();
    await expect(sleep(20)).resolves.toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });

  it("rejects with the abort reason when aborted while waiting", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error("stop now"));
    await expect(pending).rejects.toThrow("stop now");
  });

  it("rejects at once on a signal that has already aborted", async () => {
    await expect(sleep(60_000, AbortSignal.abort(new Error("already")))).rejects.toThrow("already");
  });

  it("rejects with an Error even when the reason is not one", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort("not an error");
    await expect(pending).rejects.toThrow(new Error("aborted"));
  });

  it("rejects with the platform's AbortError when aborted without a reason", async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
  });
});
