// Child of bench/reindex.ts: the engine's ceiling. Posts pre-serialized NDJSON (the same action
// and document lines shopctl sends, written beforehand) to `_bulk` with the same batch size and
// concurrency, over plain keep-alive HTTP: no database, no transform, no client library.
// Prints one JSON result line.
//
//   tsx bench/reindex-raw-bulk.ts <os-url> <index> <variant> <ndjson-file> <batch-size> <concurrency>
import { createReadStream } from "node:fs";
import { Agent, request } from "node:http";
import { Client } from "@opensearch-project/opensearch";
import { indexDefinition } from "../apps/storefront/src/catalog/mapping.js";
import { createBenchIndex } from "./reindex-index.js";

const [osUrl, index, variant, file, batchText, concurrencyText] = process.argv.slice(2);
const batchSize = Number(batchText);
const concurrency = Number(concurrencyText);
if (osUrl === undefined || index === undefined || (variant !== "core" && variant !== "rich") || file === undefined || !(batchSize > 0) || !(concurrency > 0)) {
  throw new Error("usage: reindex-raw-bulk.ts OS_URL INDEX core|rich NDJSON_FILE BATCH_SIZE CONCURRENCY");
}

const search = new Client({ node: osUrl });
await createBenchIndex(search, index, indexDefinition(variant));
await search.close();

const url = new URL(`/${index}/_bulk?filter_path=errors`, osUrl);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

function post(body: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const call = request(url, { method: "POST", agent, headers: { "content-type": "application/x-ndjson", "content-length": body.length } }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => { text += chunk; });
      response.on("end", () => {
        if (response.statusCode !== 200 || text.includes('"errors":true')) reject(new Error(`bulk failed: HTTP ${response.statusCode ?? "?"} ${text.slice(0, 300)}`));
        else resolve();
      });
    });
    call.on("error", reject);
    call.end(body);
  });
}

const inFlight = new Set<Promise<void>>();
const send = async (body: Buffer) => {
  while (inFlight.size >= concurrency) await Promise.race(inFlight);
  const pending = post(body).finally(() => inFlight.delete(pending));
  inFlight.add(pending);
};

// Cut the file into bodies of `batchSize` documents (two lines each) by counting newlines in the
// raw bytes: no parsing, no string building, so this is as cheap as a loader can be.
const linesPerBody = batchSize * 2;
let docs = 0;
let carry: Buffer[] = [];
let carried = 0;
const started = performance.now();
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
  let start = 0;
  for (;;) {
    let position = start;
    let found = 0;
    while (carried + found < linesPerBody) {
      const newline = chunk.indexOf(10, position);
      if (newline === -1) break;
      found++;
      position = newline + 1;
    }
    if (carried + found < linesPerBody) {
      carry.push(chunk.subarray(start));
      carried += found;
      break;
    }
    carry.push(chunk.subarray(start, position));
    docs += batchSize;
    await send(Buffer.concat(carry));
    carry = [];
    carried = 0;
    start = position;
  }
}
if (carried > 0) {
  docs += carried / 2;
  await send(Buffer.concat(carry));
}
await Promise.all(inFlight);
const seconds = (performance.now() - started) / 1000;
agent.destroy();
process.stdout.write(`${JSON.stringify({ docs, seconds, docsPerSecond: docs / seconds, peakRssBytes: process.resourceUsage().maxRSS * 1024, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 })}\n`);
