import pg from "pg";
import { migrateCatalog, seedCatalog, syntheticProduct, productsTable } from "../../../apps/storefront/src/catalog/index.js";
import { ExitCode, RefusedError } from "../../exit-codes.js";
import { log, printJson, printResult, type Io } from "../../io.js";
import { defaultConnectionDeps, resolveConnection, type ConnectionDeps } from "../../reindex/connection.js";
import { progressLine } from "../../reindex/progress.js";
import type { CatalogOptions, CatalogSeedOptions } from "./options.js";

async function connect(options: CatalogOptions, io: Io, deps: ConnectionDeps, refuseProd: boolean): Promise<{ client: pg.Client; display: string }> {
  const connection = await resolveConnection(
    options,
    { source: options.database },
    {
      source: "required", target: "none", sourceFlag: "--database",
      ...(refuseProd ? { refuseTiers: ["prod"], refusal: "shopctl catalog seed is refused on a prod stack: it writes synthetic products into the real catalog" } : {}),
    },
    io,
    deps,
  );
  const source = connection.source;
  if (source === undefined) throw new Error("no catalog database was resolved");
  const client = new pg.Client({ connectionTimeoutMillis: 10_000, ...source.config });
  client.on("error", () => undefined);
  await client.connect();
  return { client, display: source.display };
}

export async function migrate(options: CatalogOptions, io: Io, deps: ConnectionDeps = defaultConnectionDeps): Promise<ExitCode> {
  const { client, display } = await connect(options, io, deps, false);
  try {
    const lines: string[] = [];
    const ran = await migrateCatalog({ client, schema: options.schema, dryRun: options.dryRun, log: (line) => lines.push(line) });
    if (options.dryRun && !options.json) for (const line of lines) log(io, line);
    const result = { database: display, schema: options.schema, dryRun: options.dryRun, migrations: ran };
    if (options.json) printJson(io, result);
    else printResult(io, ran.length === 0 ? `${display} schema ${options.schema}: up to date` : `${display} schema ${options.schema}: ${options.dryRun ? "would apply" : "applied"} ${ran.join(", ")}`);
    return ExitCode.Ok;
  } finally {
    await client.end();
  }
}

export async function seed(options: CatalogSeedOptions, io: Io, deps: ConnectionDeps = defaultConnectionDeps): Promise<ExitCode> {
  const { client, display } = await connect(options, io, deps, true);
  try {
    const found = await client.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [productsTable(options.schema)]);
    if (found.rows[0]?.found !== true) {
      throw new RefusedError(`${productsTable(options.schema)} does not exist in ${display}: run shopctl catalog migrate first`);
    }
    if (options.dryRun) {
      const sample = [1, options.count].map((n) => syntheticProduct(n, options.seed));
      if (options.json) printJson(io, { database: display, schema: options.schema, dryRun: true, count: options.count, seed: options.seed, sample });
      else printResult(io, `dry run: would insert products 1..${options.count} (seed ${options.seed}) into ${display} schema ${options.schema}, skipping existing SKUs; first: ${sample[0]?.sku ?? ""} "${sample[0]?.title ?? ""}"`);
      return ExitCode.Ok;
    }
    const started = Date.now();
    let lastLine = started;
    const result = await seedCatalog({
      client, schema: options.schema, count: options.count, seed: options.seed,
      onProgress: (done) => {
        if (Date.now() - lastLine >= 10_000) {
          lastLine = Date.now();
          log(io, `seed: ${progressLine(done, options.count, (lastLine - started) / 1000).replace("docs", "products")}`);
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    if (options.json) printJson(io, { database: display, schema: options.schema, dryRun: false, count: options.count, seed: options.seed, ...result, seconds });
    else printResult(io, `${display} schema ${options.schema}: ${result.inserted} products inserted, ${result.existing} already there (seed ${options.seed}, ${seconds.toFixed(1)}s)`);
    return ExitCode.Ok;
  } finally {
    await client.end();
  }
}
