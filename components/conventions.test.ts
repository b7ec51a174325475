import { describe, expect, it } from "vitest";
import { awsName, childName } from "./conventions.js";

describe("awsName", () => {
  it("keeps a name that fits", () => {
    expect(awsName("shop-prod-web", 32)).toBe("shop-prod-web");
  });

  it("shortens a long name to the limit with a stable hash", () => {
    const long = "shop-platform-production-eu-west-1-web-targets";
    const short = awsName(long, 32);
    expect(short.length).toBeLessThanOrEqual(32);
    expect(short).toBe(awsName(long, 32));
    expect(short).not.toBe(awsName(`${long}-2`, 32));
    expect(short).toMatch(/^shop-platform-production-[0-9a-f]{6}$/);
  });

  it("replaces characters AWS does not allow", () => {
    expect(awsName("shop_prod.web", 32)).toBe("shop-prod-web");
  });
});

describe("conventions", () => {
  it("child names derive from the component name", () => {
    expect(childName("primary-db", "params")).toBe("primary-db-params");
  });
});
