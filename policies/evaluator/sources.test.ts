import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ResourceSourceError } from "./errors.js";
import { UNKNOWN } from "./resource.js";
import { fromCollected, fromPreviewJson, fromStackExport, REDACTED_SECRET } from "./sources.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8")) as unknown;
const SIG = "4dabf18193072939515e22adb298388d";

describe("resources from a `pulumi stack export` document", () => {
  const resources = fromStackExport(fixture("misconfigured.export.json"), "misconfigured.export.json");

  it("keeps every resource but pending deletions, named from their URN", () => {
    expect(resources.map((resource) => resource.name)).not.toContain("old-exports");
    expect(resources.find((resource) => resource.type === "aws:rds/instance:Instance")).toMatchObject({
      name: "catalog-db",
      parent: "urn:pulumi:prod::shop-platform::shop:data:Database::catalog",
      provider: expect.stringMatching(/pulumi:providers:aws::default_7_48_0::2b9a6f4e/) as unknown,
      dependencies: ["urn:pulumi:prod::shop-platform::shop:data:Database::catalog"],
    });
  });

  it("redacts secrets it cannot decrypt, as `pulumi policy analyze --file` does", () => {
    const database = resources.find((resource) => resource.name === "catalog-db");
    expect(database?.inputs.password).toBe(REDACTED_SECRET);
  });

  it("decodes plaintext secrets, resource references and assets", () => {
    const [decoded] = fromStackExport({
      version: 3,
      deployment: {
        resources: [{
          urn: "urn:pulumi:qa::p::aws:ec2/instance:Instance::web", type: "aws:ec2/instance:Instance", custom: true,
          inputs: {
            userData: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("#!/bin/bash") },
            subnetId: { [SIG]: "5cf8f73096256a8f31e491e813e4eb8e", urn: "urn:pulumi:qa::p::aws:ec2/subnet:Subnet::a", id: "subnet-1" },
            code: { [SIG]: "c44067f5952c0a294b673a41bacd8c17", path: "./app.zip", hash: "abc" },
            nested: [{ secret: { [SIG]: "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify({ a: 1 }) } }],
          },
        }],
      },
    }, "inline");
    expect(decoded?.inputs).toEqual({ userData: "#!/bin/bash", subnetId: "subnet-1", code: { path: "./app.zip", hash: "abc" }, nested: [{ secret: { a: 1 } }] });
  });

  it.each([
    [{ deployment: { resources: [] } }, /not a `pulumi stack export` document:[\s\S]*version: version 3/],
    [{ version: 2, deployment: { resources: [] } }, /version 3 \(the format `pulumi stack export` writes\)/],
    [{ version: 3, deployment: { resources: [{ type: "aws:s3/bucket:Bucket" }] } }, /deployment\.resources\.0\.urn/],
    [{ version: 3, deployment: { resources: [{ urn: "bucket", type: "aws:s3/bucket:Bucket" }] } }, /a Pulumi URN/],
    [{ steps: [] }, /a `pulumi preview --json` document, not a stack export: pass it with --from-preview/],
    ["just text", /not a `pulumi stack export` document/],
  ])("refuses %j with a clear message", (document, message) => {
    expect(() => fromStackExport(document, "x.json")).toThrow(ResourceSourceError);
    expect(() => fromStackExport(document, "x.json")).toThrow(message);
  });
});

describe("resources from a `pulumi preview --json` document", () => {
  const resources = fromPreviewJson(fixture("preview.json"), "preview.json");

  it("takes each step's new state and leaves out deletions", () => {
    expect(resources.map((resource) => resource.name)).toEqual(["shop-platform-prod", "default_7_48_0", "assets", "assets", "catalog"]);
  });

  it("keeps unknown values as the engine's marker and analyses inputs as the planned state", () => {
    const bucket = resources.find((resource) => resource.type === "aws:s3/bucket:Bucket");
    expect(bucket?.inputs.bucket).toBe(UNKNOWN);
    expect(bucket?.outputs).toEqual(bucket?.inputs);
    const block = resources.find((resource) => resource.type.endsWith("BucketPublicAccessBlock"));
    expect(block?.propertyDependencies).toEqual({ bucket: [bucket?.urn] });
  });

  it("uses the last state of a URN that several steps touch (a replacement)", () => {
    const urn = "urn:pulumi:qa::p::aws:sns/topic:Topic::alarms";
    const state = (name: string) => ({ urn, type: "aws:sns/topic:Topic", custom: true, inputs: { name } });
    const planned = fromPreviewJson({ steps: [{ op: "create-replacement", urn, newState: state("new") }, { op: "replace", urn, newState: state("newest") }, { op: "delete-replaced", urn, oldState: state("old") }] }, "x");
    expect(planned.map((resource) => resource.inputs.name)).toEqual(["newest"]);
  });

  it.each([
    [{ version: 3, deployment: { resources: [] } }, /a `pulumi stack export` document, not a preview: pass it with --from-export/],
    [{ config: {} }, /not a `pulumi preview --json` document:[\s\S]*steps/],
    [{ steps: [{ op: "create" }] }, /steps\.0\.urn/],
  ])("refuses %j with a clear message", (document, message) => {
    expect(() => fromPreviewJson(document, "x.json")).toThrow(message);
  });
});

describe("resources from the program under the mock cloud", () => {
  const collected = [
    { type: "pulumi:pulumi:Stack", name: "shop-platform-dev", urn: "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev", parent: undefined, provider: undefined, custom: false, id: undefined, inputs: {}, outputs: {} },
    { type: "pulumi:providers:aws", name: "edge", urn: "urn:pulumi:dev::shop-platform::pulumi:providers:aws::edge", parent: "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev", provider: undefined, custom: true, id: "p-1", inputs: { region: "us-east-1" }, outputs: { region: "us-east-1" } },
    { type: "aws:s3/bucket:Bucket", name: "assets", urn: "urn:pulumi:dev::shop-platform::aws:s3/bucket:Bucket::assets", parent: "urn:pulumi:dev::shop-platform::pulumi:pulumi:Stack::shop-platform-dev", provider: undefined, custom: true, id: "assets-123", inputs: { bucketPrefix: "assets" }, outputs: { bucket: "assets-123", region: "eu-west-1" }, unknownProperties: ["arn"] },
    { type: "aws:wafv2/webAcl:WebAcl", name: "acl", urn: "urn:pulumi:dev::shop-platform::aws:wafv2/webAcl:WebAcl::acl", parent: undefined, provider: "urn:pulumi:dev::shop-platform::pulumi:providers:aws::edge::p-1", custom: true, id: "acl-1", inputs: {}, outputs: {} },
  ];
  const resources = fromCollected(collected, { defaultRegion: "eu-west-1" });

  it("gives resources without an explicit provider the stack's default provider, in the stack's region", () => {
    const defaults = resources.find((resource) => resource.name === "default");
    expect(defaults).toMatchObject({ type: "pulumi:providers:aws", urn: "urn:pulumi:dev::shop-platform::pulumi:providers:aws::default", inputs: { region: "eu-west-1" } });
    expect(resources.find((resource) => resource.name === "assets")?.provider).toBe("urn:pulumi:dev::shop-platform::pulumi:providers:aws::default::default");
    expect(resources.find((resource) => resource.name === "acl")?.provider).toBe("urn:pulumi:dev::shop-platform::pulumi:providers:aws::edge::p-1");
  });

  it("adds the id to the state and marks values a preview could not know", () => {
    expect(resources.find((resource) => resource.name === "assets")?.outputs).toEqual({ bucket: "assets-123", region: "eu-west-1", id: "assets-123", arn: UNKNOWN });
  });
});
