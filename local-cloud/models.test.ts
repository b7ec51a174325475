import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { resourceModels, runUnderMocks } from "./index.js";

// Guards on the model table itself: every token is a real @pulumi/aws v7 class, and every model
// answers even when the program leaves all optional inputs out.

class AnyResource extends pulumi.CustomResource {}

/** `aws:s3/bucket:Bucket` → the `aws.s3.Bucket` class's own type token. */
function sdkTokenOf(token: string): unknown {
  const [, modulePath = "", className = ""] = token.split(":");
  const moduleName = modulePath.split("/")[0] ?? "";
  const namespace: unknown = (aws as unknown as Record<string, unknown>)[moduleName];
  const cls: unknown = typeof namespace === "object" && namespace !== null ? (namespace as Record<string, unknown>)[className] : undefined;
  return typeof cls === "function" ? (cls as unknown as { __pulumiType?: unknown }).__pulumiType : undefined;
}

describe("the model table", () => {
  it("only holds type tokens that @pulumi/aws really exports", () => {
    const unknown = Object.keys(resourceModels).filter((token) => sdkTokenOf(token) !== token);
    expect(unknown).toEqual([]);
  });

  it("answers every modelled type with an id, even with no inputs", async () => {
    const tokens = Object.keys(resourceModels);
    const run = await runUnderMocks(
      () => {
        const provider = new aws.Provider("sydney", { region: "ap-southeast-2" });
        tokens.forEach((token, index) => new AnyResource(token, `r${index}`, {}, { provider }));
        return {};
      },
      { stack: "dev" },
    );
    const custom = run.resources.filter((resource) => resource.custom && !resource.type.startsWith("pulumi:providers:"));
    expect(custom.map((resource) => resource.type).sort()).toEqual([...tokens].sort());
    for (const resource of custom) {
      expect(resource.id, resource.type).toEqual(expect.any(String));
      expect(resource.region, resource.type).toBe("ap-southeast-2");
      const arn = resource.outputs.arn;
      if (typeof arn === "string" && arn !== "") expect(arn, resource.type).toMatch(/^arn:aws:[a-z0-9-]+:(ap-southeast-2|us-east-1)?:(123456789012)?:/);
    }
  });
});
