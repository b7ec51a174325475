import { Option, type Command } from "commander";
import { addDryRun, addGlobalOptions, examples } from "../../global-options.js";
import { integerIn } from "../../reindex/options.js";
import type { CommandRunner } from "../common/runner.js";
import type { CatalogOptions, CatalogSeedOptions } from "./options.js";
import { addConnectionOptions } from "./reindex.js";

/** `shopctl catalog migrate|seed`: the catalog schema and a synthetic catalog for dev and benchmarks. */
export function registerCatalog(program: Command, runner: CommandRunner): void {
  const catalog = program.command("catalog").description("the product catalog in PostgreSQL: schema migrations and a synthetic catalog");

  addDryRun(addConnectionOptions(addGlobalOptions(catalog.command("migrate")), { source: "database" }))
    .description("apply the catalog migrations (apps/storefront/migrations, node-pg-migrate) to the stack's database or --database")
    .addHelpText("after", examples(
      "shopctl catalog migrate --stack staging --db-ca-file global-bundle.pem",
      "shopctl catalog migrate --database postgres://shop@127.0.0.1:55432/shop",
      "shopctl catalog migrate --database postgres://shop@127.0.0.1:55432/shop --dry-run",
    ))
    .action(runner(async (options: CatalogOptions, io) => (await import("./catalog-action.js")).migrate(options, io)));

  addDryRun(addConnectionOptions(addGlobalOptions(catalog.command("seed")), { source: "database" }))
    .description("insert a deterministic synthetic catalog of products 1..N (existing SKUs are kept); refused on prod stacks")
    .addOption(new Option("--count <n>", "how many products (SKU-00000001 ..)").argParser(integerIn("--count", 1, 50_000_000)).makeOptionMandatory())
    .addOption(new Option("--seed <n>", "which synthetic catalog: the same seed and count give the same products").argParser(integerIn("--seed", 0, 2_147_483_647)).default(1))
    .addHelpText("after", examples(
      "shopctl catalog seed --count 10000 --stack dev --db-ca-file global-bundle.pem",
      "shopctl catalog seed --count 1000000 --database postgres://shop@127.0.0.1:55432/shop --json",
    ))
    .action(runner(async (options: CatalogSeedOptions, io) => (await import("./catalog-action.js")).seed(options, io)));
}
