// Who may assume the OpsRole: the named principals, and the account's MFA sign-ins only when asked
// for (opt-in). A role nobody could assume is refused; the stacks feed both from opsRole config.
import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";

interface TrustStatement { Sid: string; Principal: { AWS: string | string[] }; Action: string; Condition?: Record<string, Record<string, string>> }

async function trustOf(args: Record<string, unknown>): Promise<TrustStatement[]> {
  const { resources } = await runUnderMocks(async () => {
    const { OpsRole } = await import("./ops-role.js");
    new OpsRole("ops", args);
  }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
  return (JSON.parse(String(findResource(resources, "aws:iam/role:Role").inputs.assumeRolePolicy)) as { Statement: TrustStatement[] }).Statement;
}

const CI = "arn:aws:iam::123456789012:role/shop-prod-deployer";

describe("OpsRole trust", () => {
  it("trusts only the named principals by default: the account's MFA sign-ins are opt-in", async () => {
    expect(await trustOf({ trustedPrincipalArns: [CI] })).toEqual([{ Sid: "TrustedAutomation", Effect: "Allow", Principal: { AWS: [CI] }, Action: "sts:AssumeRole" }]);
  });

  it("trusts the account only with MFA when allowAccountWithMfa is on", async () => {
    const statements = await trustOf({ allowAccountWithMfa: true });
    expect(statements).toEqual([{
      Sid: "AccountPrincipalsWithMfa", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    }]);
  });

  it("refuses a role nobody could assume, naming the stack config key", async () => {
    await expect(trustOf({})).rejects.toThrow(/OpsRole "ops": nobody could assume the role; name its principals in trustedPrincipalArns \(stack config: opsRole\.trustedPrincipalArns\)/);
    await expect(trustOf({ allowAccountWithMfa: false, trustedPrincipalArns: [] })).rejects.toThrow(/nobody could assume the role/);
  });
});
