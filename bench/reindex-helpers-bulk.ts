// Child of bench/reindex.ts: the OpenSearch client's helpers.bulk with its defaults (5 MB
// flushes, 5 requests in flight, 3 retries), fed by the same query shopctl reindex runs, streamed
// through pg-query-stream and the same row -> document transform. Prints one JSON result line.
//
//   tsx bench/reindex-helpers-bulk.ts <pg-url> <os-url> <schema> <index> <variant>
import { Client } from "@opensearch-project/opensearch";
import pg from "pg";
import QueryStream from "pg-query-stream";
import { toDocument, type ProductDocument } from "../apps/storefront/src/catalog/document.js";
import { indexDefinition } from "../apps/storefront/src/catalog/mapping.js";
import { PRODUCT_COLUMNS, type ProductRow } from "../apps/storefront/src/catalog/product.js";
import { productsTable } from "../apps/storefront/src/catalog/sql.js";
import { createBenchIndex } from "./reindex-index.js";

const [pgUrl, osUrl, schema, index, variant] = process.argv.slice(2);
if (pgUrl === undefined || osUrl === undefined || schema === undefined || index === undefined || (variant !== "core" && variant !== "rich")) {
  throw new Error("usage: reindex-helpers-bulk.ts PG_URL OS_URL SCHEMA INDEX core|rich");
}

async function* documents(client: pg.Client): AsyncGenerator<ProductDocument> {
  const stream = client.query(new QueryStream(`SELECT ${PRODUCT_COLUMNS} FROM ${productsTable(schema ?? "")} WHERE deleted_at IS NULL ORDER BY id`, [], { batchSize: 1000 }));
  for await (const row of stream as AsyncIterable<ProductRow>) {
    const result = toDocument(row);
    if (result.ok) yield result.document;
  }
}

const search = new Client({ node: osUrl });
const database = new pg.Client({ connectionString: pgUrl });
await database.connect();
await createBenchIndex(search, index, indexDefinition(variant));
const started = performance.now();
const stats = await search.helpers.bulk<ProductDocument>({
  datasource: documents(database),
  onDocument: (document) => ({ index: { _index: index, _id: String(document.id) } }),
});
const seconds = (performance.now() - started) / 1000;
await database.end();
await search.close();
process.stdout.write(`${JSON.stringify({ docs: stats.successful, failed: stats.failed, seconds, docsPerSecond: stats.successful / seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 })}\n`);
