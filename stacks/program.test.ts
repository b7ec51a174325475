import { describe, expect, it } from "vitest";
import { ConfigError } from "./config/index.js";
import { findResources, runUnderMocks } from "./mock-cloud/index.js";
import { runStackOffline } from "./offline.js";

describe("the program under the mock cloud", () => {
  it("dev declares a primary and an edge provider and nothing in a DR region", async () => {
    const run = await runStackOffline("dev");
    const providers = findResources(run.resources, "pulumi:providers:aws");
    expect(providers.map((provider) => [provider.name, provider.region]).sort()).toEqual([["edge", "us-east-1"], ["primary", "eu-west-1"]]);
    expect(run.outputs).toMatchObject({ tier: "dev", primaryRegion: "eu-west-1", drStrategy: "none" });
    expect(run.outputs.drRegion).toBeUndefined();
  });

  it.each([["staging", "pilot-light"], ["prod", "warm-standby"]])("%s adds a DR provider in eu-central-1 (%s)", async (stack, strategy) => {
    const run = await runStackOffline(stack);
    const dr = findResources(run.resources, "pulumi:providers:aws").find((provider) => provider.name === "dr");
    expect(dr?.region).toBe("eu-central-1");
    expect(run.outputs).toMatchObject({ drStrategy: strategy, drRegion: "eu-central-1" });
  });

  it("every provider carries the platform's default tags", async () => {
    const run = await runStackOffline("prod");
    for (const provider of findResources(run.resources, "pulumi:providers:aws")) {
      const tags = JSON.parse(String(provider.inputs.defaultTags)) as { tags: Record<string, string> };
      expect(tags.tags).toEqual({ Project: "shop-platform", Environment: "prod", Tier: "prod", Owner: "platform-team", CostCenter: "CC-1001" });
    }
  });

  it("a bad config throws a ConfigError and declares nothing", async () => {
    let caught: unknown;
    const run = await runUnderMocks(async () => {
      const { default: main } = await import("./index.js");
      try {
        return main();
      } catch (error) {
        caught = error;
        return undefined;
      }
    }, { stack: "broken", config: { "shop:tier": "prod", "shop:primaryRegion": "eu-west-1", "shop:web": JSON.stringify({ minSize: 20 }) } });
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(["shop:web.minSize", "shop:tags", "shop:domain"]));
    expect(run.resources.filter((resource) => resource.custom)).toEqual([]);
  });
});
