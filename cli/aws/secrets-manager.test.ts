import { describe, expect, it } from "vitest";
import { secretReachable } from "./secret-reachability.js";
import { parseSecretArn, secretRegion } from "./secrets-manager.js";

const ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-prod-db-AbCdEf";
const NOT_SECRETS = ["shop-prod-db", "arn:aws:rds:eu-west-1:123456789012:db:shop-prod", "arn:aws:secretsmanager::123456789012:secret:x", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:", "arn:aws:secretsmanager:eu-west-1:aws:secret:x"];

describe("Secrets Manager ARNs", () => {
  it("reads the region of a secret ARN, in any partition", () => {
    expect(secretRegion(ARN)).toBe("eu-west-1");
    expect(parseSecretArn("arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-AbCdEf")?.region).toBe("us-gov-west-1");
  });

  it.each(NOT_SECRETS)("refuses %j with an error naming it", (text) => {
    expect(parseSecretArn(text)).toBeUndefined();
    expect(() => secretRegion(text)).toThrow(`"${text}" is not a Secrets Manager secret ARN`);
  });

  it("says a malformed ARN is unreachable without calling AWS", async () => {
    expect(await secretReachable("shop-prod-db", {})).toEqual({ reachable: false, error: "shop-prod-db is not a Secrets Manager ARN" });
  });
});
