import { describe, expect, it } from "vitest";
import { crossRegionSourceProblem } from "./replica-source.js";

describe("crossRegionSourceProblem", () => {
  const primaryArn = "arn:aws:rds:eu-west-1:123456789012:db:catalog";

  it("accepts a DB instance ARN in another region", () => {
    expect(crossRegionSourceProblem(primaryArn, "eu-central-1")).toBeUndefined();
    expect(crossRegionSourceProblem("arn:aws-cn:rds:cn-north-1:123456789012:db:catalog", "cn-northwest-1")).toBeUndefined();
  });

  it("accepts the ARN's shape before the replica's region is known", () => {
    expect(crossRegionSourceProblem(primaryArn, undefined)).toBeUndefined();
  });

  it("refuses a source in the replica's own region", () => {
    expect(crossRegionSourceProblem(primaryArn, "eu-west-1")).toBe(
      "a DB instance in another region than the replica's (eu-west-1): declare the replica with the DR region's provider",
    );
  });

  it.each([
    ["an identifier", "catalog"],
    ["a cluster ARN", "arn:aws:rds:eu-west-1:123456789012:cluster:catalog"],
    ["a snapshot ARN", "arn:aws:rds:eu-west-1:123456789012:snapshot:catalog-final"],
    ["another service's ARN", "arn:aws:es:eu-west-1:123456789012:domain/catalog"],
  ])("refuses %s", (_what, source) => {
    expect(crossRegionSourceProblem(source, "eu-central-1")).toMatch(/^the primary DB instance's ARN .*needs the ARN, not the identifier$/);
  });
});
