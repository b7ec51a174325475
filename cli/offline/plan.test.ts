import { describe, expect, it } from "vitest";
import { loadStack } from "../../stacks/config/index.js";
import type { CollectedResource } from "../../local-cloud/index.js";
import { runStackOffline } from "../../stacks/offline.js";
import { planFrom } from "./plan.js";
import { renderPlan, renderPolicy } from "./render.js";

const STACK = "urn:pulumi:prod::shop-platform::pulumi:pulumi:Stack::shop-platform-prod";
function collected(type: string, name: string, parent: string | undefined, region: string | undefined, custom = true): CollectedResource {
  const parentType = parent?.split("::")[2]?.split("$").pop();
  const urn = `urn:pulumi:prod::shop-platform::${parentType === undefined ? "" : `${parentType}$`}${type}::${name}`;
  return { type, name, urn, parent, provider: undefined, region, custom, id: custom ? name : undefined, inputs: {}, outputs: {}, secretProperties: [], unknownProperties: [], ignoreChanges: [] };
}

describe("planFrom (a hand-made stack)", () => {
  const stack = collected("pulumi:pulumi:Stack", "shop-platform-prod", undefined, undefined, false);
  const provider = collected("pulumi:providers:aws", "primary", STACK, "eu-west-1");
  const database = collected("shop:data:Database", "catalog", STACK, undefined, false);
  const keys = collected("shop:security:Keys", "catalog-keys", database.urn, undefined, false);
  const key = collected("aws:kms/key:Key", "catalog-key", keys.urn, "eu-west-1");
  const db = collected("aws:rds/instance:Instance", "catalog-db", database.urn, "eu-west-1");
  const replica = collected("aws:rds/instance:Instance", "catalog-replica", database.urn, "eu-central-1");
  const plan = planFrom("prod", [{ ...stack, urn: STACK }, provider, database, keys, key, db, replica]);

  it("lists every resource but the stack with type, name, urn, parent and region", () => {
    expect(plan.resources.map((resource) => [resource.name, resource.parent === null ? null : resource.parent.split("::").pop(), resource.region, resource.component])).toEqual([
      ["primary", null, "eu-west-1", null],
      ["catalog", null, null, "catalog"],
      ["catalog-keys", "catalog", "eu-west-1", "catalog"],
      ["catalog-key", "catalog-keys", "eu-west-1", "catalog"],
      ["catalog-db", "catalog", "eu-west-1", "catalog"],
      ["catalog-replica", "catalog", "eu-central-1", "catalog"],
    ]);
  });

  it("groups cloud resources by top-level component, then region, with counts by type", () => {
    expect(plan.groups).toEqual([
      { component: "stack", type: null, total: 1, components: 0, regions: [{ region: "eu-west-1", total: 1, types: [{ type: "pulumi:providers:aws", count: 1 }] }] },
      {
        component: "catalog", type: "shop:data:Database", total: 3, components: 1,
        regions: [
          { region: "eu-west-1", total: 2, types: [{ type: "aws:kms/key:Key", count: 1 }, { type: "aws:rds/instance:Instance", count: 1 }] },
          { region: "eu-central-1", total: 1, types: [{ type: "aws:rds/instance:Instance", count: 1 }] },
        ],
      },
    ]);
    expect(plan.regions.map((region) => [region.region, region.total])).toEqual([["eu-west-1", 3], ["eu-central-1", 1]]);
  });

  it("renders one block per component with its regions and type counts", () => {
    const text = renderPlan(plan);
    expect(text).toContain("Stack prod: 4 resources in 2 regions, 2 components");
    expect(text).toContain("catalog (shop:data:Database): 3 resources, 1 nested component\n  eu-west-1 (2)\n       1  aws:kms/key:Key\n       1  aws:rds/instance:Instance\n  eu-central-1 (1)");
    expect(text).toContain("By region: eu-west-1 3, eu-central-1 1");
  });

  it("renders the policy verdict, or why there is none", () => {
    expect(renderPolicy({ status: "unavailable", reason: "not built yet" })).toBe("Policy: not checked: not built yet");
    expect(renderPolicy({ status: "failed", resources: 4, mandatory: 1, advisory: 0, violations: [{ policy: "rds-encrypted", enforcement: "mandatory", urn: db.urn, message: "storage is not encrypted" }] }))
      .toContain("Policy: failed (4 resources checked; 1 mandatory, 0 advisory violations)\n  MANDATORY  rds-encrypted: storage is not encrypted");
  });
});

describe("planFrom (the sample stacks under the mock cloud)", () => {
  it.each(["dev", "staging", "prod"])("%s: every resource has a type, name, urn and (cloud resources) a region; providers sit in their regions", async (name) => {
    const loaded = await loadStack(name);
    const run = await runStackOffline(loaded);
    const plan = planFrom(name, run.resources);
    expect(plan.resources.length).toBe(run.resources.length - 1);
    for (const resource of plan.resources) {
      expect(resource.type).not.toBe("");
      expect(resource.name).not.toBe("");
      expect(resource.urn).toMatch(new RegExp(`^urn:pulumi:${name}::shop-platform::`));
      if (resource.custom) expect(resource.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
    }
    const providers = plan.resources.filter((resource) => resource.type === "pulumi:providers:aws");
    const regions = Object.fromEntries(providers.map((provider) => [provider.name, provider.region]));
    expect(regions).toMatchObject({ primary: loaded.config.primaryRegion, edge: "us-east-1" });
    if (loaded.config.drRegion === undefined) {
      // No DR region: everything lives in the primary region or at the edge (us-east-1).
      expect(new Set(plan.resources.map((resource) => resource.region ?? loaded.config.primaryRegion))).toEqual(new Set([loaded.config.primaryRegion, "us-east-1"]));
    } else {
      expect(regions.dr).toBe(loaded.config.drRegion);
    }
    expect(plan.groups.map((group) => group.component)).toContain("stack");
    expect(plan.groups.reduce((sum, group) => sum + group.total, 0)).toBe(plan.resources.filter((resource) => resource.custom).length);
  });
});
