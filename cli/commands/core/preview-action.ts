import { listStacks, loadStack } from "../../../stacks/config/index.js";
import { compactProgress, ProgressReporter } from "../../engine/progress.js";
import { ExitCode } from "../../exit-codes.js";
import { log, printJson, printResult, stacksDirFrom, type Io } from "../../io.js";
import { defaultLiveDeps, type LiveDeps } from "../../live/deps.js";
import { componentSummary, describeChanges, runEngineOperation } from "../../live/operation.js";
import { preflight } from "../../live/preflight.js";
import { resolveTarget } from "../../live/target.js";
import { renderPlan, renderPolicy } from "../../offline/render.js";
import { runOffline } from "../../offline/run.js";
import { chooseStack } from "../../stack-choice.js";
import type { PreviewOptions } from "./options.js";

/** The whole plan with no AWS account: the program under the mock cloud, then the policy pack. */
export async function previewOffline(options: PreviewOptions, io: Io): Promise<ExitCode> {
  const dir = stacksDirFrom(io);
  const stack = await chooseStack(io, options.stack, await listStacks(dir));
  const loaded = await loadStack(stack, dir);
  if (!options.json) log(io, `running stack ${stack}'s program under the mock cloud (offline)...`);
  const { plan, policy, details } = await runOffline(loaded);
  if (options.json) {
    const detailed = new Map(options.inputs === true ? details?.resources.map((resource) => [resource.urn, resource]) : []);
    printJson(io, {
      stack,
      resources: plan.resources.map(({ type, name, urn, parent, region, component, custom }) => {
        const extra = detailed.get(urn);
        return { type, name, urn, parent, region, component, custom, ...(extra === undefined ? {} : { provider: extra.provider, inputs: extra.inputs, ignoreChanges: extra.ignoreChanges }) };
      }),
      ...(options.inputs === true ? { outputs: details?.outputs ?? {} } : {}),
      policy,
    });
  } else {
    printResult(io, `${renderPlan(plan)}\n\n${renderPolicy(policy)}`);
  }
  return policy.status === "failed" ? ExitCode.Failed : ExitCode.Ok;
}

/** `pulumi preview` against the real cloud, after the preflight, with the policy pack attached. */
export async function previewLive(options: PreviewOptions, io: Io, deps: LiveDeps = defaultLiveDeps): Promise<ExitCode> {
  const target = await resolveTarget(options, io);
  await preflight(target, io, deps, { policy: true, quiet: options.json });
  const engine = await deps.createEngine(target.settings);
  const reporter = new ProgressReporter(io, { compact: compactProgress(io), planning: true });
  const expectNoChanges = options.expectNoChanges === true;
  const changes = await runEngineOperation(io, reporter, expectNoChanges ? "preview (no changes expected)" : "preview", (handlers) => engine.preview({ ...handlers, expectNoChanges }));
  const { byComponent, policy } = reporter.result();
  if (options.json) {
    printJson(io, { stack: target.stack, changes, policy });
  } else {
    printResult(io, [`Preview of ${target.stack}: ${describeChanges(changes, true)}`, ...componentSummary(byComponent, true)].join("\n"));
  }
  return ExitCode.Ok;
}
