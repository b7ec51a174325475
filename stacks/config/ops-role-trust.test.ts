import { describe, expect, it } from "vitest";
import { ConfigError, resolveStackConfig } from "./index.js";

const prod = {
  "shop:tier": "prod", "shop:primaryRegion": "eu-west-1", "shop:drRegion": "eu-central-1",
  "shop:domain": "shop.example.com", "shop:hostedZoneId": "Z0EXAMPLE00000001",
  "shop:alarms": { emails: ["oncall@example.com"] }, "shop:tags": { owner: "o", costCenter: "c" },
};

function issuesOf(values: Record<string, unknown>): ConfigError["issues"] {
  try {
    resolveStackConfig(values, "Pulumi.p.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe("who may assume the ops role", () => {
  it("refuses a prod stack that names no principal, since prod does not trust the account", () => {
    expect(issuesOf(prod)).toEqual([expect.objectContaining({
      path: "shop:opsRole.trustedPrincipalArns",
      expected: expect.stringContaining("opsRole.allowAccountWithMfa is false (the prod default)") as unknown,
    })]);
  });

  it("accepts a named principal, or the account with MFA when the stack opts in", () => {
    expect(issuesOf({ ...prod, "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] } })).toEqual([]);
    expect(issuesOf({ ...prod, "shop:opsRole": { allowAccountWithMfa: true } })).toEqual([]);
  });

  it("refuses dev when the stack turns the account's trust off and names nobody", () => {
    const dev = { "shop:tier": "dev", "shop:primaryRegion": "eu-west-1", "shop:tags": { owner: "o", costCenter: "c" } };
    expect(issuesOf(dev)).toEqual([]);
    expect(issuesOf({ ...dev, "shop:opsRole": { allowAccountWithMfa: false } }).map((issue) => issue.path)).toEqual(["shop:opsRole.trustedPrincipalArns"]);
  });
});
