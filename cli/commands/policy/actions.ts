import { writeFile } from "node:fs/promises";
import { loadPolicyEngine, packConfigFor, PolicyConfigError, type PackConfigLayer, type PolicyEngine } from "../../../policies/api.js";
import { listStacks, loadStack } from "../../../stacks/config/index.js";
import { ExitCode, UsageError } from "../../exit-codes.js";
import { log, printJson, printResult, stacksDirFrom, type Io } from "../../io.js";
import { chooseStack } from "../../stack-choice.js";
import type { PolicyCheckOptions, PolicyConfigOptions, ReportFormat } from "./options.js";
import { formatJunit } from "./format-junit.js";
import { formatSarif } from "./format-sarif.js";
import { formatText } from "./format-text.js";
import { failed, jsonDocument, stackOf, summaryOf, type CheckedTarget, type PolicyReport } from "./report.js";
import { profileOf } from "../../policy-profile.js";
import { chooseSource, configFileLayer, fileTarget, stackTarget, type Target } from "./targets.js";

function formatOf(options: PolicyCheckOptions): ReportFormat {
  if (options.json && options.format !== undefined && options.format !== "json") {
    throw new UsageError(`--json asks for --format json, but --format ${options.format} was given: pass one of them`);
  }
  return options.format ?? (options.json ? "json" : "text");
}

function render(report: PolicyReport, format: ReportFormat): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(jsonDocument(report), null, 2)}\n`;
    case "sarif":
      return formatSarif(report);
    case "junit":
      return formatJunit(report);
    case "text":
      return formatText(report);
  }
}

async function writeReport(io: Io, text: string, output: string | undefined): Promise<void> {
  if (output === undefined) {
    printResult(io, text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    throw new UsageError(`cannot write the report to ${output}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

async function checkTarget(engine: PolicyEngine, target: Target, extraLayers: readonly PackConfigLayer[]): Promise<CheckedTarget> {
  try {
    const evaluation = await engine.evaluate(target.resources, {
      pack: engine.pack,
      policies: engine.policies,
      initialConfig: engine.initialConfig,
      configLayers: [...target.layers, ...extraLayers],
    });
    return { target: { name: target.name, kind: target.kind, location: target.location }, evaluation };
  } catch (error) {
    if (error instanceof PolicyConfigError) throw new UsageError(error.message, { problems: error.problems });
    throw error;
  }
}

/** For the one-line summary: how many checks a preview left open and, for mandatory ones, what to run. */
function notEvaluatedNote(checked: readonly CheckedTarget[]): string {
  const { notEvaluated, notEvaluatedMandatory } = summaryOf(checked.map(({ evaluation }) => evaluation));
  if (notEvaluated === 0) return "";
  const stacks = [...new Set(checked.filter(({ evaluation }) => evaluation.notEvaluated.some((entry) => entry.enforcementLevel === "mandatory")).map(stackOf))];
  const advice = notEvaluatedMandatory === 0 ? "" : ` (${notEvaluatedMandatory} of a mandatory policy: run ${stacks.map((stack) => `shopctl policy check --stack ${stack}`).join(", ")}, or --from-export after the deployment)`;
  return `; ${notEvaluated} check(s) not evaluated${advice}`;
}

/**
 * `shopctl policy check`: exit 1 when a mandatory policy is violated, 0 otherwise (checks a
 * preview could not evaluate included), 2 for bad usage.
 */
export async function check(options: PolicyCheckOptions, io: Io): Promise<ExitCode> {
  const format = formatOf(options);
  // The pack and the evaluator are heavy (Pulumi, the AWS provider): loaded once, before any target.
  const engine = await loadPolicyEngine();
  try {
    const source = await chooseSource(options, io);
    const extra = options.config === undefined ? [] : [await configFileLayer(options.config)];
    const checked: CheckedTarget[] = [];
    if (source.kind === "stacks") {
      // One at a time: runs under the mock cloud share the Pulumi SDK's global state.
      for (const stack of source.stacks) checked.push(await checkTarget(engine, await stackTarget(engine, stack, io), extra));
    } else {
      checked.push(await checkTarget(engine, await fileTarget(engine, source.kind, source.file), extra));
    }
    const report: PolicyReport = { pack: engine.pack, policies: engine.policies, checked };
    await writeReport(io, render(report, format), options.output);
    if (options.output !== undefined || format !== "text") {
      const summary = summaryOf(checked.map(({ evaluation }) => evaluation));
      log(io, `policy check: ${summary.mandatory} mandatory and ${summary.advisory} advisory violation(s) in ${summary.resources} resources${notEvaluatedNote(checked)}${options.output === undefined ? "" : `; ${format} report written to ${options.output}`}`);
    }
    return failed(report) ? ExitCode.Failed : ExitCode.Ok;
  } catch (error) {
    // --format json promises one JSON document on stdout, errors included (main does this for --json).
    if (format === "json" && !options.json && options.output === undefined) {
      printJson(io, { error: { message: error instanceof Error ? error.message : String(error), exitCode: error instanceof UsageError ? ExitCode.Usage : ExitCode.Failed } });
    }
    throw error;
  }
}

/** `shopctl policy config`: the policy config a stack's config implies, for the real Pulumi CLI. */
export async function config(options: PolicyConfigOptions, io: Io): Promise<ExitCode> {
  const dir = stacksDirFrom(io);
  const stack = await chooseStack(io, options.stack, await listStacks(dir));
  const { config: stackConfig } = await loadStack(stack, dir);
  await writeReport(io, `${JSON.stringify(packConfigFor(profileOf(stackConfig)), null, 2)}\n`, options.output);
  if (options.output !== undefined) log(io, `policy config: wrote ${stack}'s policy pack config to ${options.output}`);
  return ExitCode.Ok;
}
