import type { StackConfig } from "../../stacks/config/index.js";
import type { StackOutputs } from "../../stacks/outputs.js";
import { describeAsg } from "../aws/autoscaling.js";
import { awsErrorMessage } from "../aws/client-config.js";
import { parseSecretArn } from "../aws/secrets-manager.js";
import { callerIdentity } from "../aws/sts.js";
import { RefusedError, UsageError } from "../exit-codes.js";
import { parseDuration } from "./duration.js";
import type { Journal } from "./journal.js";
import type { Refusal } from "./operation.js";
import type { HttpProbe } from "./probe.js";
import { assessReadiness, blocksReadiness, type Caller, type Readiness } from "./readiness.js";
import { buildReport, reportStep, type DrReport, type ReportFiles } from "./report.js";
import type { Step } from "./steps.js";
import { DEFAULT_TIMEOUTS, switchFigures, switchSteps, type Side, type SwitchSpec, type SwitchTimeouts } from "./switch.js";

export type FailoverMode = "graceful" | "ungraceful";

/** The choices a failover run is made with; recorded in its journal so `--resume` keeps them. */
export interface FailoverSettings {
  mode: FailoverMode;
  maxDataLossSeconds: number;
  databaseSecretArn: string | undefined;
  searchPath: string;
  /** Caps every wait of the run (default: per step, see DEFAULT_TIMEOUTS). */
  stepTimeoutMs: number | undefined;
}

export interface FailoverFlags {
  mode?: string;
  maxDataLoss?: string;
  databaseSecretArn?: string;
  searchPath?: string;
  stepTimeout?: string;
}

/** The product search the verification runs through the site; any 2xx answer passes. */
export const DEFAULT_SEARCH_PATH = "/search?q=test";

export function failoverSettings(flags: FailoverFlags, outputs: StackOutputs): FailoverSettings {
  const mode = flags.mode ?? "graceful";
  if (mode !== "graceful" && mode !== "ungraceful") throw new UsageError(`--mode ${mode}: expected graceful (the primary region answers: zero data loss) or ungraceful (it does not)`);
  const secret = flags.databaseSecretArn?.trim();
  if (secret !== undefined && parseSecretArn(secret) === undefined) {
    throw new UsageError(`--database-secret-arn ${secret}: expected a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)`);
  }
  const searchPath = flags.searchPath ?? DEFAULT_SEARCH_PATH;
  if (!searchPath.startsWith("/")) throw new UsageError(`--search-path ${searchPath}: expected a path starting with / such as ${DEFAULT_SEARCH_PATH}`);
  return {
    mode,
    maxDataLossSeconds: flags.maxDataLoss === undefined ? outputs.rpoSeconds : parseDuration(flags.maxDataLoss, "--max-data-loss") / 1_000,
    databaseSecretArn: secret === "" ? undefined : secret,
    searchPath,
    stepTimeoutMs: flags.stepTimeout === undefined ? undefined : parseDuration(flags.stepTimeout, "--step-timeout"),
  };
}

/** Settings of an interrupted run, as its journal recorded them. */
export function settingsFromJournal(journal: Journal): FailoverSettings {
  const options = journal.start.options;
  return {
    mode: options.mode === "ungraceful" ? "ungraceful" : "graceful",
    maxDataLossSeconds: typeof options.maxDataLossSeconds === "number" ? options.maxDataLossSeconds : 0,
    databaseSecretArn: typeof options.databaseSecretArn === "string" ? options.databaseSecretArn : undefined,
    searchPath: typeof options.searchPath === "string" ? options.searchPath : DEFAULT_SEARCH_PATH,
    stepTimeoutMs: typeof options.stepTimeoutMs === "number" ? options.stepTimeoutMs : undefined,
  };
}

export function cappedTimeouts(cap: number | undefined): SwitchTimeouts {
  if (cap === undefined) return DEFAULT_TIMEOUTS;
  const capped = (value: number) => Math.min(value, cap);
  const t = DEFAULT_TIMEOUTS;
  return { fenceMs: capped(t.fenceMs), lagMs: capped(t.lagMs), promoteMs: capped(t.promoteMs), multiAzMs: capped(t.multiAzMs), fleetMs: capped(t.fleetMs), trafficMs: capped(t.trafficMs), siteMs: capped(t.siteMs) };
}

export function side(role: Side["role"], region: StackOutputs["primary"]): Side {
  return {
    role,
    region: region.region,
    asgName: region.asgName,
    targetGroupArn: region.targetGroupArn,
    albDnsName: region.albDnsName,
    databaseId: region.databaseInstanceId,
    runtimeParameters: region.runtimeParameters,
    platformAlarmName: region.platformAlarmName,
  };
}

/** What the stack must have for a failover at all; missing parts refuse (exit 3) before any AWS call. */
export function failoverTopology(outputs: StackOutputs): { dr: NonNullable<StackOutputs["dr"]>; dns: NonNullable<StackOutputs["dns"]>; healthCheckId: string } {
  const { dr, dns } = outputs;
  if (dr === undefined) throw new RefusedError(`stack ${outputs.stack} has no DR region (drStrategy ${outputs.drStrategy}): there is nothing to fail over to`);
  if (dns?.primaryHealthCheckId === undefined || dns.secondaryRecordSetId === undefined) {
    throw new RefusedError(`stack ${outputs.stack} has no Route 53 failover pair with a health check (no domain?): traffic cannot be switched`);
  }
  return { dr, dns, healthCheckId: dns.primaryHealthCheckId };
}

export function failoverSpec(outputs: StackOutputs, config: StackConfig, settings: FailoverSettings, probe: HttpProbe): SwitchSpec {
  const { dr, dns, healthCheckId } = failoverTopology(outputs);
  const target = outputs.drTargetCapacity ?? config.web.desiredCapacity;
  return {
    operation: "failover",
    mode: settings.mode,
    project: outputs.project,
    stack: outputs.stack,
    from: side("primary", outputs.primary),
    to: side("dr", dr),
    zoneId: dns.zoneId,
    recordName: dns.originRecordName,
    healthCheckId,
    invertHealthCheck: true,
    targetCapacity: { min: target, max: Math.max(config.web.maxSize, target), desired: target },
    backupRetentionDays: config.database.backupRetentionDays,
    multiAz: config.database.multiAz,
    databaseSecretArn: settings.databaseSecretArn,
    siteUrl: outputs.siteUrl,
    searchPath: settings.searchPath,
    probe,
    timeouts: cappedTimeouts(settings.stepTimeoutMs),
  };
}

export interface PreflightResult {
  refusals: Refusal[];
  warnings: string[];
  readiness: Readiness;
  identity: string | undefined;
}

/**
 * Failover's preflight, reads only: credentials, the replica (available and still a replica),
 * its lag against --max-data-loss, DR readiness, and in graceful mode a primary that answers.
 */
export async function failoverPreflight(outputs: StackOutputs, settings: FailoverSettings, options: { env: NodeJS.ProcessEnv; call: Caller; now: Date }): Promise<PreflightResult> {
  const { dr } = failoverTopology(outputs);
  const refusals: Refusal[] = [];
  const warnings: string[] = [];
  const [identity, readiness, primaryFleet] = await Promise.all([
    options.call("check the AWS credentials", () => callerIdentity(dr.region, options.env)).then((who) => who.arn, (error: unknown) => {
      refusals.push({ code: "credentials", message: `no working AWS credentials in ${dr.region}: ${awsErrorMessage(error)}`, overridable: false });
      return undefined;
    }),
    assessReadiness(outputs, { env: options.env, call: options.call, now: options.now, maxLagSeconds: settings.maxDataLossSeconds, readPrimary: settings.mode === "graceful" }),
    settings.mode === "graceful"
      ? options.call("describe the primary fleet", () => describeAsg(outputs.primary.region, outputs.primary.asgName, options.env)).then(() => undefined, (error: unknown) => awsErrorMessage(error))
      : Promise.resolve(undefined),
  ]);
  if (primaryFleet !== undefined) {
    refusals.push({ code: "primary-unreachable", message: `graceful failover needs the primary region, and ${outputs.primary.region} does not answer (${primaryFleet}); in a regional outage use --mode ungraceful`, overridable: false });
  }
  const notReady: string[] = [];
  for (const check of readiness.checks) {
    if (check.status === "ok") continue;
    switch (check.id) {
      case "replica":
        refusals.push({ code: "replica-not-available", message: `the replica is not available for promotion: ${check.summary}`, overridable: false });
        break;
      case "replica-lag":
        refusals.push({
          code: "replica-lag",
          message: check.status === "fail" ? `replica lag exceeds --max-data-loss: ${check.summary}` : `replica lag unknown: ${check.summary}`,
          overridable: true,
        });
        break;
      case "dns":
        if (check.status !== "warn") refusals.push({ code: "dns", message: `Route 53 cannot switch traffic: ${check.summary}`, overridable: false });
        break;
      case "health-check":
        warnings.push(check.summary);
        break;
      default:
        if (blocksReadiness(check)) notReady.push(`${check.id}: ${check.summary}`);
        else warnings.push(`DR region degraded: ${check.id}: ${check.summary}`);
    }
  }
  if (notReady.length > 0) refusals.push({ code: "dr-not-ready", message: `the DR region is NOT READY: ${notReady.join("; ")}`, overridable: true });
  return { refusals, warnings, readiness, identity };
}

export function failoverSteps(input: {
  spec: SwitchSpec;
  outputs: StackOutputs;
  config: StackConfig;
  reportDir: string;
  warnings: string[];
  onReport: (report: DrReport, files: ReportFiles) => void;
}): Step[] {
  const { spec, outputs, config } = input;
  const steps = switchSteps(spec, (line) => input.warnings.push(line));
  const build = (journal: Journal) => buildReport({
    journal,
    steps,
    operation: spec.operation,
    stack: spec.stack,
    mode: spec.mode,
    fromRegion: spec.from.region,
    toRegion: spec.to.region,
    endStep: "verify-site",
    ...switchFigures({ fence: journal.verifiedFacts("fence"), promote: journal.firstObservation("promote"), mode: spec.mode }),
    budgets: { rtoSeconds: config.recovery.rtoMinutes * 60, rpoSeconds: outputs.rpoSeconds },
    warnings: input.warnings,
  });
  return [...steps, reportStep({
    dependsOn: ["verify-site"],
    dir: input.reportDir,
    region: spec.to.region,
    build,
    metrics: (report) => [
      ...(report.rtoSeconds === null ? [] : [{ name: "RecoveryTimeSeconds", value: report.rtoSeconds, unit: "Seconds" as const, dimensions: { Stack: spec.stack, Operation: spec.operation } }]),
      ...(report.rpoSeconds === null ? [] : [{ name: "RecoveryPointSeconds", value: report.rpoSeconds, unit: "Seconds" as const, dimensions: { Stack: spec.stack, Operation: spec.operation } }]),
    ],
    onReport: input.onReport,
  })];
}
