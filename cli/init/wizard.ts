import { z } from "zod";
import { AWS_REGIONS, DR_STRATEGIES, partitionOf, stackConfigSchema, TIER_DEFAULTS, TIERS, type Tier } from "../../stacks/config/index.js";
import { UsageError } from "../exit-codes.js";
import { canPrompt, type Io } from "../io.js";
import { stackNameProblem, type InitAnswers } from "./stack-file.js";

/** Every prompt of the wizard has a flag; with all the required ones given, no terminal is needed. */
export interface InitFlags {
  stack?: string;
  tier?: string;
  primaryRegion?: string;
  drStrategy?: string;
  drRegion?: string;
  dataResidency?: string;
  domain?: string;
  hostedZoneId?: string;
  alarmEmail?: string[];
  opsPrincipal?: string[];
  owner?: string;
  costCenter?: string;
}

const REQUIRED_WITHOUT_TERMINAL: readonly [keyof InitFlags, string][] = [
  ["stack", "--stack"],
  ["tier", "--tier"],
  ["primaryRegion", "--primary-region"],
  ["owner", "--owner"],
  ["costCenter", "--cost-center"],
];

const TIER_HELP: Record<Tier, string> = {
  dev: "one region, small and cheap, no domain needed",
  staging: "pre-production: two AZs, pilot-light DR, a domain",
  prod: "three AZs, Multi-AZ database, warm-standby DR, deletion protection, paging alarms",
};

const STRATEGY_HELP: Record<string, string> = {
  none: "no DR region",
  "pilot-light": "a database replica and backup copies in the DR region, no running fleet",
  "warm-standby": "the replica and backups plus a small running fleet in the DR region",
};

function schemaProblem(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : `expected ${result.error.issues[0]?.message ?? "a valid value"}`;
}

const emailSchema = z.email({ error: "an email address" });

export function splitEmails(text: string): string[] {
  return splitList(text);
}

function splitList(text: string): string[] {
  return text.split(/[\s,;]+/).map((item) => item.trim()).filter((item) => item !== "");
}

/** Whether the tier's ops role trusts nobody by default, so the wizard must name a principal. */
function needsOpsPrincipal(tier: string): boolean {
  if (!(TIERS as readonly string[]).includes(tier)) return false;
  const opsRole = TIER_DEFAULTS[tier as Tier].opsRole as { allowAccountWithMfa?: unknown } | undefined;
  return opsRole?.allowAccountWithMfa === false;
}

function defaultStrategy(tier: string): string {
  return (TIERS as readonly string[]).includes(tier) ? String(TIER_DEFAULTS[tier as Tier].drStrategy) : "none";
}

function flagsToAnswers(flags: InitFlags): InitAnswers {
  const tier = flags.tier ?? "";
  return {
    stack: flags.stack ?? "",
    tier: tier as InitAnswers["tier"],
    primaryRegion: flags.primaryRegion ?? "",
    drStrategy: (flags.drStrategy ?? defaultStrategy(tier)) as InitAnswers["drStrategy"],
    drRegion: flags.drRegion,
    dataResidency: flags.dataResidency,
    domain: flags.domain,
    hostedZoneId: flags.hostedZoneId,
    alarmEmails: (flags.alarmEmail ?? []).flatMap(splitEmails),
    opsPrincipals: (flags.opsPrincipal ?? []).flatMap(splitList),
    owner: flags.owner ?? "",
    costCenter: flags.costCenter ?? "",
  };
}

/**
 * The answers: from the flags, asking on a terminal for whatever they leave out. Without a
 * terminal (or in CI) a missing required flag is a usage error naming every missing flag.
 */
export async function collectAnswers(flags: InitFlags, io: Io, stackExists: (stack: string) => boolean, force: boolean): Promise<InitAnswers> {
  if (!canPrompt(io)) {
    const missing = REQUIRED_WITHOUT_TERMINAL.filter(([key]) => flags[key] === undefined || flags[key] === "").map(([, flag]) => flag);
    if (missing.length > 0) throw new UsageError(`shopctl init needs ${missing.join(", ")} when there is no terminal to ask on (CI or piped stdin)`);
    return flagsToAnswers(flags);
  }
  return ask(flags, io, stackExists, force);
}

async function ask(flags: InitFlags, io: Io, stackExists: (stack: string) => boolean, force: boolean): Promise<InitAnswers> {
  const { input, search, select } = await import("@inquirer/prompts");
  const context = { output: io.stderr };
  const regionSource = (exclude: (region: string) => boolean) => (term: string | undefined) =>
    AWS_REGIONS.filter((region) => !exclude(region) && (term === undefined || region.includes(term.trim().toLowerCase())));

  const stack = flags.stack ?? await input({
    message: "Stack name",
    validate: (value) => stackNameProblem(value.trim()) ?? (stackExists(value.trim()) && !force ? `stack ${value.trim()} exists already: choose another name, or run again with --force to overwrite it` : true),
  }, context);
  const tier = flags.tier ?? await select<string>({
    message: "Tier",
    choices: TIERS.map((value) => ({ value, name: value, description: TIER_HELP[value] })),
  }, context);
  const primaryRegion = flags.primaryRegion ?? await search<string>({
    message: "Primary region (type to filter)",
    source: regionSource(() => false),
  }, context);
  const drStrategy = flags.drStrategy ?? await select<string>({
    message: "DR strategy",
    choices: DR_STRATEGIES.map((value) => ({ value, name: value, description: STRATEGY_HELP[value] ?? "" })),
    default: defaultStrategy(tier),
  }, context);
  const drRegion = flags.drRegion ?? (drStrategy === "none" ? undefined : await search<string>({
    message: "DR region (type to filter)",
    source: regionSource((region) => region === primaryRegion || partitionOf(region) !== partitionOf(primaryRegion)),
  }, context));
  const domain = flags.domain ?? ((await input({
    message: tier === "dev" ? "Domain (optional in dev; Enter to skip)" : "Domain (e.g. shop.example.com)",
    validate: (value) => (value.trim() === "" && tier === "dev") || (schemaProblem(stackConfigSchema.shape.domain, value.trim()) ?? true),
  }, context)).trim() || undefined);
  const hostedZoneId = flags.hostedZoneId ?? (domain === undefined ? undefined : (await input({
    message: `Route 53 hosted zone id of ${domain}`,
    validate: (value) => schemaProblem(stackConfigSchema.shape.hostedZoneId, value.trim()) ?? true,
  }, context)).trim());
  const alarmEmail = flags.alarmEmail ?? splitEmails(await input({
    message: tier === "prod" ? "Alarm emails (comma-separated; at least one in prod)" : "Alarm emails (comma-separated; Enter for none)",
    validate: (value) => {
      const emails = splitEmails(value);
      if (tier === "prod" && emails.length === 0) return "a prod stack must page somebody: give at least one address";
      const bad = emails.find((email) => !emailSchema.safeParse(email).success);
      return bad === undefined ? true : `${bad} is not an email address`;
    },
  }, context));
  const opsPrincipal = flags.opsPrincipal ?? (needsOpsPrincipal(tier) ? splitList(await input({
    message: "Role or user ARNs that may assume the ops role (comma-separated; e.g. the CI role)",
    validate: (value) => {
      const arns = splitList(value);
      if (arns.length === 0) return `a ${tier} stack's ops role trusts only named principals: give at least one ARN`;
      return schemaProblem(stackConfigSchema.shape.opsRole.shape.trustedPrincipalArns, arns) ?? true;
    },
  }, context)) : undefined);
  const nonEmpty = (what: string) => (value: string) => value.trim() !== "" || `${what} is required: it becomes a tag on every resource`;
  const owner = flags.owner ?? (await input({ message: "Owner (team or person)", validate: nonEmpty("an owner") }, context)).trim();
  const costCenter = flags.costCenter ?? (await input({ message: "Cost center", validate: nonEmpty("a cost center") }, context)).trim();

  return flagsToAnswers({ ...flags, stack: stack.trim(), tier, primaryRegion, drStrategy, drRegion, domain, hostedZoneId, alarmEmail, opsPrincipal, owner, costCenter });
}
