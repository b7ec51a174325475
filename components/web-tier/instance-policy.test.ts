import { describe, expect, it } from "vitest";
import { instancePolicyDocument, type InstancePolicyInputs, parameterArn, UNSCOPABLE_ACTIONS } from "./instance-policy.js";

const INPUTS: InstancePolicyInputs = {
  partition: "aws",
  region: "eu-central-1",
  account: "123456789012",
  dnsSuffix: "amazonaws.com",
  artifact: { bucket: "artifacts", key: "app.tar.gz", versioned: false, kmsKeyArn: undefined },
  parameterNames: ["/shop/dr/runtime/a", "shop-b", "/shop/dr/runtime/a"],
  databaseSecretArn: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:db-AbCdEf",
  secretsKmsKeyArn: undefined,
  appLogGroupArn: "arn:aws:logs:eu-central-1:123456789012:log-group:/shop/dr/web/app",
  metricsNamespace: "Shop/WebTier",
};

describe("instancePolicyDocument", () => {
  it("names parameters in the fleet's own region, with or without a leading slash, once each", () => {
    expect(parameterArn(INPUTS, "/shop/x")).toBe("arn:aws:ssm:eu-central-1:123456789012:parameter/shop/x");
    expect(parameterArn(INPUTS, "shop-x")).toBe("arn:aws:ssm:eu-central-1:123456789012:parameter/shop-x");
    const read = instancePolicyDocument(INPUTS).Statement.find((statement) => statement.Sid === "ReadRuntimeParameters");
    expect(read?.Resource).toEqual([
      "arn:aws:ssm:eu-central-1:123456789012:parameter/shop/dr/runtime/a",
      "arn:aws:ssm:eu-central-1:123456789012:parameter/shop-b",
    ]);
  });

  it("puts '*' only on actions AWS cannot scope, and conditions the metric write", () => {
    const wildcard = instancePolicyDocument(INPUTS).Statement.filter((statement) => [statement.Resource].flat().includes("*"));
    expect(wildcard.flatMap((statement) => statement.Action).sort()).toEqual([...UNSCOPABLE_ACTIONS].sort());
    expect(wildcard.find((statement) => statement.Action.includes("cloudwatch:PutMetricData"))?.Condition).toEqual({
      StringEquals: { "cloudwatch:namespace": "Shop/WebTier" },
    });
  });
});
