import { createHash } from "node:crypto";

/**
 * The products index as code. Two variants of the same fields:
 * - `core` needs nothing beyond the OpenSearch engine itself: the standard analyzer, keyword
 *   subfields for facets and sorting, the price as a long in cents;
 * - `rich` adds the English analyzer (stemming, stop words) and search-as-you-type subfields,
 *   which live in the `analysis-common` and `mapper-extras` modules. Amazon OpenSearch Service
 *   ships both; a bare engine does not, so the variant follows what the cluster reports.
 */
export type MappingVariant = "core" | "rich";

export const MAPPING_VARIANTS: readonly MappingVariant[] = ["core", "rich"];

/** The modules (as `GET _nodes/plugins` names them) each variant needs on every node. */
export const REQUIRED_MODULES: Readonly<Record<MappingVariant, readonly string[]>> = {
  core: [],
  rich: ["analysis-common", "mapper-extras"],
};

/** The alias the storefront searches. */
export const DEFAULT_INDEX_ALIAS = "products";

/** Refresh interval of a live index; a build runs with refresh off. */
export const LIVE_REFRESH_INTERVAL = "1s";

export interface IndexDefinition {
  variant: MappingVariant;
  /** Index settings without replicas and refresh, which the reindex sets per phase. */
  settings: Record<string, unknown>;
  mappings: { dynamic: "strict"; properties: Record<string, unknown> };
  /** First 8 hex digits of the SHA-256 of the canonical settings and mappings: part of the index name. */
  hash: string;
}

const KEYWORD = { type: "keyword", ignore_above: 256 } as const;

function properties(variant: MappingVariant): Record<string, unknown> {
  const rich = variant === "rich";
  return {
    id: { type: "long" },
    sku: { type: "keyword" },
    title: rich
      ? { type: "text", analyzer: "english", fields: { keyword: KEYWORD, standard: { type: "text", analyzer: "standard" }, suggest: { type: "search_as_you_type" } } }
      : { type: "text", analyzer: "standard", fields: { keyword: KEYWORD } },
    description: { type: "text", analyzer: rich ? "english" : "standard" },
    brand: { type: "text", analyzer: "standard", fields: { keyword: KEYWORD } },
    category: {
      properties: {
        path: { type: "keyword" },
        levels: { type: "keyword" },
        leaf: { type: "text", analyzer: "standard", fields: { keyword: KEYWORD } },
      },
    },
    priceCents: { type: "long" },
    currency: { type: "keyword" },
    attributes: { type: "object", enabled: false },
    facets: { type: "keyword" },
    stock: { type: "integer" },
    inStock: { type: "boolean" },
    updatedAt: { type: "date" },
    searchVersion: { type: "long" },
  };
}

/** JSON with object keys sorted at every level, so equal definitions hash equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function indexDefinition(variant: MappingVariant): IndexDefinition {
  // One primary shard: a catalog of millions of products is a few GB, well under the 10-50 GB a
  // shard is sized for; replicas spread the search load instead.
  const settings = { index: { number_of_shards: 1 } };
  const mappings = { dynamic: "strict" as const, properties: properties(variant) };
  const hash = createHash("sha256").update(canonicalJson({ settings, mappings })).digest("hex").slice(0, 8);
  return { variant, settings, mappings, hash };
}

/**
 * The richest variant every node supports. `modulesPerNode` holds each node's module and plugin
 * names; an empty list (nothing reported) gets the core variant, which runs anywhere.
 */
export function chooseVariant(modulesPerNode: readonly (readonly string[])[]): MappingVariant {
  if (modulesPerNode.length === 0) return "core";
  const everyNodeHas = (module: string) => modulesPerNode.every((modules) => modules.includes(module));
  return REQUIRED_MODULES.rich.every(everyNodeHas) ? "rich" : "core";
}

/** The modules of `variant` that some node lacks, for a clear error when a variant is forced. */
export function missingModules(variant: MappingVariant, modulesPerNode: readonly (readonly string[])[]): string[] {
  return REQUIRED_MODULES[variant].filter((module) => modulesPerNode.length === 0 || !modulesPerNode.every((modules) => modules.includes(module)));
}

const ALIAS = /^[a-z0-9][a-z0-9_-]{0,199}$/;

/** Index aliases and names are lower case; the alias also prefixes its indices' names. */
export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias)) {
    throw new Error(`index alias "${alias}" is not valid: expected lower-case letters, digits, _ and -, starting with a letter or digit (max 200)`);
  }
  return alias;
}

function stamp(at: Date): string {
  const iso = at.toISOString(); // 2026-01-14T15:30:12.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}t${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${iso.slice(20, 23)}z`;
}

/** `products_20260114t153012123z_1a2b3c4d`: sorts by creation time; the hash names the mapping. */
export function indexName(alias: string, hash: string, at: Date): string {
  return `${checkAlias(alias)}_${stamp(at)}_${hash}`;
}

export interface ParsedIndexName {
  name: string;
  createdAt: Date;
  hash: string;
}

/** The parts of an index name made by indexName for `alias`; undefined for any other index. */
export function parseIndexName(alias: string, name: string): ParsedIndexName | undefined {
  if (!name.startsWith(`${alias}_`)) return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})t(\d{2})(\d{2})(\d{2})(\d{3})z_([0-9a-f]{8})$/.exec(name.slice(alias.length + 1));
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, millis, hash] = match;
  const createdAt = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`);
  if (Number.isNaN(createdAt.getTime()) || hash === undefined) return undefined;
  return { name, createdAt, hash };
}
