import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { STACK_CONFIG_KEYS, stackConfigSchema, TIERS } from "../../stacks/config/schema.js";
import { TIER_DEFAULTS } from "../../stacks/config/tier-defaults.js";
import { extractConfig, renderConfig } from "./config.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const schemaFile = "stacks/config/schema.ts";
const schemaText = readFileSync(path.join(repoRoot, schemaFile), "utf8");
const realSource = { schema: stackConfigSchema, tierDefaults: TIER_DEFAULTS, tiers: TIERS, schemaFile, schemaText, namespace: "shop" };

describe("config reference", () => {
  const { keys } = extractConfig(realSource);
  const markdown = renderConfig(keys, realSource, "the schema");

  it("lists every top-level key of the real schema, each with its own section", () => {
    const topLevel = keys.filter((key) => !key.path.includes(".")).map((key) => key.path);
    expect([...topLevel].sort()).toEqual([...STACK_CONFIG_KEYS].sort());
    for (const key of STACK_CONFIG_KEYS) expect(markdown).toContain(`## shop:${key}\n`);
  });

  it("lists the fields of object keys with their per-tier defaults", () => {
    const minSize = keys.find((key) => key.path === "web.minSize");
    expect(minSize).toMatchObject({ type: "integer", required: true });
    expect(minSize?.defaults).toEqual(TIERS.map((tier) => ({ tier, value: (TIER_DEFAULTS[tier].web as Record<string, unknown>).minSize })));
    expect(schemaText.split("\n")[(minSize?.line ?? 0) - 1]).toContain("minSize:");
  });

  it("reports a key without a description at its line in the schema source", () => {
    const text = [
      "import { z } from \"zod\";",
      "export const stackConfigSchema = z.strictObject({",
      "  size: z.int().min(1).max(9).describe(\"How big.\"),",
      "  nested: z.strictObject({",
      "    colour: z.enum([\"red\", \"blue\"]),",
      "  }).describe(\"A group.\"),",
      "});",
    ].join("\n");
    const schema = z.strictObject({
      size: z.int().min(1).max(9).describe("How big."),
      nested: z.strictObject({ colour: z.enum(["red", "blue"]) }).describe("A group."),
    });
    const extraction = extractConfig({ schema, tierDefaults: { dev: { size: 1 } }, tiers: ["dev"], schemaFile: "schema.ts", schemaText: text, namespace: "x" });
    expect(extraction.problems).toEqual([
      { file: "schema.ts", line: 5, message: "config key x:nested.colour has no description; add .describe(\"...\") to its zod schema" },
    ]);
    const size = extraction.keys.find((key) => key.path === "size");
    expect(size).toMatchObject({ allowed: "1 to 9", description: "How big.", defaults: [{ tier: "dev", value: 1 }] });
    expect(extraction.keys.find((key) => key.path === "nested.colour")?.allowed).toBe('one of `"red"`, `"blue"`');
  });
});
