import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { providerConfigFrom } from "./provider-config.js";
import { fromWire, normalizeWireValue, toWire } from "./wire-values.js";

const SIG = pulumi.runtime.specialSigKey;

describe("wire values", () => {
  it("keeps secrets as secret wrappers and unknowns as the unknown sentinel", () => {
    const secret = { [SIG]: pulumi.runtime.specialSecretSig, value: { password: "pw" } };
    expect(normalizeWireValue({ a: secret, b: [pulumi.runtime.unknownValue] })).toEqual({ a: secret, b: [pulumi.runtime.unknownValue] });
  });

  it("turns a resource reference into its id, or its URN for a component", () => {
    const custom = { [SIG]: pulumi.runtime.specialResourceSig, urn: "urn:pulumi:dev::p::aws:ec2/vpc:Vpc::v", id: "vpc-1" };
    const component = { [SIG]: pulumi.runtime.specialResourceSig, urn: "urn:pulumi:dev::p::shop:x:X::c" };
    expect(normalizeWireValue([custom, component])).toEqual(["vpc-1", "urn:pulumi:dev::p::shop:x:X::c"]);
  });

  it("turns an output value into its value (secret stays secret, no value is unknown)", () => {
    const out = (fields: Record<string, unknown>) => ({ [SIG]: pulumi.runtime.specialOutputValueSig, ...fields });
    expect(normalizeWireValue(out({ value: "x" }))).toBe("x");
    expect(normalizeWireValue(out({ value: "x", secret: true }))).toEqual({ [SIG]: pulumi.runtime.specialSecretSig, value: "x" });
    expect(normalizeWireValue(out({}))).toBe(pulumi.runtime.unknownValue);
  });

  it("round-trips through a protobuf Struct, leaving undefined properties out", () => {
    const struct = toWire({ a: 1, b: undefined, c: { d: [true, null] } });
    expect(struct.toJavaScript()).toEqual({ a: 1, c: { d: [true, null] } });
    expect(fromWire(struct)).toEqual({ a: 1, c: { d: [true, null] } });
    expect(fromWire(undefined)).toEqual({});
  });

  it("refuses values that are not JSON-like, naming the type", () => {
    expect(() => toWire({ f: () => 1 })).toThrow(/cannot send a function to the engine/);
  });
});

describe("providerConfigFrom (Configure)", () => {
  it("reads region and defaultTags (the JSON string the SDK sends) from the provider's inputs", () => {
    const config = providerConfigFrom("aws", { region: "eu-west-1", defaultTags: JSON.stringify({ tags: { Tier: "dev" } }) }, new Map());
    expect(config).toEqual({ region: "eu-west-1", defaultTags: { Tier: "dev" } });
  });

  it("falls back to the aws:config:* variables, then to us-east-1 without tags", () => {
    const variables = new Map([
      ["aws:config:region", "ap-southeast-2"],
      ["aws:config:defaultTags", '{"tags":{"Owner":"me"}}'],
    ]);
    expect(providerConfigFrom("aws", {}, variables)).toEqual({ region: "ap-southeast-2", defaultTags: { Owner: "me" } });
    expect(providerConfigFrom("aws", {}, new Map())).toEqual({ region: "us-east-1", defaultTags: {} });
  });

  it("sees through a secret region", () => {
    const region = { [SIG]: pulumi.runtime.specialSecretSig, value: "eu-central-1" };
    expect(providerConfigFrom("aws", { region }, new Map()).region).toBe("eu-central-1");
  });
});
