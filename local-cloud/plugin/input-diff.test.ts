import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { diffInputs } from "./input-diff.js";

const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });

describe("diffInputs (old inputs against new inputs)", () => {
  const olds = { cidrBlock: "10.0.0.0/16", tags: { Name: "shop", Tier: "dev" }, subnetIds: ["subnet-1", "subnet-2"], enableDnsSupport: true };

  it("finds no change when nothing changed", () => {
    expect(diffInputs(olds, structuredClone(olds))).toEqual({ changed: false, diffs: [], detailed: {} });
  });

  it("reports a nested change as a change of its top-level property", () => {
    const diff = diffInputs(olds, { ...olds, tags: { Name: "shop", Tier: "prod" } });
    expect(diff).toEqual({ changed: true, diffs: ["tags"], detailed: { tags: "update" } });
  });

  it("tells added, removed and updated properties apart, sorted by name", () => {
    const { cidrBlock: _removed, ...rest } = olds;
    const diff = diffInputs(olds, { ...rest, subnetIds: ["subnet-2", "subnet-1"], instanceTenancy: "default" });
    expect(diff.diffs).toEqual(["cidrBlock", "instanceTenancy", "subnetIds"]);
    expect(diff.detailed).toEqual({ cidrBlock: "delete", instanceTenancy: "add", subnetIds: "update" });
  });

  it("treats null, undefined and absent alike, at any depth", () => {
    expect(diffInputs({ a: null, b: { c: undefined } }, { b: {} }).changed).toBe(false);
    expect(diffInputs({ a: 1 }, { a: 1, b: null }).changed).toBe(false);
  });

  it("compares secrets by value: making a value secret is not an update", () => {
    expect(diffInputs({ password: "pw", nested: { key: "k" } }, { password: secret("pw"), nested: secret({ key: "k" }) }).changed).toBe(false);
    expect(diffInputs({ password: secret("pw") }, { password: secret("other") }).diffs).toEqual(["password"]);
  });

  it("counts a value unknown in a preview as a change", () => {
    expect(diffInputs({ vpcId: "vpc-1" }, { vpcId: pulumi.runtime.unknownValue }).detailed).toEqual({ vpcId: "update" });
  });

  it("does not confuse types: 1 is not '1', [] is not {}", () => {
    expect(diffInputs({ a: 1, b: [] }, { a: "1", b: {} }).diffs).toEqual(["a", "b"]);
  });

  it("never reports a write-only argument (AWS never returns it); its version companion decides", () => {
    const olds = { passwordWo: secret("first"), passwordWoVersion: 1, secretStringWo: "a" };
    expect(diffInputs(olds, { ...olds, passwordWo: secret("second"), secretStringWo: "b" }).changed).toBe(false);
    expect(diffInputs(olds, { ...olds, passwordWo: secret("second"), passwordWoVersion: 2 }).diffs).toEqual(["passwordWoVersion"]);
  });

  it("skips the properties listed in ignoreChanges", () => {
    expect(diffInputs(olds, { ...olds, tags: {} }, ["tags"]).changed).toBe(false);
  });
});
