import { describe, expect, it } from "vitest";
import { ORDER_STATUSES } from "./schemas.js";
import { canTransition, TRANSITIONS } from "./workflow.js";

describe("the order workflow", () => {
  it("moves placed -> paid -> fulfilled -> shipped", () => {
    expect(canTransition("placed", "paid")).toBe(true);
    expect(canTransition("paid", "fulfilled")).toBe(true);
    expect(canTransition("fulfilled", "shipped")).toBe(true);
  });

  it("cancels only before fulfilment", () => {
    expect(ORDER_STATUSES.filter((status) => canTransition(status, "cancelled"))).toEqual(["placed", "paid"]);
  });

  it("never skips a step, goes back, or leaves shipped or cancelled", () => {
    expect(canTransition("placed", "shipped")).toBe(false);
    expect(canTransition("paid", "placed")).toBe(false);
    expect(TRANSITIONS.shipped).toEqual([]);
    expect(TRANSITIONS.cancelled).toEqual([]);
  });
});
