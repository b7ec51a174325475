// Smoke tests: each test service is the real thing and answers a real client round trip.
import { randomUUID } from "node:crypto";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { serviceEndpoints } from "./services.js";

const endpoints = serviceEndpoints();
/** Unique per run, lowercase (index and bucket names must be), so reruns never collide. */
const runId = `${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;

describe("test services", () => {
  it("OpenSearch indexes a document and finds it with a match query", async () => {
    const client = new OpenSearchClient({ node: endpoints.openSearchUrl });
    const index = `smoke-products-${runId}`;
    try {
      const info = await client.info();
      expect(info.body.version.number).toMatch(/^\d+\.\d+\.\d+/);

      await client.indices.create({
        index,
        body: {
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: { properties: { sku: { type: "keyword" }, title: { type: "text" } } },
        },
      });
      await client.index({
        index,
        id: "sku-1",
        body: { sku: "sku-1", title: "Blue trail running shoes" },
        refresh: true,
      });
      await client.index({ index, id: "sku-2", body: { sku: "sku-2", title: "Wool socks" }, refresh: true });

      const result = await client.search({ index, body: { query: { match: { title: "running" } } } });
      const hits = result.body.hits.hits;
      expect(hits.map((hit) => hit._id)).toEqual(["sku-1"]);
      expect(hits[0]!._source).toEqual({ sku: "sku-1", title: "Blue trail running shoes" });
    } finally {
      await client.indices.delete({ index }).catch(() => undefined);
      await client.close();
    }
  });

  // The integ-test-zip alone has no analysis-common or mapper-extras; scripts/services.sh adds the
  // standard modules back. Product search mappings rely on them, as on Amazon OpenSearch Service.
  it("OpenSearch has the standard modules: english analyzer and search_as_you_type", async () => {
    const client = new OpenSearchClient({ node: endpoints.openSearchUrl });
    const index = `smoke-modules-${runId}`;
    try {
      const analyzed = await client.indices.analyze({ body: { analyzer: "english", text: "Running shoes" } });
      expect(analyzed.body.tokens?.map((token) => token.token)).toEqual(["run", "shoe"]);

      await client.indices.create({
        index,
        body: {
          settings: { number_of_shards: 1, number_of_replicas: 0 },
          mappings: {
            properties: {
              title: { type: "text", analyzer: "english" },
              suggest: { type: "search_as_you_type" },
            },
          },
        },
      });
      await client.index({
        index,
        id: "sku-1",
        body: { title: "Trail running shoes", suggest: "Trail running shoes" },
        refresh: true,
      });
      const stemmed = await client.search({ index, body: { query: { match: { title: "runs" } } } });
      expect(stemmed.body.hits.hits.map((hit) => hit._id)).toEqual(["sku-1"]);
      const typeahead = await client.search({
        index,
        body: {
          query: {
            multi_match: {
              query: "trail ru",
              type: "bool_prefix",
              fields: ["suggest", "suggest._2gram", "suggest._3gram"],
            },
          },
        },
      });
      expect(typeahead.body.hits.hits.map((hit) => hit._id)).toEqual(["sku-1"]);
    } finally {
      await client.indices.delete({ index }).catch(() => undefined);
      await client.close();
    }
  });

  it("PostgreSQL runs a SQL round trip", async () => {
    const client = new pg.Client({ connectionString: endpoints.pgUrl });
    await client.connect();
    const table = `smoke_${runId.replace(/-/g, "_")}`;
    try {
      const version = await client.query<{ server_version_num: string }>("show server_version_num");
      expect(Number(version.rows[0]!.server_version_num)).toBeGreaterThanOrEqual(150_000);

      await client.query(`create temp table ${table} (id integer primary key, name text not null)`);
      await client.query(`insert into ${table} (id, name) values ($1, $2), ($3, $4)`, [1, "alpha", 2, "beta"]);
      const rows = await client.query<{ id: number; name: string }>(`select id, name from ${table} order by id`);
      expect(rows.rows).toEqual([
        { id: 1, name: "alpha" },
        { id: 2, name: "beta" },
      ]);
    } finally {
      await client.end();
    }
  });

  it("moto's S3 stores an object and returns it", async () => {
    const s3 = new S3Client({
      endpoint: endpoints.motoUrl,
      forcePathStyle: true,
      region: "us-east-1",
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    });
    const bucket = `smoke-${runId}`;
    const key = "catalog/hello.json";
    const body = JSON.stringify({ hello: "world", runId });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/json" }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      expect(got.ContentType).toBe("application/json");
      expect(await got.Body!.transformToString()).toBe(body);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      await s3.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
      s3.destroy();
    }
  });
});
