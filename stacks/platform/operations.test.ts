// The stacks build the ops role's trust from opsRole config: prod (MFA trust off by default) needs
// a named principal, and its sample stack file names the CI role (the OpsRole component refuses a
// role nobody can assume: components/ops-role-trust.test.ts).
import { describe, expect, it } from "vitest";
import { ConfigError, loadStack, resolveStackConfig } from "../config/index.js";

describe("the ops role's trust from the stack config", () => {
  it("defaults: MFA trust of the account on in dev and staging, off in prod; the sample prod stack names its CI role", async () => {
    const [dev, staging, prodStack] = await Promise.all(["dev", "staging", "prod"].map(async (stack) => (await loadStack(stack)).config.opsRole));
    expect(dev).toEqual({ trustedPrincipalArns: [], allowAccountWithMfa: true });
    expect(staging).toEqual({ trustedPrincipalArns: [], allowAccountWithMfa: true });
    expect(prodStack).toEqual({ trustedPrincipalArns: ["arn:aws:iam::123456789012:role/shop-prod-deployer"], allowAccountWithMfa: false });
  });

  it("accepts role and user ARNs only: an account root goes through allowAccountWithMfa", () => {
    const dev = { "shop:tier": "dev", "shop:primaryRegion": "eu-west-1", "shop:tags": { owner: "team", costCenter: "CC-1" } };
    expect(resolveStackConfig({ ...dev, "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:user/ops-bot"] } }).opsRole)
      .toEqual({ trustedPrincipalArns: ["arn:aws:iam::123456789012:user/ops-bot"], allowAccountWithMfa: true });
    expect(() => resolveStackConfig({ ...dev, "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:root"] } })).toThrow(ConfigError);
    expect(() => resolveStackConfig({ ...dev, "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:root"] } }))
      .toThrow(/shop:opsRole\.trustedPrincipalArns\[0\]: found "arn:aws:iam::123456789012:root"; expected an IAM role or user ARN .*not an account root/);
  });
});
