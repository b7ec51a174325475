import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIER_DEFAULTS, type StackConfig } from "../../stacks/config/index.js";
import { loadPolicySummarizer, toPolicyReport } from "./policy.js";

let dir = "";
const context = { stack: "dev", config: TIER_DEFAULTS.dev as unknown as StackConfig };
const moduleUrl = (name: string) => pathToFileURL(path.join(dir, name)).href;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "shopctl-policy-"));
  await writeFile(path.join(dir, "counting.mjs"), `
    export async function evaluateOffline(resources, context) {
      const buckets = resources.filter((r) => r.type === "aws:s3/bucket:Bucket");
      return {
        resources: resources.length,
        mandatory: buckets.length,
        advisory: 1,
        violations: [
          ...buckets.map((b) => ({ policy: "s3-no-public-access", enforcementLevel: "mandatory", urn: b.urn, message: "public in " + context.stack })),
          { policy: "tags", enforcementLevel: "advisory", urn: null, message: "missing DataClass" },
        ],
      };
    }`);
  await writeFile(path.join(dir, "wrong-shape.mjs"), "export function evaluateOffline() { return { passed: true }; }");
  await writeFile(path.join(dir, "throws.mjs"), "export function evaluateOffline() { throw new Error('rule s3 crashed'); }");
  await writeFile(path.join(dir, "no-export.mjs"), "export const nothing = 1;");
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const resource = (type: string, name: string) => ({ type, name, urn: `urn:pulumi:dev::shop-platform::${type}::${name}`, parent: undefined, provider: undefined, region: "eu-west-1", custom: true, id: name, inputs: {}, outputs: {}, secretProperties: [], unknownProperties: [], ignoreChanges: [] });

describe("the policy summarizer", () => {
  it("reports the evaluator's counts and violations; mandatory violations fail", async () => {
    const summarize = await loadPolicySummarizer(moduleUrl("counting.mjs"));
    const report = await summarize([resource("aws:s3/bucket:Bucket", "assets"), resource("aws:kms/key:Key", "k")], context);
    expect(report).toEqual({
      status: "failed",
      resources: 2,
      mandatory: 1,
      advisory: 1,
      violations: [
        { policy: "s3-no-public-access", enforcement: "mandatory", urn: "urn:pulumi:dev::shop-platform::aws:s3/bucket:Bucket::assets", message: "public in dev" },
        { policy: "tags", enforcement: "advisory", urn: null, message: "missing DataClass" },
      ],
      notEvaluated: 0,
    });
    expect((await summarize([resource("aws:kms/key:Key", "k")], context)).status).toBe("passed");
  });

  it.each([
    ["missing.mjs", /offline evaluator \(.*missing\.mjs, evaluateOffline\) is not part of this build yet/],
    ["no-export.mjs", /has no evaluateOffline\(\) function/],
    ["wrong-shape.mjs", /unexpected summary \(resources: .*mandatory/],
    ["throws.mjs", /the policy evaluator failed: rule s3 crashed/],
  ])("is honest when the evaluator is %s: unavailable, with the reason, never a pass", async (file, reason) => {
    const summarize = await loadPolicySummarizer(moduleUrl(file));
    const report = await summarize([], context);
    expect(report.status).toBe("unavailable");
    expect(report).toMatchObject({ reason: expect.stringMatching(reason) as unknown });
  });

  it("carries the count of checks a value unknown at plan time left undecided, which never fails", () => {
    expect(toPolicyReport({ resources: 3, mandatory: 0, advisory: 0, violations: [], notEvaluated: 4 })).toMatchObject({ status: "passed", notEvaluated: 4 });
  });

  it("accepts the policy and enforcement field names the evaluator's findings use", () => {
    expect(toPolicyReport({ resources: 1, mandatory: 0, advisory: 1, violations: [{ policyName: "p", enforcement: "advisory", resourceUrn: "u", message: "m" }] }))
      .toMatchObject({ status: "passed", violations: [{ policy: "p", enforcement: "advisory", urn: "u", message: "m" }] });
  });
});
