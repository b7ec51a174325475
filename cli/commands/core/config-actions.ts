import { stringify } from "yaml";
import { ConfigError, listStacks, loadStack, type StackConfig } from "../../../stacks/config/index.js";
import { ExitCode, UsageError } from "../../exit-codes.js";
import type { GlobalOptions } from "../../global-options.js";
import { log, printJson, printResult, stacksDirFrom, type Io } from "../../io.js";
import { chooseStack } from "../../stack-choice.js";
import type { ConfigValidateOptions } from "./options.js";

interface StackVerdict {
  stack: string;
  valid: boolean;
  issues: ConfigError["issues"];
  summary?: string;
}

export async function validate(options: ConfigValidateOptions, io: Io): Promise<ExitCode> {
  const dir = stacksDirFrom(io);
  const available = await listStacks(dir);
  if (options.allStacks && options.stack !== undefined) throw new UsageError("pass either --stack or --all-stacks, not both");
  const stacks = options.allStacks ? available : [await chooseStack(io, options.stack, available)];
  const verdicts: StackVerdict[] = [];
  for (const stack of stacks) {
    try {
      const { config } = await loadStack(stack, dir);
      verdicts.push({ stack, valid: true, issues: [], summary: summarize(config) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      verdicts.push({ stack, valid: false, issues: error.issues });
      if (!options.json) log(io, error.message);
    }
  }
  if (options.json) {
    printJson(io, { stacks: verdicts.map(({ stack, valid, issues }) => ({ stack, valid, issues: issues.map(jsonIssue) })) });
  } else {
    for (const verdict of verdicts) {
      printResult(io, verdict.valid ? `ok    ${verdict.stack}: ${verdict.summary ?? ""}` : `FAIL  ${verdict.stack}: ${verdict.issues.length} problem(s), listed above`);
    }
  }
  return verdicts.every((verdict) => verdict.valid) ? ExitCode.Ok : ExitCode.Usage;
}

export async function show(options: GlobalOptions, io: Io): Promise<ExitCode> {
  const dir = stacksDirFrom(io);
  const stack = await chooseStack(io, options.stack, await listStacks(dir));
  const { config } = await loadStack(stack, dir);
  if (options.json) printJson(io, { stack, config });
  else printResult(io, stringify({ stack, config }));
  return ExitCode.Ok;
}

function summarize(config: StackConfig): string {
  const dr = config.drStrategy === "none" ? "no DR" : `DR ${config.drStrategy} in ${config.drRegion ?? "?"}`;
  return `tier ${config.tier}, ${config.primaryRegion}, ${dr}, ${config.network.azCount} AZs, ${config.domain ?? "no domain"}`;
}

function jsonIssue(issue: ConfigError["issues"][number]) {
  return { path: issue.path, found: typeof issue.found === "symbol" ? null : issue.found, expected: issue.expected };
}
