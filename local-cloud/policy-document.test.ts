import { describe, expect, it } from "vitest";
import { renderPolicyDocument } from "./invokes/policy-document.js";

// The renderer on its own: the IAM JSON that aws.iam.getPolicyDocument returns.

describe("renderPolicyDocument", () => {
  it("renders statements as IAM JSON, in Terraform's key order and list shapes", () => {
    const rendered = renderPolicyDocument({
      statements: [
        {
          sid: "AllowUseViaRds",
          actions: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }],
          conditions: [
            { test: "StringEquals", variable: "kms:ViaService", values: ["rds.eu-west-1.amazonaws.com"] },
            { test: "StringEquals", variable: "kms:CallerAccount", values: ["123456789012"] },
          ],
        },
        { effect: "Deny", notActions: ["s3:GetObject"], notResources: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"], principals: [{ type: "*", identifiers: ["*"] }] },
      ],
    });
    const document: unknown = JSON.parse(rendered.json);
    expect(document).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowUseViaRds",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey*", "kms:Encrypt", "kms:Decrypt"],
          Resource: "*",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "rds.eu-west-1.amazonaws.com" } },
        },
        { Effect: "Deny", NotAction: "s3:GetObject", NotResource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"], Principal: "*" },
      ],
    });
    // Key order is part of the format (diffs and snapshots see it).
    expect(Object.keys((document as { Statement: Record<string, unknown>[] }).Statement[0] ?? {})).toEqual([
      "Sid",
      "Effect",
      "Action",
      "Resource",
      "Principal",
      "Condition",
    ]);
    expect(rendered.json).toContain('\n  "Statement": [\n    {\n      "Sid": "AllowUseViaRds"');
    expect(rendered.minifiedJson).toBe(JSON.stringify(document));
  });

  it("groups principals by type with sorted keys and keeps multiple identifiers as a list", () => {
    const { json } = renderPolicyDocument({
      statements: [
        {
          actions: ["sts:AssumeRole"],
          principals: [
            { type: "Service", identifiers: ["ec2.amazonaws.com"] },
            { type: "AWS", identifiers: ["arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"] },
          ],
        },
      ],
    });
    expect(JSON.parse(json)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:root"], Service: "ec2.amazonaws.com" },
        },
      ],
    });
  });

  it("merges source and override documents by Sid", () => {
    const source = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const override = JSON.stringify({ Statement: [{ Sid: "B", Effect: "Deny", Action: "s3:*", Resource: "*" }] });
    const { json } = renderPolicyDocument({
      policyId: "shop",
      sourcePolicyDocuments: [source],
      overridePolicyDocuments: [override],
      statements: [
        { sid: "B", actions: ["s3:PutObject"], resources: ["*"] },
        { sid: "C", actions: ["s3:ListBucket"], resources: ["*"] },
      ],
    });
    const document = JSON.parse(json) as { Id: string; Statement: { Sid: string; Effect: string }[] };
    expect(document.Id).toBe("shop");
    expect(document.Statement.map((s) => `${s.Sid}:${s.Effect}`)).toEqual(["A:Allow", "B:Deny", "C:Allow"]);
  });
});
