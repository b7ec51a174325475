import type { StateFlags } from "../engine/settings.js";
import { RefusedError, UsageError } from "../exit-codes.js";
import type { GlobalOptions } from "../global-options.js";
import { canPrompt, type Io } from "../io.js";
import { defaultLiveDeps, type LiveDeps } from "../live/deps.js";
import { readOutputs } from "../live/outputs.js";
import { preflight, READ_CHECKS } from "../live/preflight.js";
import { resolveTarget } from "../live/target.js";
import { databaseTls, defaultStackAws, sourceFromStack, sourceFromUrl, targetFromStack, targetFromUrl, type SourceEndpoint, type StackAws, type TargetEndpoint } from "./endpoints.js";

/** Where the catalog and the cluster are: a deployed stack (these flags), or URLs. */
export interface ConnectionOptions extends GlobalOptions, StateFlags {
  region: "primary" | "dr";
  schema: string;
  dbCaFile?: string;
}

/** What resolving a connection needs from outside: the stack engine and the AWS calls. */
export interface ConnectionDeps {
  live: LiveDeps;
  stackAws(env: NodeJS.ProcessEnv): StackAws;
}

export const defaultConnectionDeps: ConnectionDeps = { live: defaultLiveDeps, stackAws: defaultStackAws };

export interface Connection {
  source?: SourceEndpoint;
  target?: TargetEndpoint;
  /** The alias the stack's app reads (stack mode). */
  alias?: string;
  stack?: { name: string; tier: string };
}

export interface ConnectionNeeds {
  source: "required" | "optional" | "none";
  target: "required" | "none";
  /** The URL flags' names, for messages. */
  sourceFlag: string;
  targetFlag?: string;
  /** Refuse before connecting when the stack's tier is one of these (seed on prod). */
  refuseTiers?: readonly string[];
  refusal?: string;
}

/**
 * Flags mode when a URL flag is given, else stack mode: the stack's outputs (after the read-only
 * preflight) lead to the database (runtime parameters, secret) and the domain (DescribeDomain).
 */
export async function resolveConnection(
  options: ConnectionOptions,
  urls: { source?: string | undefined; target?: string | undefined },
  needs: ConnectionNeeds,
  io: Io,
  deps: ConnectionDeps = defaultConnectionDeps,
): Promise<Connection> {
  const flagsMode = urls.source !== undefined || urls.target !== undefined;
  const urlFlags = needs.targetFlag === undefined ? needs.sourceFlag : `${needs.sourceFlag} and ${needs.targetFlag}`;
  if (flagsMode) {
    if (options.stack !== undefined && options.stack !== "") {
      throw new UsageError(`pass either --stack (or SHOPCTL_STACK) or ${urlFlags}, not both`);
    }
    if (needs.source === "required" && urls.source === undefined) throw new UsageError(`${needs.sourceFlag} is required with ${needs.targetFlag ?? "this command"}`);
    if (needs.target === "required" && urls.target === undefined) throw new UsageError(`${needs.targetFlag ?? "--target"} is required with ${needs.sourceFlag}`);
    return {
      ...(urls.source === undefined || needs.source === "none" ? {} : { source: sourceFromUrl(urls.source, needs.sourceFlag) }),
      ...(urls.target === undefined || needs.target === "none" ? {} : { target: targetFromUrl(urls.target, needs.targetFlag) }),
    };
  }
  if ((options.stack === undefined || options.stack === "") && !canPrompt(io)) {
    throw new UsageError(`pass --stack NAME, or ${urlFlags}; there is no terminal to ask on`);
  }
  const live = await resolveTarget(options, io);
  const tier = live.loaded.config.tier;
  if (needs.refuseTiers?.includes(tier) === true) {
    throw new RefusedError(needs.refusal ?? `refused on a ${tier} stack`);
  }
  await preflight(live, io, deps.live, { only: READ_CHECKS, policy: false, quiet: true });
  const engine = await deps.live.createEngine(live.settings);
  const { outputs } = await readOutputs(engine, live.stack);
  if (needs.refuseTiers?.includes(outputs.tier) === true) {
    throw new RefusedError(needs.refusal ?? `refused on a ${outputs.tier} stack`);
  }
  const aws = deps.stackAws(io.env);
  // An optional database (status) is skipped when no CA bundle can verify it, rather than refused.
  const wantsDatabase = needs.source === "required" || (needs.source === "optional" && (options.dbCaFile !== undefined || io.env.PGSSLROOTCERT !== undefined));
  const tls = wantsDatabase ? databaseTls(options.dbCaFile, io.env) : undefined;
  const [database, target] = await Promise.all([
    wantsDatabase ? sourceFromStack(outputs, options.region, aws, tls) : Promise.resolve(undefined),
    needs.target === "none" ? Promise.resolve(undefined) : targetFromStack(outputs, options.region, aws),
  ]);
  return {
    ...(database === undefined ? {} : { source: database.source, alias: database.alias }),
    ...(target === undefined ? {} : { target }),
    stack: { name: live.stack, tier },
  };
}
