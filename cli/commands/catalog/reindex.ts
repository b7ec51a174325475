import { Argument, Option, type Command } from "commander";
import { addDryRun, addGlobalOptions, examples } from "../../global-options.js";
import { REINDEX_DEFAULTS } from "../../reindex/defaults.js";
import { aliasValue, identifier, integerIn, replicasValue } from "../../reindex/options.js";
import type { CommandRunner } from "../common/runner.js";
import { addStateOptions } from "../common/state-options.js";
import type { ReindexOptions } from "./options.js";

/** The connection flags shared by reindex and catalog. `database` names the URL flag. */
export function addConnectionOptions(command: Command, urls: { source: string; target?: string }): Command {
  command
    .option(`--${urls.source} <pg-url>`, "the catalog database, instead of --stack (postgres://user@host:port/db; PGPASSWORD works)");
  if (urls.target !== undefined) command.option(`--${urls.target} <os-url>`, "the OpenSearch cluster, instead of --stack (http(s)://host:port; *.es.amazonaws.com is signed with SigV4)");
  return addStateOptions(command)
    .addOption(new Option("--region <which>", "with --stack: the stack's primary region, or its dr region (after a failover)").choices(["primary", "dr"]).default("primary"))
    .addOption(new Option("--schema <name>", "the PostgreSQL schema holding the catalog").argParser(identifier("--schema")).default("catalog"))
    .option("--db-ca-file <path>", "with --stack: the RDS CA bundle that verifies the database's TLS certificate (default: $PGSSLROOTCERT)");
}

/** `shopctl reindex [rollback|status]`: rebuild the search index from the catalog with zero downtime. */
export function registerReindex(program: Command, runner: CommandRunner): void {
  const run = runner(async (options: ReindexOptions, io) => (await import("./reindex-action.js")).reindexCommand(options, io));
  addDryRun(addConnectionOptions(addGlobalOptions(program.command("reindex")), { source: "source", target: "target" }))
    .summary("rebuild the products search index from the catalog with zero downtime")
    .description(
      "Build a new index from the catalog (products_<time>_<mappinghash>), catch up with changes made meanwhile, verify it, " +
        "then swap the alias atomically; the two previous indices are kept for rollback. An interrupted run resumes where it stopped.",
    )
    .addArgument(new Argument("[action]", "rollback or status; none builds a new index").choices(["rollback", "status"]))
    .addOption(new Option("--alias <name>", "the alias to build for (default: the stack's index-alias parameter, else products)").argParser(aliasValue))
    .addOption(new Option("--batch-size <n>", "rows per bulk request").argParser(integerIn("--batch-size", 1, 10_000)).default(REINDEX_DEFAULTS.batchSize))
    .addOption(new Option("--concurrency <n>", "bulk requests in flight").argParser(integerIn("--concurrency", 1, 32)).default(REINDEX_DEFAULTS.concurrency))
    .addOption(new Option("--max-errors <n>", "bad rows tolerated (reported with their SKU) before the run fails").argParser(integerIn("--max-errors", 0, 1_000_000)).default(0))
    .addOption(new Option("--mapping <variant>", "index mapping: auto (rich when the cluster has the modules), core or rich").choices(["auto", "core", "rich"]).default("auto"))
    .addOption(new Option("--replicas <n>", "replicas once built: auto (one per other data node, up to 2) or a number").argParser(replicasValue).default("auto"))
    .option("--no-resume", "start a new index even when an interrupted build of the same mapping can be resumed")
    .addHelpText("after", `
Actions:
  (none)    build a new index and swap the alias to it
  rollback  point the alias back at the previous index and replay catalog changes into it
  status    list the indices, the alias and the counts
${examples(
      "shopctl reindex --stack prod",
      "shopctl reindex --stack prod --region dr          # rebuild the DR domain after a failover",
      "shopctl reindex --source postgres://shop@127.0.0.1:55432/shop --target http://127.0.0.1:59200 --json",
      "shopctl reindex --stack prod --dry-run             # check every row, build nothing",
      "shopctl reindex rollback --stack prod",
      "shopctl reindex status --stack prod",
    )}`)
    .action((action: ReindexOptions["action"], options: ReindexOptions) => run({ ...options, ...(action === undefined ? {} : { action }) }));
}
