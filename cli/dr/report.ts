import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { putMetrics, type MetricValue } from "../aws/cloudwatch.js";
import { formatSeconds } from "../common/durations.js";
import type { Facts, Journal } from "./journal.js";
import type { Step } from "./steps.js";

/** The CloudWatch namespace of shopctl's DR figures; the ops role may write only here (components/ops-role.ts). */
export const DR_METRIC_NAMESPACE = "ShopPlatform/DR";

export interface StepTiming {
  id: string;
  title: string;
  status: string;
  startedAt: string | null;
  verifiedAt: string | null;
  seconds: number | null;
  actions: string[];
}

export interface DrReport {
  operation: string;
  stack: string;
  runId: string;
  mode: string | null;
  fromRegion: string;
  toRegion: string;
  startedAt: string;
  /** When the last verification passed: the end of the RTO. */
  verifiedAt: string | null;
  rtoSeconds: number | null;
  rpoSeconds: number | null;
  rpoBasis: string;
  budgets: { rtoSeconds: number; rpoSeconds: number };
  withinBudget: { rto: boolean | null; rpo: boolean | null };
  steps: StepTiming[];
  /** Operation-specific figures (a drill's restore time, ...). */
  figures: Facts;
  warnings: string[];
}

export function stepTimings(journal: Journal, steps: readonly Step[]): StepTiming[] {
  return steps.map((step) => {
    const { startedAt, verifiedAt } = journal.timing(step.id);
    return {
      id: step.id,
      title: step.title,
      status: journal.stepState(step.id),
      startedAt: startedAt === undefined ? null : new Date(startedAt).toISOString(),
      verifiedAt: verifiedAt === undefined ? null : new Date(verifiedAt).toISOString(),
      seconds: startedAt === undefined || verifiedAt === undefined ? null : Math.round((verifiedAt - startedAt) / 1_000),
      actions: journal.actions(step.id).map((action) => `${action.action}${action.confirmed ? "" : " (unconfirmed)"}`),
    };
  });
}

export function buildReport(input: {
  journal: Journal;
  steps: readonly Step[];
  operation: string;
  stack: string;
  mode: string | null;
  fromRegion: string;
  toRegion: string;
  /** The step whose verification ends the recovery. */
  endStep: string;
  rpoSeconds: number | null;
  rpoBasis: string;
  budgets: { rtoSeconds: number; rpoSeconds: number };
  figures?: Facts;
  warnings: readonly string[];
}): DrReport {
  const end = input.journal.timing(input.endStep).verifiedAt;
  const rto = end === undefined ? null : Math.round((end - input.journal.startedAt) / 1_000);
  return {
    operation: input.operation,
    stack: input.stack,
    runId: input.journal.runId,
    mode: input.mode,
    fromRegion: input.fromRegion,
    toRegion: input.toRegion,
    startedAt: input.journal.start.at,
    verifiedAt: end === undefined ? null : new Date(end).toISOString(),
    rtoSeconds: rto,
    rpoSeconds: input.rpoSeconds,
    rpoBasis: input.rpoBasis,
    budgets: input.budgets,
    withinBudget: { rto: rto === null ? null : rto <= input.budgets.rtoSeconds, rpo: input.rpoSeconds === null ? null : input.rpoSeconds <= input.budgets.rpoSeconds },
    steps: stepTimings(input.journal, input.steps),
    figures: input.figures ?? {},
    warnings: [...new Set(input.warnings)],
  };
}

function figure(seconds: number | null, budget: number): string {
  if (seconds === null) return "unknown";
  return `${formatSeconds(seconds)} (budget ${formatSeconds(budget)}: ${seconds <= budget ? "within" : "OVER"})`;
}

export function renderMarkdown(report: DrReport): string {
  const lines = [
    `# ${report.operation} of ${report.stack}: ${report.fromRegion} → ${report.toRegion}`,
    "",
    `- run: \`${report.runId}\`${report.mode === null ? "" : `, mode ${report.mode}`}`,
    `- started: ${report.startedAt}; verified: ${report.verifiedAt ?? "not yet"}`,
    `- **RTO**: ${figure(report.rtoSeconds, report.budgets.rtoSeconds)}`,
    `- **RPO**: ${figure(report.rpoSeconds, report.budgets.rpoSeconds)}; ${report.rpoBasis}`,
    ...Object.entries(report.figures).map(([key, value]) => `- ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`),
    "",
    "| # | step | status | started | verified | took | actions |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.steps.map((step, index) => `| ${index + 1} | ${step.title} | ${step.status} | ${step.startedAt ?? ""} | ${step.verifiedAt ?? ""} | ${step.seconds === null ? "" : formatSeconds(step.seconds)} | ${step.actions.join(", ")} |`),
  ];
  if (report.warnings.length > 0) lines.push("", "## Warnings", "", ...report.warnings.map((warning) => `- ${warning}`));
  return `${lines.join("\n")}\n`;
}

export interface ReportFiles {
  json: string;
  markdown: string;
}

export function reportFiles(dir: string, report: Pick<DrReport, "operation" | "runId">): ReportFiles {
  const base = path.join(dir, `${report.operation}-${report.runId}`);
  return { json: `${base}.json`, markdown: `${base}.md` };
}

/**
 * The last step of every DR run: write the report (JSON and Markdown) and publish its figures as
 * CloudWatch metrics in the region that now serves. Both are safe to repeat after an interruption.
 */
export function reportStep(input: {
  dependsOn: readonly string[];
  dir: string;
  region: string;
  build: (journal: Journal) => DrReport;
  metrics: (report: DrReport) => Omit<MetricValue, "at">[];
  onReport: (report: DrReport, files: ReportFiles) => void;
}): Step {
  return {
    id: "report",
    title: "report RTO, RPO and step timings",
    dependsOn: input.dependsOn,
    plan: [`write the report as JSON and Markdown under ${input.dir}`, `put the figures as CloudWatch metrics in ${DR_METRIC_NAMESPACE} (${input.region})`],
    observe: () => Promise.resolve({}),
    actions(_observation, ctx) {
      const report = input.build(ctx.journal);
      const files = reportFiles(input.dir, report);
      return [
        {
          id: "write-report",
          description: `writing ${files.markdown} and ${path.basename(files.json)}`,
          run: () => {
            mkdirSync(input.dir, { recursive: true, mode: 0o700 });
            writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600 });
            writeFileSync(files.markdown, renderMarkdown(report), { mode: 0o600 });
            input.onReport(report, files);
            return Promise.resolve({ ...files });
          },
        },
        {
          id: "put-metrics",
          description: `putting the figures as metrics in ${DR_METRIC_NAMESPACE} (${input.region})`,
          run: async () => {
            const at = new Date(ctx.clock.now());
            const metrics = input.metrics(report).map((metric) => ({ ...metric, at }));
            if (metrics.length > 0) await ctx.call("put DR metrics", () => putMetrics(input.region, DR_METRIC_NAMESPACE, metrics, ctx.env));
            return { metrics: metrics.map((metric) => `${metric.name}=${metric.value}`) };
          },
        },
      ];
    },
    verify(ctx) {
      const report = input.build(ctx.journal);
      const files = reportFiles(input.dir, report);
      if (!existsSync(files.json) || !existsSync(files.markdown)) return Promise.reject(new Error(`the report files ${files.json} are missing`));
      if (!ctx.journal.actions("report").some((action) => action.action === "put-metrics" && action.confirmed)) return Promise.reject(new Error("the metrics were not put"));
      input.onReport(report, files);
      return Promise.resolve({ ...files, rtoSeconds: report.rtoSeconds, rpoSeconds: report.rpoSeconds });
    },
  };
}
