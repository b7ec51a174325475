import { describe, expect, it } from "vitest";
import type { ProductRow } from "../../apps/storefront/src/catalog/index.js";
import { BadRows, bulkItemResults, compareIds, toBulkItems, toBulkRequestError } from "./bulk.js";

function row(id: string, overrides: Partial<ProductRow> = {}): ProductRow {
  return {
    id, sku: `SKU-${id}`, title: `Product ${id}`, description: "", brand: null, category_path: [], price_cents: "100", currency: "EUR",
    attributes: {}, stock: 1, in_stock: true, updated_at: new Date("2026-01-01T00:00:00Z"), deleted_at: null, search_version: "5", ...overrides,
  };
}

describe("toBulkItems", () => {
  it("indexes live rows with their search version as the external version", () => {
    const [item] = toBulkItems([row("7")], "load", new BadRows());
    const [action, source] = (item?.lines ?? "").trimEnd().split("\n");
    expect(JSON.parse(action ?? "")).toEqual({ index: { _id: "7", version: 5, version_type: "external" } });
    expect(JSON.parse(source ?? "")).toMatchObject({ id: 7, sku: "SKU-7", searchVersion: 5 });
    expect(item?.lines.endsWith("\n")).toBe(true);
  });

  it("skips tombstones in the load and deletes them in a catch-up", () => {
    const tombstone = row("8", { deleted_at: new Date(), search_version: "9" });
    expect(toBulkItems([tombstone], "load", new BadRows())).toEqual([]);
    const [item] = toBulkItems([tombstone], "sync", new BadRows());
    expect(item?.kind).toBe("delete");
    expect(JSON.parse(item?.lines ?? "")).toEqual({ delete: { _id: "8", version: 9, version_type: "external" } });
  });

  it("records bad rows, and in a catch-up deletes their older document", () => {
    const bad = new BadRows();
    const broken = row("9", { attributes: [1] });
    expect(toBulkItems([broken], "load", bad)).toEqual([]);
    expect(bad.list()).toEqual([{ id: "9", sku: "SKU-9", field: "attributes", reason: expect.stringContaining("unparseable attributes") as string }]);
    expect(toBulkItems([broken], "sync", bad).map((item) => item.kind)).toEqual(["delete"]);
  });

  it("takes a row off the bad list once it is fixed or tombstoned", () => {
    const bad = new BadRows([{ id: "1", sku: "SKU-1", field: "title", reason: "x" }, { id: "2", sku: "SKU-2", field: "title", reason: "x" }]);
    toBulkItems([row("1"), row("2", { deleted_at: new Date() })], "sync", bad);
    expect(bad.size).toBe(0);
  });
});

describe("BadRows", () => {
  it("lists rows in numeric id order", () => {
    const bad = new BadRows();
    for (const id of ["10", "9", "100"]) bad.add({ id, sku: id, field: "f", reason: "r" });
    expect(bad.list().map((entry) => entry.id)).toEqual(["9", "10", "100"]);
    expect(compareIds("9", "10")).toBeLessThan(0);
  });
});

describe("bulkItemResults", () => {
  it("reads per-item statuses in order", () => {
    expect(bulkItemResults({ errors: true, items: [{ index: { status: 201 } }, { delete: { status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } } }] }))
      .toEqual([{ status: 201 }, { status: 429, error: { type: "es_rejected_execution_exception", reason: "queue full" } }]);
  });
  it("needs no items when nothing failed", () => {
    expect(bulkItemResults({ errors: false })).toEqual([]);
  });
  it.each([null, "text", { errors: true }])("rejects %j", (body) => {
    expect(bulkItemResults(body)).toBeUndefined();
  });
});

describe("toBulkRequestError", () => {
  const responseError = (statusCode: number) => Object.assign(new Error("Response Error"), { name: "ResponseError", meta: {}, statusCode });

  it.each([429, 500, 502, 503, 504])("retries HTTP %s", (status) => {
    expect(toBulkRequestError(responseError(status), "i")).toMatchObject({ retryable: true, status });
  });
  it.each([400, 403, 404])("does not retry HTTP %s", (status) => {
    const error = toBulkRequestError(responseError(status), "idx");
    expect(error).toMatchObject({ retryable: false, status });
    expect(error.message).toBe(`bulk request to idx failed with HTTP ${status}: Response Error`);
  });
  it("retries dropped connections and timeouts", () => {
    expect(toBulkRequestError(Object.assign(new Error("socket hang up"), { name: "ConnectionError" }), "i").retryable).toBe(true);
    expect(toBulkRequestError(Object.assign(new Error("Request timed out"), { name: "TimeoutError" }), "i").retryable).toBe(true);
  });
  it("does not retry anything else", () => {
    expect(toBulkRequestError(new TypeError("bug"), "i").retryable).toBe(false);
  });
});
