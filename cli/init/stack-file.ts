import { Document } from "yaml";
import { ConfigError, resolveStackConfig, type StackConfig } from "../../stacks/config/index.js";
import { describeValue } from "../../stacks/config/errors.js";
import { UsageError } from "../exit-codes.js";

/** What `shopctl init` asks for; each has a flag (see cli/commands/core/init.ts). */
export interface InitAnswers {
  stack: string;
  tier: StackConfig["tier"];
  primaryRegion: string;
  drStrategy: StackConfig["drStrategy"];
  drRegion?: string | undefined;
  dataResidency?: string | undefined;
  domain?: string | undefined;
  hostedZoneId?: string | undefined;
  alarmEmails: string[];
  /** Who may assume the ops role besides (or instead of) the account's people with MFA. */
  opsPrincipals: string[];
  owner: string;
  costCenter: string;
}

/** Lower-case letters, digits and hyphens: stack names end up inside AWS resource names. */
export const STACK_NAME = /^[a-z0-9][a-z0-9-]{0,29}$/;

export function stackNameProblem(name: string): string | undefined {
  return STACK_NAME.test(name) ? undefined : `"${name}" is not a stack name: use 1 to 30 lower-case letters, digits and hyphens, starting with a letter or digit`;
}

/** The flag that sets each config path, so a bad answer points at what to pass. */
const FLAG_OF: readonly [RegExp, string][] = [
  [/^shop:tier$/, "--tier"],
  [/^shop:primaryRegion$/, "--primary-region"],
  [/^shop:drStrategy$/, "--dr-strategy"],
  [/^shop:drRegion$/, "--dr-region"],
  [/^shop:dataResidency$/, "--data-residency"],
  [/^shop:domain$/, "--domain"],
  [/^shop:hostedZoneId$/, "--hosted-zone-id"],
  [/^shop:alarms\.emails/, "--alarm-email"],
  [/^shop:opsRole\.trustedPrincipalArns/, "--ops-principal"],
  [/^shop:tags\.owner$/, "--owner"],
  [/^shop:tags\.costCenter$/, "--cost-center"],
  [/^shop:tags$/, "--owner and --cost-center"],
];

export function flagFor(path: string): string | undefined {
  return FLAG_OF.find(([pattern]) => pattern.test(path))?.[1];
}

/** The namespaced keys the stack file gets: only what was chosen; the tier fills the rest. */
export function stackValues(answers: InitAnswers): Record<string, unknown> {
  const values: Record<string, unknown> = {
    "shop:tier": answers.tier,
    "shop:primaryRegion": answers.primaryRegion,
    "shop:drStrategy": answers.drStrategy,
  };
  if (answers.drRegion !== undefined && answers.drRegion !== "") values["shop:drRegion"] = answers.drRegion;
  if (answers.dataResidency !== undefined && answers.dataResidency !== "") values["shop:dataResidency"] = answers.dataResidency;
  if (answers.domain !== undefined && answers.domain !== "") values["shop:domain"] = answers.domain;
  if (answers.hostedZoneId !== undefined && answers.hostedZoneId !== "") values["shop:hostedZoneId"] = answers.hostedZoneId;
  if (answers.alarmEmails.length > 0) values["shop:alarms"] = { emails: answers.alarmEmails };
  if (answers.opsPrincipals.length > 0) values["shop:opsRole"] = { trustedPrincipalArns: answers.opsPrincipals };
  values["shop:tags"] = { owner: answers.owner, costCenter: answers.costCenter };
  return values;
}

/**
 * Validate the answers exactly as the program will validate the file, and report each problem
 * against the flag that sets it. Throws UsageError (exit 2); nothing is written.
 */
export function validateAnswers(answers: InitAnswers, file: string): StackConfig {
  const nameProblem = stackNameProblem(answers.stack);
  if (nameProblem !== undefined) throw new UsageError(`--stack: ${nameProblem}`);
  try {
    return resolveStackConfig(stackValues(answers), file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.issues.map((issue) => {
      const flag = flagFor(issue.path);
      return `  - ${issue.path}${flag === undefined ? "" : ` (${flag})`}: found ${describeValue(issue.found)}; expected ${issue.expected}`;
    });
    throw new UsageError(`${file}: the answers make an invalid stack config; nothing was written.\n${lines.join("\n")}`, {
      issues: error.issues.map((issue) => ({ path: issue.path, flag: flagFor(issue.path) ?? null, found: issue.found === undefined || typeof issue.found === "symbol" ? null : issue.found, expected: issue.expected })),
    });
  }
}

/** The YAML of the new stack file, with a header saying where the rest of the config comes from. */
export function renderStackFile(answers: InitAnswers): string {
  const document = new Document({ config: stackValues(answers) });
  const dr = answers.drStrategy === "none" ? "no DR region" : `${answers.drStrategy} DR in ${answers.drRegion ?? "?"}`;
  document.commentBefore = [
    ` Stack ${answers.stack}: tier ${answers.tier} in ${answers.primaryRegion}, ${dr}. Written by \`shopctl init\`.`,
    ` Every key not set here comes from the ${answers.tier} tier defaults: \`shopctl config show --stack ${answers.stack}\` prints them all.`,
  ].join("\n");
  return document.toString({ lineWidth: 0 });
}
