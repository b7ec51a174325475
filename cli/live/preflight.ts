import { failing, formatChecks, type CheckId, type CheckResult } from "../doctor/checks.js";
import { RefusedError } from "../exit-codes.js";
import { log, type Io } from "../io.js";
import type { OfflineResult } from "../offline/run.js";
import type { LiveDeps } from "./deps.js";
import type { LiveTarget } from "./target.js";

/** Checks a command that only reads state needs: the CLI, the backend, the secrets. */
export const READ_CHECKS: readonly CheckId[] = ["node", "pulumi", "backend", "secrets"];

export interface PreflightResult {
  checks: CheckResult[];
  offline?: OfflineResult;
}

/**
 * Before anything touches a live stack: doctor's checks (all of them, or `only`), then, for
 * commands that deploy, the offline run of the program with the policy pack. Any failure
 * refuses the command (exit 3) with every problem and its fix; nothing has changed yet.
 */
export async function preflight(
  target: LiveTarget,
  io: Io,
  deps: LiveDeps,
  options: { only?: readonly CheckId[]; policy: boolean; quiet: boolean },
): Promise<PreflightResult> {
  const checks = await deps.runChecks({
    env: io.env,
    settings: target.settings,
    regions: target.regions,
    homeRegion: target.loaded.config.primaryRegion,
    ...(options.only === undefined ? {} : { only: options.only }),
  });
  const failed = failing(checks);
  if (failed.length > 0) {
    throw new RefusedError(
      `preflight refused stack ${target.stack}: ${failed.length} check${failed.length === 1 ? "" : "s"} failed; nothing was changed.\n${formatChecks(failed)}`,
      { checks },
    );
  }
  if (!options.policy) {
    if (!options.quiet) log(io, `preflight: ${checks.length} checks passed`);
    return { checks };
  }

  const offline = await deps.runOffline(target.loaded);
  const { policy } = offline;
  if (policy.status === "unavailable") {
    throw new RefusedError(`preflight refused stack ${target.stack}: the offline policy check could not run (${policy.reason}); nothing was changed.`, { checks, policy });
  }
  if (policy.status === "failed") {
    const lines = policy.violations
      .filter((violation) => violation.enforcement === "mandatory")
      .map((violation) => `  - ${violation.policy}: ${violation.message}${violation.urn === null ? "" : ` (${violation.urn})`}`);
    throw new RefusedError(
      `preflight refused stack ${target.stack}: ${policy.mandatory} mandatory policy violation${policy.mandatory === 1 ? "" : "s"} in the offline run; nothing was changed.\n${lines.join("\n")}\n(see \`shopctl preview --offline --stack ${target.stack}\`)`,
      { checks, policy },
    );
  }
  if (!options.quiet) {
    const resources = offline.plan.resources.filter((resource) => resource.custom).length;
    log(io, `preflight: ${checks.length} checks passed; offline policy check passed (${resources} resources, ${policy.advisory} advisory)`);
  }
  return { checks, offline };
}
