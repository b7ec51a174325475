import { describe, expect, it } from "vitest";
import { canonicalJson, checkAlias, chooseVariant, indexDefinition, indexName, missingModules, parseIndexName } from "./mapping.js";

/** Every value of a key anywhere in a JSON tree. */
function valuesOf(tree: unknown, key: string): unknown[] {
  if (Array.isArray(tree)) return tree.flatMap((item) => valuesOf(item, key));
  if (typeof tree !== "object" || tree === null) return [];
  return Object.entries(tree as Record<string, unknown>).flatMap(([name, value]) => [...(name === key ? [value] : []), ...valuesOf(value, key)]);
}

describe("index definitions", () => {
  it("the core variant uses only what the engine itself has", () => {
    const core = indexDefinition("core");
    expect(new Set(valuesOf(core.mappings, "analyzer"))).toEqual(new Set(["standard"]));
    expect(valuesOf(core.mappings, "type")).not.toContain("search_as_you_type");
    expect(core.mappings.dynamic).toBe("strict");
  });

  it("the rich variant adds the English analyzer and search-as-you-type", () => {
    const rich = indexDefinition("rich");
    expect(valuesOf(rich.mappings, "analyzer")).toContain("english");
    expect(valuesOf(rich.mappings, "type")).toContain("search_as_you_type");
  });

  it("prices are longs in cents and facets are keywords", () => {
    const { properties } = indexDefinition("core").mappings;
    expect(properties.priceCents).toEqual({ type: "long" });
    expect(properties.facets).toEqual({ type: "keyword" });
    expect(properties.brand).toMatchObject({ fields: { keyword: { type: "keyword" } } });
  });

  it("hashes are stable, 8 hex digits, and differ between variants", () => {
    expect(indexDefinition("core").hash).toMatch(/^[0-9a-f]{8}$/);
    expect(indexDefinition("core").hash).toBe(indexDefinition("core").hash);
    expect(indexDefinition("core").hash).not.toBe(indexDefinition("rich").hash);
  });

  it("canonical JSON ignores key order", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
    expect(canonicalJson({ a: [2, 1] })).not.toBe(canonicalJson({ a: [1, 2] }));
  });
});

describe("choosing the variant", () => {
  const full = ["analysis-common", "mapper-extras", "reindex"];
  it("is rich when every node has the modules", () => {
    expect(chooseVariant([full, full])).toBe("rich");
  });
  it("is core when one node lacks a module, or nothing was reported", () => {
    expect(chooseVariant([full, ["analysis-common"]])).toBe("core");
    expect(chooseVariant([["transport-netty4"]])).toBe("core");
    expect(chooseVariant([])).toBe("core");
  });
  it("names the missing modules", () => {
    expect(missingModules("rich", [full, ["analysis-common"]])).toEqual(["mapper-extras"]);
    expect(missingModules("rich", [])).toEqual(["analysis-common", "mapper-extras"]);
    expect(missingModules("core", [[]])).toEqual([]);
  });
});

describe("index names", () => {
  const at = new Date("2026-01-14T15:30:12.123Z");
  it("carry the time and the mapping hash, and parse back", () => {
    const name = indexName("products", "1a2b3c4d", at);
    expect(name).toBe("products_20260114t153012123z_1a2b3c4d");
    expect(parseIndexName("products", name)).toEqual({ name, createdAt: at, hash: "1a2b3c4d" });
  });

  it("sort by creation time", () => {
    const older = indexName("products", "ffffffff", new Date("2025-12-31T23:59:59.999Z"));
    expect([indexName("products", "00000000", at), older].sort()).toEqual([older, indexName("products", "00000000", at)]);
  });

  it("belong to one alias only", () => {
    expect(parseIndexName("products", "products_v2_20260114t153012123z_1a2b3c4d")).toBeUndefined();
    expect(parseIndexName("products_v2", "products_v2_20260114t153012123z_1a2b3c4d")?.hash).toBe("1a2b3c4d");
    expect(parseIndexName("products", "products_20261314t153012123z_1a2b3c4d")).toBeUndefined();
    expect(parseIndexName("products", "other")).toBeUndefined();
  });

  it.each(["Products", "_products", "pro ducts", ""])("refuse the alias %j", (alias) => {
    expect(() => checkAlias(alias)).toThrow(`index alias "${alias}" is not valid: expected lower-case letters, digits, _ and -`);
  });
});
