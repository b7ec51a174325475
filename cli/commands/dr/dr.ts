import type { Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import { addOutputsFile, type DrStatusOptions, type DrUnlockOptions } from "./options.js";

/** `shopctl dr status|unlock`: DR readiness, and the lock of an abandoned run. */
export function registerDr(program: Command, runner: CommandRunner): void {
  const dr = program
    .command("dr")
    .summary("disaster recovery readiness and housekeeping")
    .description("disaster recovery: readiness of the DR region (dr status) and clearing the lock of an abandoned run (dr unlock); see also failover, failback, drill and backup");

  addStateOptions(addOutputsFile(addGlobalOptions(dr.command("status"))))
    .summary("is the DR region ready to take over?")
    .description([
      "readiness of the DR region: replica status and ReplicaLag, DR fleet and launch template, DR load balancer targets, the Route 53",
      "failover records and health check, the newest recovery point in the DR vault against the RPO, failed copy jobs, DR KMS keys and",
      "the DR search domain; a verdict READY, DEGRADED or NOT READY with reasons, plus any DR run in progress. Exit 1 when NOT READY.",
    ].join("\n"))
    .option("--max-lag <duration>", "replica lag above this is NOT READY (default: the stack's RPO)")
    .addHelpText("after", examples(
      "shopctl dr status --stack prod",
      "shopctl dr status --stack prod --json | jq -r .readiness.verdict",
      "shopctl dr status --stack prod --outputs-file ~/.shopctl/dr/prod/outputs.json   # the state backend is down",
    ))
    .action(runner(async (options: DrStatusOptions, io) => (await import("./dr-action.js")).drStatus(options, io)));

  addGlobalOptions(dr.command("unlock"))
    .summary("remove the lock an interrupted DR run left behind")
    .description("remove $SHOPCTL_HOME/dr/<stack>/lock.json when its run is gone (its process died or it stopped heartbeating); a live lock only with --force")
    .option("--force", "remove the lock even though its run may still be alive", false)
    .addHelpText("after", examples("shopctl dr unlock --stack prod"))
    .action(runner(async (options: DrUnlockOptions, io) => (await import("./dr-action.js")).drUnlock(options, io)));
}
