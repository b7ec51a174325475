import { describe, expect, it } from "vitest";
import { parseUrn } from "./urn.js";

describe("parseUrn", () => {
  it("reads stack, project, the resource's own type and its name", () => {
    expect(parseUrn("urn:pulumi:dev::shop-platform::shop:network:Network$awsx:ec2:Vpc$aws:ec2/subnet:Subnet::main-vpc-public-1")).toEqual({
      stack: "dev",
      project: "shop-platform",
      type: "aws:ec2/subnet:Subnet",
      name: "main-vpc-public-1",
    });
  });

  it("keeps a name that contains '::'", () => {
    expect(parseUrn("urn:pulumi:prod::p::aws:s3/bucket:Bucket::a::b").name).toBe("a::b");
  });

  it("refuses what is not a URN, saying what one looks like", () => {
    expect(() => parseUrn("aws:s3/bucket:Bucket")).toThrow(/"aws:s3\/bucket:Bucket" is not a resource URN \(urn:pulumi:<stack>::<project>::<type>::<name>\)/);
    expect(() => parseUrn("urn:pulumi:dev::p::aws:s3/bucket:Bucket")).toThrow(/is not a resource URN/);
  });
});
