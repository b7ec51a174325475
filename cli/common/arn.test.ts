import { describe, expect, it } from "vitest";
import { arnRegion, parseArn } from "./arn.js";

describe("parseArn", () => {
  it("splits an ARN into its fields, keeping colons in the resource", () => {
    expect(parseArn("arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-prod-db-AbCdEf")).toEqual({
      partition: "aws", service: "secretsmanager", region: "eu-west-1", account: "123456789012", resource: "secret:shop-prod-db-AbCdEf",
    });
    expect(parseArn("arn:aws-us-gov:rds:us-gov-west-1:123456789012:db:shop-prod")?.resource).toBe("db:shop-prod");
    expect(parseArn("arn:aws:logs:us-east-1:123456789012:log-group:/shop:*")?.resource).toBe("log-group:/shop:*");
  });

  it("reads global resources, whose region (and for S3, account) is empty", () => {
    expect(parseArn("arn:aws:iam::123456789012:role/shop-backup")).toMatchObject({ region: "", account: "123456789012", resource: "role/shop-backup" });
    expect(parseArn("arn:aws-cn:s3:::shop-assets")).toMatchObject({ partition: "aws-cn", region: "", account: "", resource: "shop-assets" });
    expect(parseArn("arn:aws:iam::aws:policy/ReadOnlyAccess")?.account).toBe("aws");
  });

  it.each([
    "", "shop-prod-db", "arn", "arn:aws:rds:us-east-1:123456789012", "arn:aws:rds:us-east-1:123456789012:",
    "ARN:aws:rds:us-east-1:123456789012:db:x", "arn:gcp:rds:us-east-1:123456789012:db:x", "arn:aws::us-east-1:123456789012:db:x",
    "arn:aws:rds:US-EAST-1:123456789012:db:x", "arn:aws:rds:us-east-1:1234:db:x", " arn:aws:rds:us-east-1:123456789012:db:x",
  ])("is undefined for the malformed %j", (text) => {
    expect(parseArn(text)).toBeUndefined();
  });
});

describe("arnRegion", () => {
  it("is the region, or undefined for a global resource or a malformed ARN", () => {
    expect(arnRegion("arn:aws:secretsmanager:eu-west-1:123456789012:secret:x")).toBe("eu-west-1");
    expect(arnRegion("arn:aws:iam::123456789012:role/x")).toBeUndefined();
    expect(arnRegion("eu-west-1")).toBeUndefined();
  });
});
