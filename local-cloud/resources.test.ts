import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { awaitOutput, findResource, findResources, MockRunError, runUnderMocks } from "./index.js";

// What the mock cloud answers per resource type: ARNs, ids, endpoints and names shaped like AWS's.

const baseConfig = { "aws:region": "eu-west-1" };

/** A custom resource of any type token, to stand for types the mock cloud does not model. */
class AnyResource extends pulumi.CustomResource {}

describe("resource outputs look like AWS's", () => {
  it("puts a KMS key's ARN in its provider's region, account and partition", async () => {
    const run = await runUnderMocks(
      () => {
        const frankfurt = new aws.Provider("frankfurt", { region: "eu-central-1" });
        const beijing = new aws.Provider("beijing", { region: "cn-north-1" });
        const here = new aws.kms.Key("default-region-key", { description: "default provider" });
        const there = new aws.kms.Key("frankfurt-key", { description: "explicit provider" }, { provider: frankfurt });
        const china = new aws.kms.Key("china-key", { description: "aws-cn" }, { provider: beijing });
        const alias = new aws.kms.Alias("frankfurt-alias", { name: "alias/shop-data", targetKeyId: there.keyId }, { provider: frankfurt });
        return { here: here.arn, there: there.arn, china: china.arn, keyId: there.keyId, aliasArn: alias.arn, target: alias.targetKeyArn };
      },
      { stack: "dev", config: baseConfig },
    );
    const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    expect(run.outputs.here).toMatch(new RegExp(`^arn:aws:kms:eu-west-1:123456789012:key/${uuid}$`));
    expect(run.outputs.there).toMatch(new RegExp(`^arn:aws:kms:eu-central-1:123456789012:key/${uuid}$`));
    expect(run.outputs.china).toMatch(new RegExp(`^arn:aws-cn:kms:cn-north-1:123456789012:key/${uuid}$`));
    expect(run.outputs.there).toBe(`arn:aws:kms:eu-central-1:123456789012:key/${run.outputs.keyId}`);
    expect(run.outputs.aliasArn).toBe("arn:aws:kms:eu-central-1:123456789012:alias/shop-data");
    expect(run.outputs.target).toBe(run.outputs.there);
    expect(findResource(run.resources, "aws:kms/key:Key", "china-key").region).toBe("cn-north-1");
  });

  it("gives S3 buckets global ARNs and regional domain names", async () => {
    const run = await runUnderMocks(
      () => {
        const named = new aws.s3.Bucket("assets", { bucket: "shop-assets-dev" });
        const auto = new aws.s3.Bucket("Logs");
        new aws.s3.BucketPublicAccessBlock("assets-pab", { bucket: named.id, blockPublicAcls: true });
        return {
          arn: named.arn,
          id: named.id,
          domain: named.bucketDomainName,
          regional: named.bucketRegionalDomainName,
          zone: named.hostedZoneId,
          auto: auto.bucket,
        };
      },
      { stack: "dev", config: baseConfig },
    );
    expect(run.outputs).toMatchObject({
      arn: "arn:aws:s3:::shop-assets-dev",
      id: "shop-assets-dev",
      domain: "shop-assets-dev.s3.amazonaws.com",
      regional: "shop-assets-dev.s3.eu-west-1.amazonaws.com",
      zone: "Z1BKCTXD74EZPE",
    });
    // Auto-named: lower-cased logical name plus Pulumi's 7-hex suffix.
    expect(run.outputs.auto).toMatch(/^logs-[0-9a-f]{7}$/);
    expect(findResource(run.resources, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").id).toBe("shop-assets-dev");
  });

  it("answers ALB, RDS, OpenSearch and CloudFront with their real endpoint formats", async () => {
    const run = await runUnderMocks(
      () => {
        const lb = new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: ["subnet-a", "subnet-b"] });
        const db = new aws.rds.Instance("catalog", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20 });
        const search = new aws.opensearch.Domain("search", {
          domainName: "shop-search",
          vpcOptions: { subnetIds: ["subnet-a"], securityGroupIds: ["sg-1"] },
        });
        const cdn = new aws.cloudfront.Distribution("cdn", {
          enabled: true,
          origins: [{ domainName: "origin.example.com", originId: "alb" }],
          defaultCacheBehavior: { targetOriginId: "alb", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
          restrictions: { geoRestriction: { restrictionType: "none" } },
          viewerCertificate: { cloudfrontDefaultCertificate: true },
        });
        return {
          lbDns: lb.dnsName,
          lbZone: lb.zoneId,
          lbArn: lb.arn,
          lbName: lb.name,
          dbEndpoint: db.endpoint,
          dbAddress: db.address,
          dbIdentifier: db.identifier,
          dbArn: db.arn,
          searchEndpoint: search.endpoint,
          searchArn: search.arn,
          cdnDomain: cdn.domainName,
          cdnZone: cdn.hostedZoneId,
          cdnArn: cdn.arn,
        };
      },
      { stack: "dev", config: baseConfig },
    );
    const o = run.outputs;
    expect(o.lbName).toMatch(/^web-[0-9a-f]{7}$/);
    expect(o.lbDns).toMatch(new RegExp(`^${o.lbName}-[1-9][0-9]{9}\\.eu-west-1\\.elb\\.amazonaws\\.com$`));
    expect(o.lbZone).toBe("Z32O12XQLNTSW2");
    expect(o.lbArn).toMatch(new RegExp(`^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/${o.lbName}/[0-9a-f]{16}$`));
    expect(o.dbIdentifier).toMatch(/^catalog-[0-9a-f]{7}$/);
    expect(o.dbEndpoint).toMatch(new RegExp(`^${o.dbIdentifier}\\.c[a-z0-9]{11}\\.eu-west-1\\.rds\\.amazonaws\\.com:5432$`));
    expect(o.dbEndpoint).toBe(`${o.dbAddress}:5432`);
    expect(o.dbArn).toBe(`arn:aws:rds:eu-west-1:123456789012:db:${o.dbIdentifier}`);
    expect(o.searchEndpoint).toMatch(/^vpc-shop-search-[a-z0-9]{26}\.eu-west-1\.es\.amazonaws\.com$/);
    expect(o.searchArn).toBe("arn:aws:es:eu-west-1:123456789012:domain/shop-search");
    expect(o.cdnDomain).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(o.cdnZone).toBe("Z2FDTNDATAQYW2");
    expect(o.cdnArn).toMatch(/^arn:aws:cloudfront::123456789012:distribution\/E[A-Z0-9]{13}$/);
  });

  it("answers networking and IAM with AWS-shaped ids", async () => {
    const run = await runUnderMocks(
      () => {
        const vpc = new aws.ec2.Vpc("net", { cidrBlock: "10.0.0.0/16" });
        const subnet = new aws.ec2.Subnet("net-private-a", { vpcId: vpc.id, cidrBlock: "10.0.0.0/20", availabilityZone: "eu-west-1b" });
        const sg = new aws.ec2.SecurityGroup("alb-sg", { vpcId: vpc.id });
        const role = new aws.iam.Role("web-role", {
          assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
          path: "/shop/",
        });
        const lt = new aws.ec2.LaunchTemplate("web-lt", { imageId: "ami-123" });
        const topic = new aws.sns.Topic("alarms");
        const logs = new aws.cloudwatch.LogGroup("app-logs", { name: "/shop/app", retentionInDays: 30 });
        const lb = new aws.lb.LoadBalancer("web-alb", { subnets: [subnet.id] });
        return {
          vpc: vpc.id,
          subnet: subnet.id,
          subnetZoneId: subnet.availabilityZoneId,
          sg: sg.id,
          sgName: sg.name,
          sgDescription: sg.description,
          roleArn: role.arn,
          roleId: role.uniqueId,
          roleName: role.name,
          lt: lt.id,
          ltVersion: lt.latestVersion,
          topic: topic.arn,
          logs: logs.arn,
          lbVpc: lb.vpcId,
        };
      },
      { stack: "dev", config: baseConfig },
    );
    const o = run.outputs;
    expect(o.vpc).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(o.subnet).toMatch(/^subnet-[0-9a-f]{17}$/);
    expect(o.subnetZoneId).toBe("euw1-az2");
    expect(o.sg).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(o.sgName).toMatch(/^alb-sg-[0-9a-f]{7}$/);
    expect(o.sgDescription).toBe("Managed by Pulumi");
    expect(o.roleName).toMatch(/^web-role-[0-9a-f]{7}$/);
    expect(o.roleArn).toBe(`arn:aws:iam::123456789012:role/shop/${o.roleName}`);
    expect(o.roleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(o.lt).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(o.ltVersion).toBe(1);
    expect(o.topic).toMatch(/^arn:aws:sns:eu-west-1:123456789012:alarms-[0-9a-f]{7}$/);
    expect(o.logs).toBe("arn:aws:logs:eu-west-1:123456789012:log-group:/shop/app");
    // The load balancer's VPC comes from its subnet, as AWS reports it.
    expect(o.lbVpc).toBe(o.vpc);
    // IAM is global: no region in the ARN, but the collected resource records the provider region.
    expect(findResource(run.resources, "aws:iam/role:Role").region).toBe("eu-west-1");
  });

  it("derives ACM validation records from the domain names", async () => {
    const run = await runUnderMocks(
      () => {
        const us = new aws.Provider("us-east-1", { region: "us-east-1" });
        const cert = new aws.acm.Certificate(
          "cdn-cert",
          { domainName: "shop.example.com", subjectAlternativeNames: ["*.shop.example.com", "www.example.com"], validationMethod: "DNS" },
          { provider: us },
        );
        return { arn: cert.arn, options: cert.domainValidationOptions, status: cert.status };
      },
      { stack: "dev", config: baseConfig },
    );
    expect(run.outputs.arn).toMatch(/^arn:aws:acm:us-east-1:123456789012:certificate\/[0-9a-f-]{36}$/);
    expect(run.outputs.status).toBe("PENDING_VALIDATION");
    const options = run.outputs.options;
    expect(options.map((o) => o.domainName)).toEqual(["shop.example.com", "*.shop.example.com", "www.example.com"]);
    for (const option of options) {
      expect(option.resourceRecordType).toBe("CNAME");
      expect(option.resourceRecordName).toMatch(new RegExp(`^_[0-9a-f]{32}\\.${option.domainName.replace("*.", "").replaceAll(".", "\\.")}\\.$`));
      expect(option.resourceRecordValue).toMatch(/^_[0-9a-f]{32}\.[a-z0-9]{10}\.acm-validations\.aws\.$/);
    }
    // A wildcard is validated by its apex's record.
    expect(options[1]?.resourceRecordName).toBe(options[0]?.resourceRecordName);
  });

  it("answers Route 53 zones with a zone id and four name servers, records with their FQDN", async () => {
    const run = await runUnderMocks(
      () => {
        const zone = new aws.route53.Zone("zone", { name: "shop.example.com" });
        const record = new aws.route53.Record("origin", { zoneId: zone.zoneId, name: "origin", type: "CNAME", ttl: 60, records: ["x.example.com"] });
        return { zoneId: zone.zoneId, ns: zone.nameServers, arn: zone.arn, fqdn: record.fqdn, recordId: record.id };
      },
      { stack: "dev", config: baseConfig },
    );
    expect(run.outputs.zoneId).toMatch(/^Z0[A-Z0-9]{19}$/);
    expect(run.outputs.arn).toBe(`arn:aws:route53:::hostedzone/${run.outputs.zoneId}`);
    expect(run.outputs.ns).toHaveLength(4);
    expect(run.outputs.ns[0]).toMatch(/^ns-\d+\.awsdns-\d{2}\.com$/);
    expect(run.outputs.fqdn).toBe("origin.shop.example.com");
    expect(run.outputs.recordId).toBe(`${run.outputs.zoneId}_origin_CNAME`);
  });

  it("merges the provider's default tags into tagsAll", async () => {
    const run = await runUnderMocks(
      () => {
        const tagged = new aws.Provider("tagged", { region: "eu-west-1", defaultTags: { tags: { Project: "shop", Environment: "dev" } } });
        new aws.kms.Key("tagged-key", { tags: { DataClass: "database" } }, { provider: tagged });
        new aws.kms.Key("default-key", {});
        return {};
      },
      { stack: "dev", config: { ...baseConfig, "aws:defaultTags": JSON.stringify({ tags: { Owner: "platform" } }) } },
    );
    expect(findResource(run.resources, "aws:kms/key:Key", "tagged-key").outputs.tagsAll).toEqual({
      Project: "shop",
      Environment: "dev",
      DataClass: "database",
    });
    expect(findResource(run.resources, "aws:kms/key:Key", "default-key").outputs.tagsAll).toEqual({ Owner: "platform" });
  });
});

describe("determinism and failures", () => {
  const program = () => {
    const key = new aws.kms.Key("data-key", {});
    const bucket = new aws.s3.Bucket("assets");
    const sg = new aws.ec2.SecurityGroup("web-sg", {});
    return { key: key.arn, bucket: bucket.bucket, sg: sg.id };
  };

  it("returns the same ids in two runs", async () => {
    const first = await runUnderMocks(program, { stack: "prod", config: baseConfig });
    const second = await runUnderMocks(program, { stack: "prod", config: baseConfig });
    expect(second.outputs).toEqual(first.outputs);
    expect(second.resources.map((r) => r.id)).toEqual(first.resources.map((r) => r.id));
  });

  it("fails loudly, naming the type and where to add a model, for an unknown resource type", async () => {
    const run = runUnderMocks(
      () => {
        const key = new aws.kms.Key("fine", {});
        new AnyResource("aws:nosuch/widget:Widget", "mystery", { keyArn: key.arn });
        return {};
      },
      { stack: "dev", config: baseConfig },
    );
    await expect(run).rejects.toThrow(MockRunError);
    await expect(run).rejects.toThrow(/aws:nosuch\/widget:Widget.*"mystery".*local-cloud\/models/s);
  });

  it("points deprecated v6 types at their v7 replacement", async () => {
    const run = runUnderMocks(
      () => {
        new AnyResource("aws:s3/bucketV2:BucketV2", "old-bucket", {});
        return {};
      },
      { stack: "dev", config: baseConfig },
    );
    await expect(run).rejects.toThrow(/deprecated in @pulumi\/aws v7: use aws\.s3\.Bucket/);
  });

  it("refuses a CLOUDFRONT-scoped web ACL outside us-east-1, as AWS does", async () => {
    const run = runUnderMocks(
      () => {
        new aws.wafv2.WebAcl("edge-acl", {
          scope: "CLOUDFRONT",
          defaultAction: { allow: {} },
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "edge", sampledRequestsEnabled: true },
        });
        return {};
      },
      { stack: "dev", config: baseConfig },
    );
    await expect(run).rejects.toThrow(/SCOPE_VALUE.*us-east-1/s);
  });
});

describe("preview", () => {
  it("knows inputs, defaults and auto-names but not what AWS computes", async () => {
    const run = await runUnderMocks(
      () => {
        const bucket = new aws.s3.Bucket("assets");
        const key = new aws.kms.Key("data-key", { description: "data" });
        return { bucket: bucket.bucket, arn: bucket.arn, keyArn: key.arn, description: key.description };
      },
      { stack: "dev", config: baseConfig, preview: true },
    );
    expect(run.outputs.bucket).toMatch(/^assets-[0-9a-f]{7}$/);
    expect(run.outputs.description).toBe("data");
    expect(run.outputs.arn).toBeUndefined();
    expect(run.outputs.keyArn).toBeUndefined();
    const key = findResource(run.resources, "aws:kms/key:Key");
    expect(key.id).toBeUndefined();
    expect(key.outputs).toMatchObject({ description: "data", keyUsage: "ENCRYPT_DECRYPT", region: "eu-west-1" });
    expect(findResources(run.resources, "aws:s3/bucket:Bucket")).toHaveLength(1);
    expect(await awaitOutput(pulumi.output("known"))).toBe("known");
  });
});
