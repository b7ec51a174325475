import { describe, expect, it } from "vitest";
import { memoryIo } from "../../../test/memory-io.js";
import { stackOutputs } from "../../../test/stack-outputs.js";
import { StubEngine, stubDeps } from "../../../test/stub-engine.js";
import { RefusedError } from "../../exit-codes.js";
import { defaultStackAws } from "../../reindex/endpoints.js";
import { seed } from "./catalog-action.js";

describe("shopctl catalog seed", () => {
  it("is refused on a prod stack before anything is read or written", async () => {
    const live = stubDeps({ engine: new StubEngine({ outputs: { values: stackOutputs("prod"), secretKeys: [] } }) });
    const refusal = seed({ stack: "prod", json: false, region: "primary", schema: "catalog", dryRun: false, count: 10, seed: 1 }, memoryIo(), { live, stackAws: defaultStackAws });
    await expect(refusal).rejects.toBeInstanceOf(RefusedError);
    await expect(refusal).rejects.toThrow("shopctl catalog seed is refused on a prod stack: it writes synthetic products into the real catalog");
    expect(live.enginesCreated()).toBe(0);
    expect(live.checkInputs).toEqual([]);
  });
});
