import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { MockRunError, runUnderMocks } from "./index.js";

// Invokes (data sources) answered per token and per provider region.

const config = { "aws:region": "eu-west-1" };

describe("invokes", () => {
  it("lists the availability zones of the provider's region", async () => {
    const run = await runUnderMocks(
      async () => {
        const virginia = new aws.Provider("virginia", { region: "us-east-1" });
        const here = await aws.getAvailabilityZones({ state: "available" });
        const there = await aws.getAvailabilityZones({}, { provider: virginia });
        const outputForm = aws.getAvailabilityZonesOutput({ state: "available" }, { provider: virginia });
        return { here: here.names, hereIds: here.zoneIds, there: there.names, outputForm: outputForm.names };
      },
      { stack: "dev", config },
    );
    expect(run.outputs.here).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(run.outputs.hereIds).toEqual(["euw1-az1", "euw1-az2", "euw1-az3"]);
    expect(run.outputs.there).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]);
    expect(run.outputs.outputForm).toEqual(run.outputs.there);
  });

  it("answers identity, region and partition questions", async () => {
    const run = await runUnderMocks(
      async () => {
        const china = new aws.Provider("china", { region: "cn-northwest-1" });
        return {
          caller: await aws.getCallerIdentity({}),
          region: await aws.getRegion({}),
          partition: await aws.getPartition({}),
          chinaPartition: await aws.getPartition({}, { provider: china }),
        };
      },
      { stack: "dev", config },
    );
    expect(run.outputs.caller.accountId).toBe("123456789012");
    expect(run.outputs.region).toMatchObject({ region: "eu-west-1", name: "eu-west-1", description: "Europe (Ireland)" });
    expect(run.outputs.partition).toMatchObject({ partition: "aws", dnsSuffix: "amazonaws.com" });
    expect(run.outputs.chinaPartition).toMatchObject({ partition: "aws-cn", dnsSuffix: "amazonaws.com.cn" });
  });

  it("renders getPolicyDocument into real IAM JSON", async () => {
    const run = await runUnderMocks(
      async () => {
        const doc = await aws.iam.getPolicyDocument({
          statements: [
            {
              sid: "AllowCloudFront",
              actions: ["s3:GetObject"],
              resources: ["arn:aws:s3:::shop-assets/*"],
              principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
              conditions: [{ test: "StringEquals", variable: "AWS:SourceArn", values: ["arn:aws:cloudfront::123456789012:distribution/E1"] }],
            },
          ],
        });
        return { json: doc.json, minified: doc.minifiedJson };
      },
      { stack: "dev", config },
    );
    expect(JSON.parse(run.outputs.json)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowCloudFront",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::shop-assets/*",
          Principal: { Service: "cloudfront.amazonaws.com" },
          Condition: { StringEquals: { "AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1" } },
        },
      ],
    });
    expect(run.outputs.minified).not.toContain("\n");
  });

  it("knows the real per-region ids AWS publishes", async () => {
    const run = await runUnderMocks(
      async () => {
        const virginia = new aws.Provider("virginia", { region: "us-east-1" });
        const prefixList = await aws.ec2.getManagedPrefixList({ name: "com.amazonaws.global.cloudfront.origin-facing" });
        const prefixListUs = await aws.ec2.getManagedPrefixList({ name: "com.amazonaws.global.cloudfront.origin-facing" }, { provider: virginia });
        const elb = await aws.elb.getServiceAccount({});
        const ami = await aws.ssm.getParameter({ name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" });
        const caching = await aws.cloudfront.getCachePolicy({ name: "Managed-CachingOptimized" });
        const disabled = await aws.cloudfront.getCachePolicy({ name: "Managed-CachingDisabled" });
        const allViewer = await aws.cloudfront.getOriginRequestPolicy({ name: "Managed-AllViewerExceptHostHeader" });
        const headers = await aws.cloudfront.getResponseHeadersPolicy({ name: "Managed-SecurityHeadersPolicy" });
        return {
          prefixList: prefixList.id,
          prefixListUs: prefixListUs.id,
          elb: elb.arn,
          ami: ami.value,
          caching: caching.id,
          disabled: disabled.id,
          allViewer: allViewer.id,
          headers: headers.id,
        };
      },
      { stack: "dev", config },
    );
    expect(run.outputs).toEqual({
      prefixList: "pl-4fa04526",
      prefixListUs: "pl-3b927c52",
      elb: "arn:aws:iam::156460612806:root",
      ami: expect.stringMatching(/^ami-[0-9a-f]{17}$/) as unknown,
      caching: "658327ea-f89d-4fab-a63d-7e88639e58f6",
      disabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      allViewer: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      headers: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    });
  });

  it("finds what the program created and makes up stable answers for pre-existing things", async () => {
    const run = await runUnderMocks(
      async () => {
        const zone = await aws.route53.getZone({ name: "example.com" });
        const again = await aws.route53.getZone({ name: "example.com." });
        const managedKey = await aws.kms.getKey({ keyId: "alias/aws/s3" });
        const role = await aws.iam.getRole({ name: "AWSServiceRoleForAutoScaling" });
        const secret = await aws.secretsmanager.getSecret({ name: "shop/stripe" });
        const ami = await aws.ec2.getAmi({ owners: ["amazon"], mostRecent: true, filters: [{ name: "name", values: ["al2023-ami-*-arm64"] }] });
        return { zone, again: again.zoneId, managedKey, role: role.arn, secret: secret.arn, ami };
      },
      { stack: "dev", config },
    );
    const o = run.outputs;
    expect(o.zone.zoneId).toMatch(/^Z0[A-Z0-9]{19}$/);
    expect(o.again).toBe(o.zone.zoneId);
    expect(o.zone.name).toBe("example.com");
    expect(o.zone.nameServers).toHaveLength(4);
    expect(o.managedKey.keyManager).toBe("AWS");
    expect(o.managedKey.arn).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    expect(o.role).toBe("arn:aws:iam::123456789012:role/aws-service-role/AWSServiceRoleForAutoScaling");
    expect(o.secret).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop\/stripe-[0-9a-f]{6}$/);
    expect(o.ami.architecture).toBe("arm64");
    expect(o.ami.imageId).toMatch(/^ami-[0-9a-f]{17}$/);
  });

  it("fails loudly for an invoke it does not answer, naming the token", async () => {
    const run = runUnderMocks(
      async () => {
        await pulumi.runtime.invoke("aws:nosuch/getThing:getThing", { name: "x" });
        return {};
      },
      { stack: "dev", config },
    );
    await expect(run).rejects.toThrow(MockRunError);
    await expect(run).rejects.toThrow(/aws:nosuch\/getThing:getThing.*local-cloud\/invokes/s);
  });

  it("fails loudly for an unknown invoke in output form too, even when a resource consumes it", async () => {
    const run = runUnderMocks(
      () => {
        const thing = pulumi.runtime.invokeOutput<{ id: string }>("aws:nosuch/getThing:getThing", {});
        new aws.s3.Bucket("consumer", { bucket: thing.apply((t) => t.id) });
        return {};
      },
      { stack: "dev", config },
    );
    await expect(run).rejects.toThrow(/invoke aws:nosuch\/getThing:getThing/);
  });

  it("refuses a private SSM parameter it cannot know", async () => {
    const run = runUnderMocks(async () => (await aws.ssm.getParameter({ name: "/shop/prod/db-host" })).value, { stack: "dev", config });
    await expect(run).rejects.toThrow(/ParameterNotFound.*stack config/s);
  });
});
