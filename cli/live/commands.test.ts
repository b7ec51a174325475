import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryIo } from "../../test/memory-io.js";
import { ROOT } from "../../test/shopctl.js";
import { stackOutputs } from "../../test/stack-outputs.js";
import { StubEngine, stubDeps } from "../../test/stub-engine.js";
import { destroy } from "../commands/core/destroy-action.js";
import { doctor } from "../commands/core/doctor-action.js";
import { outputs } from "../commands/core/outputs-action.js";
import { previewLive } from "../commands/core/preview-action.js";
import { up } from "../commands/core/up-action.js";
import { Journal } from "../dr/journal.js";
import { drDirectory } from "../dr/paths.js";
import type { ProgressEvent } from "../engine/engine.js";
import { CliError, ExitCode, RefusedError, UsageError } from "../exit-codes.js";

const STACK_URN = "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev";
const WEB = "urn:pulumi:dev::shop-platform::shop:web:WebTier::web";
const ASG = "urn:pulumi:dev::shop-platform::shop:web:WebTier$aws:autoscaling/group:Group::web-asg";
const deployEvents: ProgressEvent[] = [
  { kind: "start", urn: WEB, type: "shop:web:WebTier", op: "create", parent: STACK_URN, at: 0 },
  { kind: "start", urn: ASG, type: "aws:autoscaling/group:Group", op: "create", parent: WEB, at: 1_000 },
  { kind: "done", urn: ASG, type: "aws:autoscaling/group:Group", op: "create", parent: WEB, at: 64_000 },
  { kind: "done", urn: WEB, type: "shop:web:WebTier", op: "create", parent: STACK_URN, at: 64_000 },
];
const failingEvents: ProgressEvent[] = [
  { kind: "start", urn: WEB, type: "shop:web:WebTier", op: "create", parent: STACK_URN, at: 0 },
  { kind: "start", urn: ASG, type: "aws:autoscaling/group:Group", op: "create", parent: WEB, at: 0 },
  { kind: "diagnostic", urn: ASG, severity: "error", message: "creating Auto Scaling Group (web-asg): AccessDenied: not authorized to perform autoscaling:CreateAutoScalingGroup", at: 1 },
  { kind: "failed", urn: ASG, type: "aws:autoscaling/group:Group", op: "create", parent: WEB, at: 2 },
];
const live = { json: false, yes: false, dryRun: false };

let scratch = "";
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "shopctl-live-"));
  await copyFile(path.join(ROOT, "stacks", "Pulumi.dev.yaml"), path.join(scratch, "Pulumi.dev.yaml"));
  await copyFile(path.join(ROOT, "stacks", "Pulumi.prod.yaml"), path.join(scratch, "Pulumi.prod.yaml"));
  // A staging stack whose owner turned deletion protection off on purpose.
  await writeFile(path.join(scratch, "Pulumi.sandbox.yaml"), [
    "config:",
    "  shop:tier: staging",
    "  shop:primaryRegion: eu-west-1",
    "  shop:drStrategy: none",
    "  shop:domain: sandbox.shop.example.com",
    "  shop:hostedZoneId: Z0SANDBOXEXAMPLE1",
    "  shop:database:",
    "    deletionProtection: false",
    "  shop:tags:",
    "    owner: platform-team",
    "    costCenter: CC-1001",
    "",
  ].join("\n"));
});
afterAll(async () => { await rm(scratch, { recursive: true, force: true }); });

const io = (env: NodeJS.ProcessEnv = {}) => memoryIo({ SHOPCTL_STACKS_DIR: scratch, SHOPCTL_HOME: path.join(scratch, "home"), ...env });

describe("shopctl up", () => {
  it("runs the preflight, deploys with one progress line per resource, and prints outputs and next steps", async () => {
    const deps = stubDeps({ engine: new StubEngine({ events: deployEvents, changes: { create: 2 }, outputs: { values: { ...stackOutputs("dev"), dbPassword: "hunter2" }, secretKeys: ["dbPassword"] } }) });
    const out = io();
    expect(await up({ ...live, stack: "dev" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.engine.calls).toEqual(["up"]);
    expect(deps.offlineRuns).toEqual(["dev"]);
    expect(deps.checkInputs[0]?.regions).toEqual(["eu-west-1", "us-east-1"]);
    expect(deps.engine.settings?.backendUrl).toBe(`file://${path.join(scratch, "home", "state")}`);
    expect(out.err()).toContain("preflight: 2 checks passed; offline policy check passed (0 resources, 2 advisory)");
    expect(out.err()).toContain("[web] + created      aws:autoscaling/group:Group web-asg  1m03s");
    expect(out.out()).toContain("Deployed dev in 0ms: 2 created\n  web: 2 created");
    expect(out.out()).toContain("siteUrl");
    expect(out.out()).toContain("open https://shop.example.com");
    expect(out.out()).toContain("shopctl status --stack dev");
    expect(out.out()).toContain("dbPassword");
    expect(out.out() + out.err()).not.toContain("hunter2");
  });

  it("prints exactly one JSON document on stdout with --json", async () => {
    const deps = stubDeps({ engine: new StubEngine({ events: deployEvents, outputs: { values: stackOutputs("dev"), secretKeys: [] } }) });
    const out = io();
    expect(await up({ ...live, json: true, stack: "dev" }, out, deps)).toBe(ExitCode.Ok);
    const document = JSON.parse(out.out()) as { stack: string; outputs: { siteUrl: string } };
    expect(document).toMatchObject({ stack: "dev", outputs: { siteUrl: "https://shop.example.com" } });
  });

  it("refuses (exit 3) when a doctor check fails, and never creates the engine", async () => {
    const deps = stubDeps({ checks: [{ id: "pulumi", name: "Pulumi CLI", status: "fail", detail: "not found on PATH", fix: "install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh" }] });
    const error = await up({ ...live, stack: "dev" }, io(), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).message).toContain("preflight refused stack dev: 1 check failed; nothing was changed.");
    expect((error as RefusedError).message).toContain("fix: install the Pulumi CLI: curl -fsSL https://get.pulumi.com | sh");
    expect(deps.enginesCreated()).toBe(0);
    expect(deps.offlineRuns).toEqual([]);
  });

  it("refuses when the offline policy check has mandatory violations or cannot run", async () => {
    const plan = { stack: "dev", resources: [], groups: [], regions: [] };
    const failed = stubDeps({ offline: { plan, policy: { status: "failed", resources: 9, mandatory: 1, advisory: 0, violations: [{ policy: "s3-no-public-access", enforcement: "mandatory", urn: "urn:x", message: "bucket is public" }] } } });
    await expect(up({ ...live, stack: "dev" }, io(), failed)).rejects.toThrow(/1 mandatory policy violation in the offline run[\s\S]*s3-no-public-access: bucket is public/);
    const unavailable = stubDeps({ offline: { plan, policy: { status: "unavailable", reason: "the evaluator is not there yet" } } });
    await expect(up({ ...live, stack: "dev" }, io(), unavailable)).rejects.toThrow(/offline policy check could not run \(the evaluator is not there yet\)/);
    expect(failed.enginesCreated() + unavailable.enginesCreated()).toBe(0);
  });

  it("on prod, without a terminal and without --yes, stops before the preflight and names the flag (exit 2)", async () => {
    const deps = stubDeps();
    const error = await up({ ...live, stack: "prod" }, io(), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain("confirm with --yes");
    expect(deps.checkInputs).toEqual([]);
    expect(await up({ ...live, yes: true, stack: "prod" }, io(), stubDeps())).toBe(ExitCode.Ok);
  });

  it("--dry-run previews and changes nothing", async () => {
    const deps = stubDeps({ engine: new StubEngine({ events: deployEvents, changes: { create: 2 } }) });
    const out = io();
    expect(await up({ ...live, dryRun: true, stack: "prod" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.engine.calls).toEqual(["preview"]);
    expect(out.out()).toContain("Dry run of up for prod: 2 to create; nothing was changed");
  });

  it("refuses a stack this machine failed over (exit 3) before the preflight; --dry-run warns, --ignore-dr-state deploys", async () => {
    const home = path.join(scratch, "home-failed-over");
    const dir = drDirectory({ SHOPCTL_HOME: home }, "dev");
    const failover = Journal.create(dir, { at: "2026-01-15T09:00:00.000Z", runId: "fo-1", operation: "failover", stack: "dev", options: {}, steps: [] });
    failover.append({ type: "finished", at: "2026-01-15T09:20:00.000Z" });
    failover.archive();
    const failedOverIo = () => io({ SHOPCTL_HOME: home });

    const deps = stubDeps();
    const error = await up({ ...live, stack: "dev" }, failedOverIo(), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as RefusedError).message).toContain("stack dev is failed over (failover run fo-1 finished 2026-01-15T09:20:00.000Z");
    expect((error as RefusedError).message).toContain("`shopctl failback --stack dev` shows the next phase; or pass --ignore-dr-state");
    expect(deps.checkInputs).toEqual([]);
    expect(deps.enginesCreated()).toBe(0);

    const preview = stubDeps({ engine: new StubEngine({ events: deployEvents, changes: { create: 2 } }) });
    const previewOut = failedOverIo();
    expect(await up({ ...live, dryRun: true, stack: "dev" }, previewOut, preview)).toBe(ExitCode.Ok);
    expect(previewOut.err()).toContain("warning: stack dev is failed over");

    const forced = stubDeps({ engine: new StubEngine({ events: deployEvents, outputs: { values: stackOutputs("dev"), secretKeys: [] } }) });
    const forcedOut = failedOverIo();
    expect(await up({ ...live, ignoreDrState: true, stack: "dev" }, forcedOut, forced)).toBe(ExitCode.Ok);
    expect(forced.engine.calls).toEqual(["up"]);
    expect(forcedOut.err()).toContain("deploying anyway (--ignore-dr-state)");
  });

  it("a failed resource is shown with its error and a hint, and fails with exit 1 and the list in the error details", async () => {
    const deps = stubDeps({ engine: new StubEngine({ events: failingEvents, fail: new Error("code: 255\n stderr: error: update failed") }) });
    const out = io();
    const error = await up({ ...live, stack: "dev" }, out, deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.Failed);
    expect((error as CliError).message).toBe("up failed: 1 resource failed");
    expect(out.err()).toContain("failed: aws:autoscaling/group:Group web-asg (component web)");
    expect(out.err()).toContain("error: creating Auto Scaling Group (web-asg): AccessDenied");
    expect(out.err()).toMatch(/hint: {2}the deploying identity lacks a permission/);
    expect((error as CliError).details).toMatchObject({ failures: [{ name: "web-asg", component: "web", hint: expect.stringContaining("permission") as unknown }] });
  });

  it("a failure no resource explains shows the end of Pulumi's output", async () => {
    const deps = stubDeps({ engine: new StubEngine({ fail: new Error("code: 255\n stderr: error: could not find plugin aws v7.48.0\n") }) });
    const out = io();
    await expect(up({ ...live, stack: "dev" }, out, deps)).rejects.toThrow("up failed");
    expect(out.err()).toContain("error: could not find plugin aws v7.48.0");
  });
});

describe("shopctl preview (live)", () => {
  it("runs the same preflight, then Pulumi's preview with the planned operations per component", async () => {
    const deps = stubDeps({ engine: new StubEngine({ events: deployEvents, changes: { create: 2, same: 4 } }) });
    const out = io();
    expect(await previewLive({ json: false, offline: false, stack: "dev" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.offlineRuns).toEqual(["dev"]);
    expect(out.out()).toContain("Preview of dev: 2 to create, 4 unchanged\n  web: 2 to create");
  });
});

describe("shopctl destroy", () => {
  it("explains and stops (exit 3) while the config keeps deletion protection on", async () => {
    const deps = stubDeps();
    const error = await destroy({ ...live, yes: true, stack: "prod" }, io(), deps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toContain("deletion protection on (shop:database.deletionProtection: true, the prod tier default)");
    expect((error as Error).message).toContain("shopctl up --stack prod");
    expect(deps.enginesCreated()).toBe(0);
  });

  it("stops when resources in the state are still protected", async () => {
    const deps = stubDeps({ engine: new StubEngine({ resources: [{ urn: "urn:pulumi:dev::shop-platform::aws:rds/instance:Instance::catalog-db", type: "aws:rds/instance:Instance", protect: false, deletionProtection: true }] }) });
    await expect(destroy({ ...live, stack: "dev" }, io(), deps)).rejects.toThrow(/1 protected resource[\s\S]*aws:rds\/instance:Instance catalog-db: deletion protection is on/);
    expect(deps.engine.calls).toEqual(["resources"]);
  });

  it("refuses a stack that was never deployed", async () => {
    const deps = stubDeps({ engine: new StubEngine({ notDeployed: true }) });
    await expect(destroy({ ...live, stack: "dev" }, io(), deps)).rejects.toThrow(/has not been deployed .*nothing to destroy/);
  });

  it("needs the stack name typed (or --yes) outside dev", async () => {
    await expect(destroy({ ...live, stack: "sandbox" }, io(), stubDeps())).rejects.toThrow(UsageError);
    const deps = stubDeps({ engine: new StubEngine({ changes: { delete: 40 } }) });
    const out = io();
    expect(await destroy({ ...live, yes: true, stack: "sandbox" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.engine.calls).toEqual(["resources", "destroy"]);
    expect(out.out()).toContain("Destroyed sandbox in 0ms: 40 deleted");
  });

  it("--dry-run previews the destroy without asking", async () => {
    const deps = stubDeps({ engine: new StubEngine({ changes: { delete: 12 } }) });
    const out = io();
    expect(await destroy({ ...live, dryRun: true, stack: "dev" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.engine.calls).toEqual(["resources", "destroy-preview"]);
    expect(out.out()).toContain("Dry run of destroy for dev: 12 to delete; nothing was deleted");
  });
});

describe("shopctl outputs", () => {
  it("prints the outputs as key/value lines, and JSON with --json", async () => {
    const values = stackOutputs("prod");
    const deps = stubDeps({ engine: new StubEngine({ outputs: { values, secretKeys: [] } }) });
    const text = io();
    expect(await outputs({ json: false, stack: "prod" }, text, deps)).toBe(ExitCode.Ok);
    expect(text.out()).toMatch(/^siteUrl +https:\/\/shop\.example\.com$/m);
    expect(text.out()).toMatch(/^primary\.asgName +shop-prod-web$/m);
    expect(deps.checkInputs[0]?.only).toEqual(["node", "pulumi", "backend", "secrets"]);
    const json = io();
    await outputs({ json: true, stack: "prod" }, json, deps);
    expect(JSON.parse(json.out())).toEqual({ stack: "prod", outputs: values });
  });

  it("refuses a stack that was never deployed (exit 3) and fails outputs from another contract (exit 1)", async () => {
    await expect(outputs({ json: false, stack: "prod" }, io(), stubDeps({ engine: new StubEngine({ notDeployed: true }) }))).rejects.toThrow(RefusedError);
    const old = stubDeps({ engine: new StubEngine({ outputs: { values: { ...stackOutputs("prod"), contractVersion: 0 }, secretKeys: [] } }) });
    const error = await outputs({ json: false, stack: "prod" }, io(), old).catch((caught: unknown) => caught);
    expect((error as CliError).exitCode).toBe(ExitCode.Failed);
    expect((error as CliError).message).toContain("do not match shop-platform's outputs contract v1");
  });
});

describe("shopctl doctor", () => {
  it("exits 1 when a check fails and lists every check with its fix", async () => {
    const deps = stubDeps({ checks: [{ id: "node", name: "Node.js", status: "ok", detail: "v20" }, { id: "secrets", name: "secrets provider", status: "fail", detail: "no passphrase", fix: "export PULUMI_CONFIG_PASSPHRASE" }] });
    const out = io();
    expect(await doctor({ json: false }, out, deps)).toBe(ExitCode.Failed);
    expect(out.out()).toContain("FAIL  secrets provider  no passphrase\n");
    expect(out.out()).toContain("fix: export PULUMI_CONFIG_PASSPHRASE");
    expect(deps.checkInputs[0]?.regions).toBeUndefined();
  });

  it("checks the stack's regions with --stack and prints JSON", async () => {
    const deps = stubDeps();
    const out = io();
    expect(await doctor({ json: true, stack: "prod" }, out, deps)).toBe(ExitCode.Ok);
    expect(deps.checkInputs[0]?.regions).toEqual(["eu-west-1", "eu-central-1", "us-east-1"]);
    expect(JSON.parse(out.out())).toMatchObject({ stack: "prod", ok: true, checks: [{ id: "node" }, { id: "pulumi" }] });
  });
});
