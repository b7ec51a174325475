import { describe, expect, it } from "vitest";
import { memoryIo } from "../../test/memory-io.js";
import type { ProgressEvent } from "./engine.js";
import { compactProgress, ProgressReporter } from "./progress.js";
import { formatDuration } from "../common/durations.js";

const STACK = "urn:pulumi:prod::shop-platform::pulumi:pulumi:Stack::shop-platform-prod";
const DATABASE = "urn:pulumi:prod::shop-platform::shop:data:Database::catalog";
const KEYS = "urn:pulumi:prod::shop-platform::shop:data:Database$shop:security:Keys::catalog-keys";
const KEY = "urn:pulumi:prod::shop-platform::shop:data:Database$shop:security:Keys$aws:kms/key:Key::catalog-db-key";
const DB = "urn:pulumi:prod::shop-platform::shop:data:Database$aws:rds/instance:Instance::catalog-db";
const WEB = "urn:pulumi:prod::shop-platform::shop:web:WebTier::web";
const ASG = "urn:pulumi:prod::shop-platform::shop:web:WebTier$aws:autoscaling/group:Group::web-asg";
const PROVIDER = "urn:pulumi:prod::shop-platform::pulumi:providers:aws::primary";

const start = (urn: string, type: string, parent: string | undefined, at: number, op = "create"): ProgressEvent => ({ kind: "start", urn, type, op, parent, at });
const done = (urn: string, type: string, parent: string | undefined, at: number, op = "create"): ProgressEvent => ({ kind: "done", urn, type, op, parent, at });

function deploy(reporter: ProgressReporter): void {
  const events: ProgressEvent[] = [
    start(STACK, "pulumi:pulumi:Stack", undefined, 0),
    start(PROVIDER, "pulumi:providers:aws", STACK, 0),
    done(PROVIDER, "pulumi:providers:aws", STACK, 120),
    start(DATABASE, "shop:data:Database", STACK, 0),
    start(KEYS, "shop:security:Keys", DATABASE, 0),
    start(KEY, "aws:kms/key:Key", KEYS, 100),
    start(WEB, "shop:web:WebTier", STACK, 0),
    start(ASG, "aws:autoscaling/group:Group", WEB, 200),
    done(KEY, "aws:kms/key:Key", KEYS, 2_600),
    start(DB, "aws:rds/instance:Instance", DATABASE, 2_700),
    done(ASG, "aws:autoscaling/group:Group", WEB, 65_200),
    done(DB, "aws:rds/instance:Instance", DATABASE, 2_700 + 4 * 60_000 + 2_000),
    done(KEYS, "shop:security:Keys", DATABASE, 300_000),
    done(DATABASE, "shop:data:Database", STACK, 300_000, "same"),
  ];
  for (const event of events) reporter.handle(event);
}

describe("ProgressReporter", () => {
  it("prints one line per finished resource with its duration, prefixed with its top-level component in CI", () => {
    const io = memoryIo();
    const reporter = new ProgressReporter(io, { compact: true, planning: false });
    deploy(reporter);
    expect(io.err().trim().split("\n")).toEqual([
      "[stack] + created      pulumi:providers:aws primary  120ms",
      "[catalog] + created      aws:kms/key:Key catalog-db-key  2.5s",
      "[web] + created      aws:autoscaling/group:Group web-asg  1m05s",
      "[catalog] + created      aws:rds/instance:Instance catalog-db  4m02s",
    ]);
    expect(io.out()).toBe("");
  });

  it("on a terminal, opens each component's group with a header line instead", () => {
    const io = memoryIo({}, { stderrIsTty: true });
    const reporter = new ProgressReporter(io, { compact: false, planning: false });
    deploy(reporter);
    expect(io.err()).toMatch(/^stack\n {2}\+ created {6}pulumi:providers:aws primary {2}120ms\ncatalog\n {2}\+ created {6}aws:kms\/key:Key catalog-db-key {2}2\.5s\nweb\n/);
  });

  it("counts operations per component, nested components included, and lists no durations when planning", () => {
    const io = memoryIo();
    const reporter = new ProgressReporter(io, { compact: true, planning: true });
    deploy(reporter);
    expect(io.err()).toContain("[catalog] + create       aws:rds/instance:Instance catalog-db\n");
    const counts = Object.fromEntries([...reporter.result().byComponent].map(([component, ops]) => [component, Object.fromEntries(ops)]));
    expect(counts).toEqual({ stack: { create: 1 }, catalog: { create: 3, same: 1 }, web: { create: 1 } });
  });

  it("collects failed resources with every error the engine reported for them, and errors not tied to a resource", () => {
    const io = memoryIo();
    const reporter = new ProgressReporter(io, { compact: true, planning: false });
    reporter.handle(start(DATABASE, "shop:data:Database", STACK, 0));
    reporter.handle(start(DB, "aws:rds/instance:Instance", DATABASE, 0));
    reporter.handle({ kind: "diagnostic", urn: DB, severity: "error", message: "creating RDS DB Instance: InvalidParameterCombination", at: 1 });
    reporter.handle({ kind: "failed", urn: DB, type: "aws:rds/instance:Instance", op: "create", parent: DATABASE, at: 2 });
    reporter.handle({ kind: "diagnostic", urn: DB, severity: "error", message: "StorageQuotaExceeded", at: 3 });
    reporter.handle({ kind: "diagnostic", urn: STACK, severity: "error", message: "update failed", at: 4 });
    reporter.handle({ kind: "diagnostic", urn: DB, severity: "warning", message: "engine version 16 is near end of support", at: 5 });
    reporter.handle({ kind: "policy", urn: DB, policy: "rds-multi-az", enforcement: "advisory", message: "single-AZ database", at: 6 });
    const { failures, errors } = reporter.result();
    expect(failures).toEqual([{ urn: DB, type: "aws:rds/instance:Instance", name: "catalog-db", op: "create", component: "catalog", message: "creating RDS DB Instance: InvalidParameterCombination\nStorageQuotaExceeded" }]);
    expect(errors).toEqual(["update failed"]);
    expect(io.err()).toContain("[catalog] x create failed");
    expect(io.err()).toContain("warning: catalog-db: engine version 16 is near end of support");
    expect(io.err()).toContain("policy advisory: rds-multi-az on catalog-db: single-AZ database");
    expect(reporter.result().policy).toEqual([{ urn: DB, policy: "rds-multi-az", enforcement: "advisory", message: "single-AZ database" }]);
  });

  it("groups a resource whose parents it never saw by its URN's component chain", () => {
    const reporter = new ProgressReporter(memoryIo(), { compact: true, planning: false });
    expect(reporter.groupOf(PROVIDER)).toBe("stack");
    expect(reporter.groupOf(DATABASE)).toBe("catalog");
  });
});

describe("formatDuration and compactProgress", () => {
  it("formats milliseconds, seconds and minutes", () => {
    expect([formatDuration(850), formatDuration(12_340), formatDuration(242_000), formatDuration(-5)]).toEqual(["850ms", "12.3s", "4m02s", "0ms"]);
  });

  it("is compact in CI or when stderr is not a terminal", () => {
    expect(compactProgress(memoryIo({}, { stderrIsTty: true }))).toBe(true);
    expect(compactProgress(memoryIo({ CI: "" }, { stderrIsTty: true }))).toBe(false);
    expect(compactProgress(memoryIo({ CI: "" }, { stderrIsTty: false }))).toBe(true);
  });
});
