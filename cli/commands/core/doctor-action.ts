import { failing, formatChecks } from "../../doctor/checks.js";
import { localCloudSettings, resolveState } from "../../engine/settings.js";
import { ExitCode } from "../../exit-codes.js";
import { printJson, printResult, type Io } from "../../io.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { resolveTarget } from "../../live/target.js";
import type { DoctorOptions } from "./options.js";

export async function doctor(options: DoctorOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = options.stack === undefined ? undefined : await resolveTarget(options, io);
  const homeRegion = target?.loaded.config.primaryRegion ?? (io.env.AWS_REGION?.trim() || io.env.AWS_DEFAULT_REGION?.trim() || "us-east-1");
  const checks = await deps.runChecks({
    env: io.env,
    settings: target?.settings ?? { ...resolveState(options, io.env), ...(options.local === true ? { local: localCloudSettings(io.env) } : {}) },
    regions: target?.regions,
    homeRegion,
  });
  const failed = failing(checks);
  if (options.json) {
    printJson(io, { stack: target?.stack ?? null, ok: failed.length === 0, checks });
  } else {
    const verdict = failed.length === 0 ? "ready: every check passed" : `${failed.length} check${failed.length === 1 ? "" : "s"} failed: fix ${failed.length === 1 ? "it" : "them"} and run shopctl doctor again`;
    printResult(io, `${formatChecks(checks)}\n\n${verdict}`);
  }
  return failed.length === 0 ? ExitCode.Ok : ExitCode.Failed;
}
