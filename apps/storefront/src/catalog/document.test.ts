import { describe, expect, it } from "vitest";
import { DOCUMENT_LIMITS, toDocument, type DocumentResult } from "./document.js";
import type { ProductRow } from "./product.js";

function row(overrides: Partial<ProductRow> = {}): ProductRow {
  return {
    id: "42",
    sku: "SKU-00000042",
    title: "Acme Classic Knife black",
    description: "A sharp knife.",
    brand: "Acme",
    category_path: ["Home", "Kitchen", "Knives"],
    price_cents: "1999",
    currency: "EUR",
    attributes: { color: "black", weight_g: 120, eco: true, tags: ["steel", 3] },
    stock: 7,
    in_stock: true,
    updated_at: new Date("2026-01-14T15:30:12.123Z"),
    deleted_at: null,
    search_version: "3",
    ...overrides,
  };
}

function problem(result: DocumentResult): { sku: string; field: string; reason: string } {
  if (result.ok) throw new Error("expected a bad row");
  return result.bad;
}

describe("toDocument", () => {
  it("turns a row into the search document", () => {
    expect(toDocument(row())).toEqual({
      ok: true,
      document: {
        id: 42,
        sku: "SKU-00000042",
        title: "Acme Classic Knife black",
        description: "A sharp knife.",
        brand: "Acme",
        category: { path: "Home > Kitchen > Knives", levels: ["Home", "Home > Kitchen", "Home > Kitchen > Knives"], leaf: "Knives" },
        priceCents: 1999,
        currency: "EUR",
        attributes: { color: "black", weight_g: 120, eco: true, tags: ["steel", 3] },
        facets: ["color=black", "weight_g=120", "eco=true", "tags=steel", "tags=3"],
        stock: 7,
        inStock: true,
        updatedAt: "2026-01-14T15:30:12.123Z",
        searchVersion: 3,
      },
    });
  });

  it("keeps a missing brand and an empty category as null", () => {
    const result = toDocument(row({ brand: null, category_path: [], attributes: {} }));
    expect(result.ok && result.document).toMatchObject({ brand: null, category: null, attributes: {}, facets: [] });
  });

  it("is deterministic: the same row gives the same JSON", () => {
    expect(JSON.stringify(toDocument(row()))).toBe(JSON.stringify(toDocument(row())));
  });

  it.each([
    ["a list", [1, 2], "unparseable attributes: a list; expected an object of name -> value"],
    ["a string", "red", "unparseable attributes: string; expected an object of name -> value"],
    ["null", null, "unparseable attributes: null; expected an object of name -> value"],
    ["a nested object", { size: { eu: 42 } }, "unparseable attributes: attributes.size is an object"],
    ["a nested list", { sizes: [[1], [2]] }, "unparseable attributes: attributes.sizes is a nested list"],
    ["a boolean in a list", { flags: [true] }, "unparseable attributes: attributes.flags is boolean"],
    ["a null value", { color: null }, "unparseable attributes: attributes.color is null"],
    ["a name with spaces", { "bad name": 1 }, 'unparseable attributes: name "bad name" is not a name'],
    ["an oversized value", { n: "x".repeat(DOCUMENT_LIMITS.attributeValueChars + 1) }, `oversized attributes.n: ${DOCUMENT_LIMITS.attributeValueChars + 1} characters`],
    ["too many names", Object.fromEntries(Array.from({ length: DOCUMENT_LIMITS.attributeCount + 1 }, (_, i) => [`a${i}`, i])), `oversized attributes: ${DOCUMENT_LIMITS.attributeCount + 1} names`],
    ["too many values", { tags: Array.from({ length: DOCUMENT_LIMITS.attributeListItems + 1 }, (_, i) => `t${i}`) }, `oversized attributes.tags: ${DOCUMENT_LIMITS.attributeListItems + 1} values`],
  ])("reports attributes that are %s, with the SKU", (_name, attributes, reason) => {
    const bad = problem(toDocument(row({ attributes })));
    expect(bad).toMatchObject({ sku: "SKU-00000042", field: "attributes" });
    expect(bad.reason).toContain(reason);
  });

  it.each([
    ["title", { title: "t".repeat(DOCUMENT_LIMITS.titleChars + 1) }, `oversized title: ${DOCUMENT_LIMITS.titleChars + 1} characters (max ${DOCUMENT_LIMITS.titleChars})`],
    ["description", { description: "d".repeat(DOCUMENT_LIMITS.descriptionChars + 1) }, `oversized description: ${DOCUMENT_LIMITS.descriptionChars + 1} characters`],
    ["brand", { brand: "b".repeat(DOCUMENT_LIMITS.brandChars + 1) }, `oversized brand: ${DOCUMENT_LIMITS.brandChars + 1} characters`],
    ["category_path", { category_path: Array.from({ length: DOCUMENT_LIMITS.categoryLevels + 1 }, (_, i) => `L${i}`) }, `oversized category_path: ${DOCUMENT_LIMITS.categoryLevels + 1} levels`],
    ["category_path", { category_path: ["Home", "c".repeat(DOCUMENT_LIMITS.categoryLevelChars + 1)] }, `oversized category_path: ${DOCUMENT_LIMITS.categoryLevelChars + 1} characters`],
    ["category_path", { category_path: ["Home", " "] }, "category_path has an empty level"],
    ["category_path", { category_path: ["Home > Kitchen"] }, 'contains the separator " > "'],
    ["price_cents", { price_cents: "90071992547409930" }, "price_cents 90071992547409930 is not an integer the index can hold exactly"],
  ])("reports a bad %s", (field, overrides, reason) => {
    const bad = problem(toDocument(row(overrides)));
    expect(bad.field).toBe(field);
    expect(bad.reason).toContain(reason);
    expect(bad.sku).toBe("SKU-00000042");
  });

  it("reports an oversized SKU by its start", () => {
    const sku = `SKU-${"9".repeat(200)}`;
    const bad = problem(toDocument(row({ sku })));
    expect(bad.field).toBe("sku");
    expect(bad.sku).toBe(`${sku.slice(0, DOCUMENT_LIMITS.skuChars)}...`);
  });
});
