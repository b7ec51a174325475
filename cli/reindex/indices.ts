import type { Client, Types } from "@opensearch-project/opensearch";
import { LIVE_REFRESH_INTERVAL, parseIndexName, type BadRow, type IndexDefinition, type MappingVariant } from "../../apps/storefront/src/catalog/index.js";

/**
 * What shopctl records in an index's mapping `_meta.shopctl`: whether the build finished, the
 * watermark it is current to, and while building, where a killed run can resume.
 */
export interface IndexMeta {
  alias: string;
  variant: MappingVariant;
  hash: string;
  /** `building` until verified; `ready` once it has been (or may be) behind the alias. */
  state: "building" | "ready";
  createdAt: string;
  /** The catalog it is built from (database and schema, no credentials): a checkpoint's snapshot means nothing elsewhere. */
  source?: string;
  /** While building: the load's watermark and the last acknowledged row. */
  checkpoint?: { snapshot: string; afterId: string | null; badRows: BadRow[] };
  /** Once ready: the snapshot this index is current to (catch-up after a rollback starts there). */
  watermark?: string;
  readyAt?: string;
  /** When the alias last moved to this index (a build's swap or a rollback): retention keeps the most recently served. */
  servedAt?: string;
}

export interface ManagedIndex {
  name: string;
  createdAt: Date;
  hash: string;
  meta: IndexMeta | undefined;
  aliased: boolean;
}

function asMeta(value: unknown): IndexMeta | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const meta = value as Partial<IndexMeta>;
  if ((meta.state !== "building" && meta.state !== "ready") || typeof meta.hash !== "string" || typeof meta.alias !== "string") return undefined;
  return meta as IndexMeta;
}

/** Creates the build index: no replicas and no refresh while loading, the definition's mapping, _meta. */
export async function createBuildIndex(client: Client, name: string, definition: IndexDefinition, meta: IndexMeta): Promise<void> {
  await client.indices.create({
    index: name,
    body: {
      settings: { ...definition.settings, "index.number_of_replicas": 0, "index.refresh_interval": "-1" },
      // The definition is plain JSON (apps/ takes no dependency on the client's types).
      mappings: { ...definition.mappings, properties: definition.mappings.properties as Record<string, Types.Common_Mapping.Property>, _meta: { shopctl: meta } },
    },
  });
}

export async function putMeta(client: Client, index: string, meta: IndexMeta): Promise<void> {
  await client.indices.putMapping({ index, body: { _meta: { shopctl: meta } } });
}

/** Indices named `<alias>_<time>_<hash>`, oldest first, with their _meta and whether the alias points at them. */
export async function listManaged(client: Client, alias: string): Promise<ManagedIndex[]> {
  const [mappings, targets] = await Promise.all([
    client.indices.getMapping({ index: `${alias}_*`, allow_no_indices: true, expand_wildcards: "open" }),
    aliasTargets(client, alias),
  ]);
  const indices: ManagedIndex[] = [];
  for (const [name, record] of Object.entries(mappings.body)) {
    const parsed = parseIndexName(alias, name);
    if (parsed === undefined) continue;
    const shopctl: unknown = record.mappings._meta?.shopctl;
    indices.push({ name, createdAt: parsed.createdAt, hash: parsed.hash, meta: asMeta(shopctl), aliased: targets.includes(name) });
  }
  return indices.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.name < b.name ? -1 : 1));
}

/** The indices `alias` points at; empty when the alias does not exist. */
export async function aliasTargets(client: Client, alias: string): Promise<string[]> {
  const response = await client.indices.getAlias({ name: alias }, { ignore: [404] });
  if (response.statusCode === 404) return [];
  return Object.keys(response.body).sort();
}

/** True when a concrete index (not an alias) has the alias's name: no alias can be created then. */
export async function concreteIndexExists(client: Client, name: string): Promise<boolean> {
  const response = await client.indices.get({ index: name, expand_wildcards: ["open", "closed"] }, { ignore: [404] });
  if (response.statusCode === 404) return false;
  return Object.keys(response.body).includes(name);
}

/** Point `alias` at `to` and away from `from` in one atomic `_aliases` request. */
export async function swapAlias(client: Client, alias: string, from: readonly string[], to: string): Promise<void> {
  await client.indices.updateAliases({
    body: {
      actions: [
        ...from.filter((index) => index !== to).map((index) => ({ remove: { index, alias } })),
        { add: { index: to, alias } },
      ],
    },
  });
}

export async function setLiveSettings(client: Client, index: string, replicas: number): Promise<void> {
  await client.indices.putSettings({ index, body: { index: { number_of_replicas: replicas, refresh_interval: LIVE_REFRESH_INTERVAL } } });
}

/** Waits for the index to turn green (every replica allocated); throws when it does not in time. */
export async function waitForGreen(client: Client, index: string, timeoutSeconds: number): Promise<void> {
  const response = await client.cluster.health({ index, wait_for_status: "green", timeout: `${timeoutSeconds}s` }, { requestTimeout: (timeoutSeconds + 30) * 1000, ignore: [408] });
  const body = response.body as { status?: string; timed_out?: boolean; unassigned_shards?: number };
  if (body.timed_out === true || body.status !== "green") {
    throw new Error(`index ${index} is ${body.status ?? "unknown"}, not green, after ${timeoutSeconds}s (${body.unassigned_shards ?? "?"} unassigned shards): are there enough data nodes for the replicas?`);
  }
}

export async function deleteIndices(client: Client, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  await client.indices.delete({ index: names.join(","), expand_wildcards: "none" }, { ignore: [404] });
}

export async function dataNodeCount(client: Client): Promise<number> {
  const response = await client.cluster.health({});
  return response.body.number_of_data_nodes;
}

/**
 * Each node's modules and plugins, as `GET _nodes/plugins` reports them. Undefined when the
 * cluster does not answer that API (some managed clusters restrict it).
 */
export async function nodeModules(client: Client): Promise<string[][] | undefined> {
  try {
    const response = await client.transport.request({ method: "GET", path: "/_nodes/plugins", querystring: { filter_path: "nodes.*.modules.name,nodes.*.plugins.name" } });
    const nodes = (response.body as { nodes?: Record<string, { modules?: { name?: unknown }[]; plugins?: { name?: unknown }[] }> }).nodes ?? {};
    return Object.values(nodes).map((node) =>
      [...(node.modules ?? []), ...(node.plugins ?? [])].map((entry) => entry.name).filter((name): name is string => typeof name === "string"),
    );
  } catch {
    return undefined;
  }
}

export async function documentCount(client: Client, index: string): Promise<number> {
  const response = await client.count({ index });
  return response.body.count;
}

export interface IndexStats {
  docs: number;
  sizeBytes: number;
  health: string;
}

/** Document count, store size and health per index, from `_cat/indices`. */
export async function indexStats(client: Client, pattern: string): Promise<Map<string, IndexStats>> {
  const response = await client.cat.indices({ index: pattern, format: "json", bytes: "b", expand_wildcards: "open" }, { ignore: [404] });
  const stats = new Map<string, IndexStats>();
  if (!Array.isArray(response.body)) return stats;
  for (const record of response.body as { index?: string; "docs.count"?: string; "store.size"?: string; health?: string }[]) {
    if (record.index === undefined) continue;
    stats.set(record.index, { docs: Number(record["docs.count"] ?? 0), sizeBytes: Number(record["store.size"] ?? 0), health: record.health ?? "unknown" });
  }
  return stats;
}
