import type { Policy } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { initialConfigLayer, parsePackConfig, reconcileConfig } from "./config.js";
import { PolicyConfigError } from "./errors.js";

const retention: Policy = {
  name: "retention",
  description: "keeps things",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumDays: { type: "integer", minimum: 1, default: 365 },
      regions: { type: "array", items: { type: "string" }, default: [] },
    },
  },
};
const tags: Policy = { name: "tags", description: "tags", configSchema: { properties: { keys: { type: "array", items: { type: "string" } } }, required: ["keys"] } };
const plain: Policy = { name: "plain", description: "no config", enforcementLevel: "advisory" };

function errorOf(run: () => unknown): PolicyConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof PolicyConfigError) return error;
    throw error;
  }
  throw new Error("expected a PolicyConfigError");
}

describe("policy config, resolved as the engine resolves it", () => {
  it("starts from schema defaults and each policy's level (the pack's level when it declares none)", () => {
    const config = reconcileConfig([retention, plain, { name: "bare", description: "" }], "advisory", []);
    expect(config.get("retention")).toEqual({ enforcementLevel: "mandatory", properties: { minimumDays: 365, regions: [] } });
    expect(config.get("plain")).toEqual({ enforcementLevel: "advisory", properties: {} });
    expect(config.get("bare")?.enforcementLevel).toBe("advisory");
  });

  it("applies the initial config, then each file in order, property by property", () => {
    const initial = initialConfigLayer({ retention: { minimumDays: 30, regions: ["eu-west-1"] } });
    const derived = parsePackConfig({ retention: { minimumDays: 90 } }, "derived");
    const file = parsePackConfig({ retention: "advisory", plain: { enforcementLevel: "disabled" } }, "file");
    const config = reconcileConfig([retention, plain], "advisory", [initial, derived, file]);
    expect(config.get("retention")).toEqual({ enforcementLevel: "advisory", properties: { minimumDays: 90, regions: ["eu-west-1"] } });
    expect(config.get("plain")?.enforcementLevel).toBe("disabled");
  });

  it("\"all\" sets every policy's level, and a later per-policy entry still wins", () => {
    const config = reconcileConfig([retention, plain], "advisory", [parsePackConfig({ all: "mandatory", plain: "advisory" }, "file")]);
    expect(config.get("retention")?.enforcementLevel).toBe("mandatory");
    expect(config.get("plain")?.enforcementLevel).toBe("advisory");
  });

  it("validates the result against every schema and lists each problem with its policy", () => {
    const error = errorOf(() => reconcileConfig([retention, tags], "advisory", [parsePackConfig({ retention: { minimumDays: 0, regions: "eu" } }, "file")], "policy-config.json"));
    expect(error.source).toBe("policy-config.json");
    expect(error.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^retention: minimumDays: /),
      expect.stringMatching(/^retention: regions: /),
      expect.stringMatching(/^tags: keys: /),
    ]));
    expect(error.message).toMatch(/^policy-config\.json: 3 problem\(s\) in the policy pack config:\n {2}- retention: /);
  });

  it("keeps entries for policies the pack does not have, unused, as the engine does", () => {
    const config = reconcileConfig([plain], "advisory", [parsePackConfig({ "no-such-policy": "mandatory" }, "file")]);
    expect([...config.keys()]).toEqual(["plain"]);
  });

  it.each([
    [[1, 2], /expected a JSON object/],
    [{ retention: "blocking" }, /retention: "blocking" is not a valid enforcement level/],
    [{ retention: 7 }, /retention: 7 is not a valid value; must be a string or object/],
    [{ retention: { enforcementLevel: true } }, /retention: enforcementLevel true is not a valid enforcement level/],
    [{ environments: ["shop/prod"] }, /environments: Pulumi ESC environments cannot be resolved offline/],
  ])("refuses a bad config file %j with a clear message", (document, message) => {
    expect(errorOf(() => parsePackConfig(document, "cfg.json")).message).toMatch(message);
  });
});
