import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RefusedError } from "../exit-codes.js";
import { FakeClock } from "./clock.js";
import { clearLock, DrLock, inspectLock, STALE_AFTER_MS, type LockInfo } from "./lock.js";

let dir = "";
beforeEach(() => { dir = mkdtempSync(path.join(tmpdir(), "shopctl-lock-")); });
afterEach(() => { rmSync(dir, { recursive: true, force: true }); });

const lockFile = () => path.join(dir, "lock.json");
function writeLock(info: Partial<LockInfo>): void {
  writeFileSync(lockFile(), JSON.stringify({ pid: process.pid, host: hostname(), operation: "failover", runId: "r1", startedAt: "2026-01-15T09:00:00.000Z", heartbeatAt: "2026-01-15T09:00:00.000Z", ...info }));
}
/** A pid that no process has: beyond the kernel's default pid_max. */
const DEAD_PID = 4_194_304 + 17;

describe("DrLock", () => {
  it("is exclusive while held and free again once released", () => {
    const clock = new FakeClock();
    const lock = DrLock.acquire(dir, "prod", "failover", "run-a", clock);
    expect(JSON.parse(readFileSync(lockFile(), "utf8"))).toMatchObject({ pid: process.pid, operation: "failover", runId: "run-a" });
    expect(() => DrLock.acquire(dir, "prod", "drill", "run-b", clock)).toThrow(RefusedError);
    expect(() => DrLock.acquire(dir, "prod", "drill", "run-b", clock)).toThrow(/another DR run is working on stack prod: failover run run-a \(pid \d+ on /);
    lock.release();
    expect(inspectLock(dir, clock.now())).toEqual({ held: false });
    DrLock.acquire(dir, "prod", "drill", "run-b", clock).release();
  });

  it("heartbeats: the lock file carries the time of the last sign of life", () => {
    const clock = new FakeClock();
    const lock = DrLock.acquire(dir, "prod", "failover", "run-a", clock);
    clock.advance(5 * 60_000);
    lock.heartbeat();
    expect((JSON.parse(readFileSync(lockFile(), "utf8")) as LockInfo).heartbeatAt).toBe(new Date(clock.now()).toISOString());
    lock.release();
  });

  it("refuses a stale lock of a dead process and says how to clear it", () => {
    writeLock({ pid: DEAD_PID });
    const clock = new FakeClock(Date.parse("2026-01-15T09:01:00.000Z"));
    const error = (() => { try { DrLock.acquire(dir, "prod", "failover", "run-b", clock); } catch (caught) { return caught as Error; } return undefined; })();
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toContain(`looks stale: process ${DEAD_PID} on this host is gone`);
    expect(error?.message).toContain("shopctl dr unlock --stack prod");
    expect(error?.message).toContain(lockFile());
  });

  it("calls a lock stale when its holder stopped heartbeating, whatever its pid", () => {
    writeLock({ host: "another-host" });
    const clock = new FakeClock(Date.parse("2026-01-15T09:00:00.000Z") + STALE_AFTER_MS + 60_000);
    expect(inspectLock(dir, clock.now())).toMatchObject({ held: true, stale: "no heartbeat for 31m00s (since 2026-01-15T09:00:00.000Z)" });
    const fresh = new FakeClock(Date.parse("2026-01-15T09:05:00.000Z"));
    expect(inspectLock(dir, fresh.now())).toMatchObject({ held: true, stale: undefined });
  });

  it("treats an unreadable lock file as stale", () => {
    writeFileSync(lockFile(), "{not json");
    expect(inspectLock(dir, Date.now())).toMatchObject({ held: true, stale: "the lock file is unreadable", info: undefined });
  });
});

describe("clearLock", () => {
  it("removes a stale lock, refuses a live one without force", () => {
    writeLock({ pid: DEAD_PID });
    expect(clearLock(dir, "prod", Date.parse("2026-01-15T09:01:00.000Z"), false).removed).toBe(true);
    expect(inspectLock(dir, Date.now())).toEqual({ held: false });
    writeLock({ heartbeatAt: new Date().toISOString() });
    expect(() => clearLock(dir, "prod", Date.now(), false)).toThrow(/held by a live run: failover run r1 .*pass --force only when you are sure/);
    expect(clearLock(dir, "prod", Date.now(), true).removed).toBe(true);
    expect(clearLock(dir, "prod", Date.now(), false).removed).toBe(false);
  });
});
