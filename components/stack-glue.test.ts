import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { findResource, findResources, runUnderMocks } from "../local-cloud/index.js";

interface PolicyDocument {
  Statement: { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> }[];
}

const primaryAlb = { dnsName: "primary-123.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
const drAlb = { dnsName: "dr-456.eu-central-1.elb.amazonaws.com", zoneId: "Z215JYRZR1TBD5" };

describe("OriginFailover", () => {
  async function run(withSecondary: boolean) {
    return runUnderMocks(async () => {
      const { OriginFailover } = await import("./origin-failover.js");
      const edge = new aws.Provider("edge", { region: "us-east-1" });
      const failover = new OriginFailover("origin", {
        zoneId: "Z0PRODEXAMPLE00001",
        recordName: "origin.shop.example.com",
        primary: primaryAlb,
        ...(withSecondary ? { secondary: drAlb, healthAlarmName: "shop-prod-alb-healthy-hosts", healthAlarmRegion: "eu-west-1" } : {}),
      }, { provider: edge });
      return { healthCheckId: failover.healthCheckId };
    }, { stack: "prod" });
  }

  it("PRIMARY aliases the primary ALB with a CLOUDWATCH_METRIC health check; SECONDARY the DR ALB", async () => {
    const { resources } = await run(true);
    const check = findResource(resources, "aws:route53/healthCheck:HealthCheck");
    expect(check.inputs).toMatchObject({ type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: "shop-prod-alb-healthy-hosts", cloudwatchAlarmRegion: "eu-west-1", invertHealthcheck: false, insufficientDataHealthStatus: "LastKnownStatus" });
    const records = findResources(resources, "aws:route53/record:Record");
    const primary = records.find((record) => record.inputs.setIdentifier === "primary");
    const secondary = records.find((record) => record.inputs.setIdentifier === "secondary");
    expect(primary?.inputs).toMatchObject({ name: "origin.shop.example.com", type: "A", failoverRoutingPolicies: [{ type: "PRIMARY" }], healthCheckId: check.id, aliases: [{ name: primaryAlb.dnsName, zoneId: primaryAlb.zoneId, evaluateTargetHealth: true }] });
    expect(secondary?.inputs).toMatchObject({ failoverRoutingPolicies: [{ type: "SECONDARY" }], aliases: [{ name: drAlb.dnsName, zoneId: drAlb.zoneId, evaluateTargetHealth: true }] });
    expect(secondary?.inputs.healthCheckId).toBeUndefined();
  });

  it("without a DR target it is one plain alias record and no health check", async () => {
    const { resources } = await run(false);
    expect(resources.some((resource) => resource.type === "aws:route53/healthCheck:HealthCheck")).toBe(false);
    const record = findResource(resources, "aws:route53/record:Record");
    expect(record.inputs.failoverRoutingPolicies).toBeUndefined();
  });

  it("refuses a secondary without the alarm that decides failover", async () => {
    await expect(runUnderMocks(async () => {
      const { OriginFailover } = await import("./origin-failover.js");
      new OriginFailover("origin", { zoneId: "Z1", recordName: "origin.example.com", primary: primaryAlb, secondary: drAlb });
    }, { stack: "prod" })).rejects.toThrow(/secondary target needs healthAlarmName/);
  });

  it("merges an object transform into a child's args", async () => {
    const { resources } = await runUnderMocks(async () => {
      const { OriginFailover } = await import("./origin-failover.js");
      new OriginFailover("origin", {
        zoneId: "Z1", recordName: "origin.example.com", primary: primaryAlb, secondary: drAlb, healthAlarmName: "alarm", healthAlarmRegion: "eu-west-1",
        transforms: { healthCheck: { insufficientDataHealthStatus: "Unhealthy", tags: { Team: "edge" } } },
      });
    }, { stack: "prod" });
    expect(findResource(resources, "aws:route53/healthCheck:HealthCheck").inputs).toMatchObject({
      insufficientDataHealthStatus: "Unhealthy",
      tags: { Name: "origin-primary-health", Team: "edge" },
      type: "CLOUDWATCH_METRIC",
    });
  });

  it("lets a function transform rename a child and set its options", async () => {
    const seen: { protect?: boolean; parent?: unknown }[] = [];
    const { resources } = await runUnderMocks(async () => {
      const { OriginFailover } = await import("./origin-failover.js");
      new OriginFailover("origin", {
        zoneId: "Z1", recordName: "origin.example.com", primary: primaryAlb,
        transforms: {
          primaryRecord: (_args, opts, name) => {
            opts.protect = true;
            opts.ignoreChanges = ["aliases"];
            seen.push(opts);
            return `${name}-v2`;
          },
        },
      });
    }, { stack: "prod" });
    const record = findResource(resources, "aws:route53/record:Record");
    expect(record.name).toBe("origin-primary-v2");
    expect(record.ignoreChanges).toEqual(["aliases"]);
    expect(seen[0]?.protect).toBe(true);
    expect(record.parent).toBe(findResource(resources, "shop:edge:OriginFailover").urn);
  });
});

describe("RuntimeConfig", () => {
  it("writes the four String parameters under the prefix", async () => {
    const { resources, outputs } = await runUnderMocks(async () => {
      const { RuntimeConfig } = await import("./runtime-config.js");
      const config = new RuntimeConfig("runtime", {
        prefix: "/shop-platform/prod/runtime",
        databaseEndpoint: "db.example:5432",
        databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
        searchEndpoint: "https://vpc-search.eu-west-1.es.amazonaws.com",
      });
      return { names: config.parameterNames };
    }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
    const parameters = findResources(resources, "aws:ssm/parameter:Parameter");
    expect(parameters.map((parameter) => parameter.inputs.name).sort()).toEqual([
      "/shop-platform/prod/runtime/database-endpoint",
      "/shop-platform/prod/runtime/database-secret-arn",
      "/shop-platform/prod/runtime/index-alias",
      "/shop-platform/prod/runtime/search-endpoint",
    ]);
    expect(parameters.every((parameter) => parameter.inputs.type === "String")).toBe(true);
    expect(parameters.find((parameter) => parameter.inputs.name === "/shop-platform/prod/runtime/index-alias")?.inputs.value).toBe("products");
    expect(outputs.names.databaseEndpoint).toBe("/shop-platform/prod/runtime/database-endpoint");
  });

  it("rejects a prefix that is not an SSM path", async () => {
    await expect(runUnderMocks(async () => {
      const { RuntimeConfig } = await import("./runtime-config.js");
      new RuntimeConfig("runtime", { prefix: "shop prod", databaseEndpoint: "a", databaseSecretArn: "b", searchEndpoint: "c" });
    }, { stack: "prod" })).rejects.toThrow('RuntimeConfig "runtime": prefix is "shop prod"; expected an SSM path');
  });

  const runtimeArgs = { prefix: "/shop/prod/runtime", databaseEndpoint: "db:5432", databaseSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", searchEndpoint: "https://search" };

  it("merges an object transform into every parameter's args", async () => {
    const { resources } = await runUnderMocks(async () => {
      const { RuntimeConfig } = await import("./runtime-config.js");
      new RuntimeConfig("runtime", { ...runtimeArgs, transforms: { parameter: { tier: "Advanced", tags: { Team: "app" } } } });
    }, { stack: "prod" });
    const parameters = findResources(resources, "aws:ssm/parameter:Parameter");
    expect(parameters).toHaveLength(4);
    for (const parameter of parameters) expect(parameter.inputs).toMatchObject({ tier: "Advanced", tags: { Team: "app" }, type: "String" });
  });

  it("lets a function transform rename one parameter and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const { resources } = await runUnderMocks(async () => {
      const { RuntimeConfig } = await import("./runtime-config.js");
      new RuntimeConfig("runtime", {
        ...runtimeArgs,
        transforms: {
          parameter: (_args, opts, name) => {
            if (name !== "runtime-index-alias") return;
            opts.protect = true;
            opts.ignoreChanges = ["value"];
            seen.push(opts);
            return "runtime-search-alias";
          },
        },
      });
    }, { stack: "prod" });
    const names = findResources(resources, "aws:ssm/parameter:Parameter").map((parameter) => parameter.name).sort();
    expect(names).toEqual(["runtime-database-endpoint", "runtime-database-secret-arn", "runtime-search-alias", "runtime-search-endpoint"]);
    expect(findResources(resources, "aws:ssm/parameter:Parameter").find((parameter) => parameter.name === "runtime-search-alias")?.ignoreChanges).toEqual(["value"]);
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });
});

describe("OpsRole", () => {
  async function policyOf(args: Record<string, unknown>) {
    const { resources } = await runUnderMocks(async () => {
      const { OpsRole } = await import("./ops-role.js");
      new OpsRole("ops", { allowAccountWithMfa: true, ...args });
    }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
    const role = findResource(resources, "aws:iam/role:Role");
    const policy = findResource(resources, "aws:iam/rolePolicy:RolePolicy");
    return { trust: JSON.parse(String(role.inputs.assumeRolePolicy)) as PolicyDocument, policy: JSON.parse(String(policy.inputs.policy)) as PolicyDocument, role };
  }

  it("scopes every write action to the stack's own resources", async () => {
    const { policy } = await policyOf({
      healthCheckIds: ["hc-1"],
      hostedZoneIds: ["Z0PRODEXAMPLE00001"],
      autoScalingGroups: [{ region: "eu-central-1", name: "shop-prod-dr-web" }],
      databaseArns: ["arn:aws:rds:eu-central-1:123456789012:db:shop-prod-replica"],
      runtimeParameterArns: ["arn:aws:ssm:eu-central-1:123456789012:parameter/shop-platform/prod/runtime/database-endpoint"],
    });
    const bySid = new Map(policy.Statement.map((statement) => [statement.Sid, statement]));
    expect(bySid.get("FenceAndSwitchTraffic")?.Resource).toEqual(["arn:aws:route53:::healthcheck/hc-1"]);
    expect(bySid.get("ResizeFleets")?.Resource).toEqual(["arn:aws:autoscaling:eu-central-1:123456789012:autoScalingGroup:*:autoScalingGroupName/shop-prod-dr-web"]);
    for (const statement of policy.Statement) {
      const actions = ([] as string[]).concat(statement.Action);
      const writes = actions.filter((action) => !/:(Describe|List|Get)/.test(action) && action !== "sts:GetCallerIdentity");
      if (writes.length > 0 && statement.Resource === "*") {
        // The only unscoped write is PutMetricData, which AWS scopes by namespace condition.
        expect(writes).toEqual(["cloudwatch:PutMetricData"]);
        expect(statement.Condition?.StringEquals?.["cloudwatch:namespace"]).toBe("ShopPlatform/DR");
      }
    }
  });

  it("trusts the account only with MFA, plus named automation principals", async () => {
    const { trust, role } = await policyOf({ trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] });
    expect(trust.Statement[0]).toMatchObject({ Principal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } });
    expect(trust.Statement[1]).toMatchObject({ Principal: { AWS: ["arn:aws:iam::123456789012:role/ci"] } });
    expect(role.inputs.name).toBe("shop-platform-prod-ops");
  });

  it("refuses a role nobody can assume and a bad session length", async () => {
    await expect(policyOf({ allowAccountWithMfa: false })).rejects.toThrow(/nobody could assume/);
    await expect(policyOf({ maxSessionDuration: 60 })).rejects.toThrow('OpsRole "ops": maxSessionDuration is 60; expected an integer from 3600 to 43200');
  });

  it("merges an object transform into the role's args", async () => {
    const { role } = await policyOf({ transforms: { role: { permissionsBoundary: "arn:aws:iam::123456789012:policy/boundary", tags: { Team: "ops" } } } });
    expect(role.inputs).toMatchObject({ permissionsBoundary: "arn:aws:iam::123456789012:policy/boundary", tags: { Team: "ops" }, name: "shop-platform-prod-ops" });
  });

  it("lets a function transform rename the policy and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const { resources } = await runUnderMocks(async () => {
      const { OpsRole } = await import("./ops-role.js");
      new OpsRole("ops", {
        allowAccountWithMfa: true,
        transforms: {
          policy: (_args, opts) => {
            opts.protect = true;
            opts.ignoreChanges = ["policy"];
            seen.push(opts);
            return "ops-permissions";
          },
        },
      });
    }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
    const policy = findResource(resources, "aws:iam/rolePolicy:RolePolicy");
    expect(policy.name).toBe("ops-permissions");
    expect(policy.ignoreChanges).toEqual(["policy"]);
    expect(seen[0]?.protect).toBe(true);
  });
});
