import { describe, expect, it } from "vitest";
import { toDocument } from "./document.js";
import { seedSku, syntheticProduct } from "./seed.js";
import { productsTable, schemaIdentifier } from "./sql.js";

describe("the synthetic catalog", () => {
  it("is deterministic per product number and seed", () => {
    expect(syntheticProduct(12_345)).toEqual(syntheticProduct(12_345));
    expect(syntheticProduct(12_345, 2)).not.toEqual(syntheticProduct(12_345, 1));
    expect(syntheticProduct(1).sku).toBe("SKU-00000001");
    expect(seedSku(1_000_000)).toBe("SKU-01000000");
  });

  it("varies across products", () => {
    const titles = new Set(Array.from({ length: 200 }, (_, i) => syntheticProduct(i + 1).title));
    expect(titles.size).toBeGreaterThan(100);
  });

  it("yields only rows the index accepts", () => {
    for (let n = 1; n <= 2_000; n++) {
      const product = syntheticProduct(n);
      const result = toDocument({
        id: String(n), sku: product.sku, title: product.title, description: product.description, brand: product.brand,
        category_path: product.categoryPath, price_cents: String(product.priceCents), currency: product.currency,
        attributes: product.attributes, stock: product.stock, in_stock: product.stock > 0, updated_at: new Date(0), deleted_at: null, search_version: "1",
      });
      expect(result.ok, `${product.sku}: ${result.ok ? "" : result.bad.reason}`).toBe(true);
    }
  });

  it.each([0, -1, 1.5])("refuses product number %s", (n) => {
    expect(() => syntheticProduct(n)).toThrow(`product number ${n} must be a positive integer`);
  });
});

describe("catalog SQL names", () => {
  it("quotes a plain schema", () => {
    expect(productsTable("catalog")).toBe('"catalog".products');
  });
  it.each(['cat"; drop table x; --', "Catalog", "1abc", ""])("refuses the schema %j", (schema) => {
    expect(() => schemaIdentifier(schema)).toThrow(`catalog schema "${schema}" is not a plain identifier`);
  });
});
