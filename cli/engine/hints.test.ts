import { describe, expect, it } from "vitest";
import { GENERIC_HINT, hintFor } from "./hints.js";

describe("hintFor", () => {
  it.each([
    ["creating EC2 Instance: UnauthorizedOperation: You are not authorized to perform this operation", /lacks a permission/],
    ["ExpiredToken: The security token included in the request is expired", /session expired/],
    ["VcpuLimitExceeded: You have requested more vCPU capacity", /quota/],
    ["creating S3 Bucket (shop-assets): BucketAlreadyOwnedByYou", /already exists outside this stack/],
    ["the stack is currently locked by 1 lock(s)", /lock/],
    ["InsufficientInstanceCapacity: We currently do not have sufficient m7g.large capacity", /instance type is not available/],
    ["error: getting secrets manager: incorrect passphrase", /passphrase/],
  ])("recognises %s", (message, hint) => {
    expect(hintFor(message)).toMatch(hint);
  });

  it("falls back to the generic hint rather than guessing", () => {
    expect(hintFor("something nobody has seen before")).toBe(GENERIC_HINT);
  });
});
