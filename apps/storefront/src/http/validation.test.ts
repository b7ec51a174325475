import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError } from "./errors.js";
import { fieldPath, parseInput } from "./validation.js";

function thrown(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("parseInput", () => {
  const body = z.strictObject({ address: z.strictObject({ country: z.string().regex(/^[A-Z]{2}$/, { error: "expected a country code" }) }), tags: z.array(z.string()) });

  it("reads paths as a client writes them", () => {
    expect(fieldPath(["address", "country"])).toBe("address.country");
    expect(fieldPath(["items", 2, "sku"])).toBe("items[2].sku");
    expect(fieldPath([])).toBe("");
  });

  it("returns the parsed value", () => {
    expect(parseInput(body, { address: { country: "DE" }, tags: [] }, "body")).toEqual({ address: { country: "DE" }, tags: [] });
  });

  it("names the field at fault in a 400", () => {
    const error = thrown(() => parseInput(body, { address: { country: "Germany" }, tags: [] }, "body"));
    expect(error).toMatchObject({ statusCode: 400, code: "invalid_request", field: "address.country", message: "address.country: expected a country code" });
  });

  it("lists every problem, the first as the field", () => {
    const error = thrown(() => parseInput(body, { address: {}, tags: [1], extra: true }, "body"));
    expect(error.field).toBe("address.country");
    expect(error.extra.problems?.map((problem) => problem.field)).toEqual(["address.country", "tags[0]", "extra"]);
  });

  it("names an unknown key as unknown", () => {
    expect(thrown(() => parseInput(z.strictObject({ q: z.string().optional() }), { categroy: "x" }, "query")).message).toBe("categroy is not a known query parameter");
  });

  it("names a query parameter by its name only, and a header as clients spell it", () => {
    expect(thrown(() => parseInput(z.object({ brand: z.array(z.string().min(2)) }), { brand: ["ok", "x"] }, "query")).field).toBe("brand");
    expect(thrown(() => parseInput(z.object({ "idempotency-key": z.string() }), {}, "headers")).field).toBe("Idempotency-Key");
  });

  it("names the whole input when it is not an object at all", () => {
    expect(thrown(() => parseInput(body, [1, 2], "body")).field).toBe("body");
  });
});
