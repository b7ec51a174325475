import { Option, type Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import { addOutputsFile, addRunControl, type FailoverOptions } from "./options.js";

/** `shopctl failover`: move the writer and the traffic to the DR region, step by step, with a journal. */
export function registerFailover(program: Command, runner: CommandRunner): void {
  const command = program
    .command("failover")
    .summary("fail over to the DR region (plan, preflight, journaled steps, report)")
    .description([
      "fail the stack over to its DR region through the AWS SDK (never Pulumi): fence the primary (graceful), promote the replica,",
      "repoint the runtime parameters, scale the DR fleet, switch traffic with the Route 53 health check, verify the site, report RTO and RPO.",
      "The plan prints first; the preflight refuses (exit 3, nothing changed) when the replica is not available, lags more than",
      "--max-data-loss, or the DR region is not ready. A journal lets --resume continue an interrupted run; a lock allows one run at a time.",
    ].join("\n"))
    .addOption(new Option("--mode <mode>", "graceful: the primary answers, writes stop first, zero data loss; ungraceful: the primary region is down").choices(["graceful", "ungraceful"]).default("graceful"))
    .option("--max-data-loss <duration>", "refuse when the replica lags more than this (60s, 5m); default: the stack's RPO")
    .option("--force", "override the overridable preflight refusals (lag, DR readiness); needs --acknowledge", false)
    .option("--acknowledge <text>", "with --force: <stack>:accept-risk, the explicit acknowledgement")
    .option("--database-secret-arn <arn>", "point the DR secret parameter at this secret (a replica of the database secret in the DR region)")
    .option("--search-path <path>", "the product search the verification runs through the site URL", "/search?q=test")
    .option("--report-dir <dir>", "where the report goes (default $SHOPCTL_HOME/dr/<stack>/reports)")
    .option("--step-timeout <duration>", "cap every wait of the run (default per step: promotion 60m, fleet 20m, ...)");
  addStateOptions(addOutputsFile(addRunControl(addGlobalOptions(command), "failover")))
    .addHelpText("after", examples(
      "shopctl dr status --stack prod                       # READY?",
      "shopctl failover --stack prod --dry-run              # preflight and plan; changes nothing",
      "shopctl failover --stack prod                        # graceful: asks you to type \"prod\"",
      "shopctl failover --stack prod --mode ungraceful --max-data-loss 5m --outputs-file ~/.shopctl/dr/prod/outputs.json --yes",
      "shopctl failover --stack prod --resume               # after an interruption",
    ))
    .action(runner(async (options: FailoverOptions, io) => (await import("./failover-action.js")).failover(options, io)));
}
