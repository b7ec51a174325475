import { beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "./config/index.js";
import { type CollectedResource, findResource, findResources, type MockRun, runUnderMocks } from "../local-cloud/index.js";
import { runStackOffline } from "./offline.js";
import { parseStackOutputs, type StackOutputs } from "./outputs.js";
import type { PlatformOutputs } from "./program.js";

// The program for each sample stack, run whole under the mock cloud once per stack.
const runs = new Map<string, MockRun<PlatformOutputs>>();
beforeAll(async () => {
  for (const stack of ["dev", "staging", "prod"]) runs.set(stack, await runStackOffline(stack));
}, 120_000);
const runOf = (stack: string) => {
  const run = runs.get(stack);
  if (!run) throw new Error(`no run for ${stack}`);
  return run;
};

/** The top-level component (child of the stack) a resource belongs to. */
function topComponent(resources: readonly CollectedResource[], resource: CollectedResource): CollectedResource | undefined {
  const byUrn = new Map(resources.map((candidate) => [candidate.urn, candidate]));
  let current: CollectedResource | undefined = resource;
  for (;;) {
    const parent: CollectedResource | undefined = current.parent ? byUrn.get(current.parent) : undefined;
    if (!parent || parent.type === "pulumi:pulumi:Stack") return current === resource ? undefined : current;
    current = parent;
  }
}

const EDGE_COMPONENTS = ["shop:edge:EdgeFirewall", "shop:edge:Cdn", "shop:edge:OriginFailover", "shop:observability:EdgeObservability", "shop:security:KeyRing"];

describe.each(["dev", "staging", "prod"])("the %s stack", (stack) => {
  it("runs whole and its outputs satisfy the outputs contract", () => {
    const outputs: StackOutputs = parseStackOutputs(runOf(stack).outputs, stack);
    expect(outputs.stack).toBe(stack);
    expect(outputs.primary.region).toBe("eu-west-1");
    expect(outputs.siteUrl).toMatch(/^https:\/\//);
  });

  it("attaches the EdgeFirewall's web ACL to the distribution", () => {
    const { resources } = runOf(stack);
    const acl = findResource(resources, "aws:wafv2/webAcl:WebAcl");
    const distribution = findResource(resources, "aws:cloudfront/distribution:Distribution");
    expect(distribution.inputs.webAclId).toBe(acl.outputs.arn);
  });

  it("admits HTTP(S) to each ALB only from the CloudFront origin-facing prefix list", () => {
    const { resources } = runOf(stack);
    for (const alb of findResources(resources, "aws:lb/loadBalancer:LoadBalancer")) {
      const groups = alb.inputs.securityGroups as string[];
      const ingress = findResources(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((rule) => groups.includes(String(rule.inputs.securityGroupId)));
      expect(ingress.length).toBeGreaterThan(0);
      for (const rule of ingress) {
        expect(rule.inputs.prefixListId).toMatch(/^pl-/);
        expect(rule.inputs.cidrIpv4).toBeUndefined();
        expect(rule.region).toBe(alb.region);
      }
    }
  });

  it("uses us-east-1 only for the edge", () => {
    const { resources } = runOf(stack);
    const inUsEast1 = resources.filter((resource) => resource.custom && resource.region === "us-east-1" && !resource.type.startsWith("pulumi:providers:"));
    expect(inUsEast1.length).toBeGreaterThan(0);
    for (const resource of inUsEast1) {
      const top = topComponent(resources, resource);
      expect(top && EDGE_COMPONENTS.includes(top.type), `${resource.type} ${resource.name} is in us-east-1 outside the edge`).toBe(true);
      if (top?.type === "shop:security:KeyRing") expect(top.name).toBe(`${stack}-edge-keys`);
    }
  });

  it("carries the platform tags on every taggable resource", () => {
    const { resources } = runOf(stack);
    const tagged = resources.filter((resource) => resource.custom && resource.outputs.tagsAll !== undefined);
    expect(tagged.length).toBeGreaterThan(resources.filter((resource) => resource.custom).length / 2);
    for (const resource of tagged) {
      expect(resource.outputs.tagsAll, `${resource.type} ${resource.name}`).toMatchObject({
        Project: "shop-platform", Environment: stack, Owner: "platform-team", CostCenter: "CC-1001",
      });
    }
  });

  it("keeps physical names within AWS's limits", () => {
    const limits: [string, string, number][] = [
      ["aws:lb/loadBalancer:LoadBalancer", "name", 32],
      ["aws:lb/targetGroup:TargetGroup", "name", 32],
      ["aws:iam/role:Role", "name", 64],
      ["aws:rds/instance:Instance", "identifier", 63],
      ["aws:opensearch/domain:Domain", "domainName", 28],
      ["aws:s3/bucket:Bucket", "bucket", 63],
      ["aws:backup/vault:Vault", "name", 50],
      ["aws:xray/samplingRule:SamplingRule", "ruleName", 32],
      ["aws:cloudwatch/metricAlarm:MetricAlarm", "name", 255],
      ["aws:autoscaling/group:Group", "name", 255],
    ];
    const { resources } = runOf(stack);
    for (const [type, property, limit] of limits) {
      for (const resource of resources.filter((candidate) => candidate.type === type)) {
        const name = String(resource.outputs[property] ?? resource.inputs[property]);
        expect(name.length, `${type} ${property} "${name}"`).toBeLessThanOrEqual(limit);
      }
    }
  });

  it("pins its resource counts by type, so an accidental change shows", async () => {
    const counts: Record<string, number> = {};
    for (const resource of runOf(stack).resources) counts[resource.type] = (counts[resource.type] ?? 0) + 1;
    const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
    await expect(`${JSON.stringify(sorted, null, 2)}\n`).toMatchFileSnapshot(`./__snapshots__/resource-counts.${stack}.json`);
  });
});

describe("regions", () => {
  it("dev declares nothing in a DR region", () => {
    const { resources, outputs } = runOf("dev");
    const regions = new Set(resources.filter((resource) => resource.custom).map((resource) => resource.region));
    expect([...regions].sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(parseStackOutputs(outputs).dr).toBeUndefined();
    expect(resources.some((resource) => resource.type === "shop:data:DatabaseReplica")).toBe(false);
  });

  it.each(["staging", "prod"])("%s declares every DR resource with the DR provider", (stack) => {
    const { resources } = runOf(stack);
    const drProvider = findResources(resources, "pulumi:providers:aws").find((provider) => provider.name === "dr");
    expect(drProvider?.region).toBe("eu-central-1");
    const drComponents = resources.filter((resource) => resource.name.startsWith(`${stack}-dr-`) && !resource.custom);
    expect(drComponents.map((component) => component.type)).toEqual(expect.arrayContaining([
      "shop:security:KeyRing", "shop:network:Network", "shop:web:LoadBalancer", "shop:web:WebTier",
      "shop:data:DatabaseReplica", "shop:data:SearchDomain", "shop:observability:Observability", "shop:app:RuntimeConfig",
    ]));
    for (const resource of resources.filter((candidate) => candidate.custom && candidate.region === "eu-central-1" && !candidate.type.startsWith("pulumi:providers:"))) {
      const top = topComponent(resources, resource);
      const replicas = [`${stack}-assets-replica`, `${stack}-primary-logs-replica`];
      const drOwned = top?.name.startsWith(`${stack}-dr-`) || replicas.includes(top?.name ?? "") || top?.type === "shop:backup:BackupPlan";
      expect(drOwned, `${resource.type} ${resource.name} (under ${top?.name ?? "the stack"}) is in the DR region`).toBe(true);
    }
  });

  it("the replica's source is the primary's ARN, in the DR region with the DR database key", () => {
    const { resources } = runOf("prod");
    const instances = findResources(resources, "aws:rds/instance:Instance");
    const primary = instances.find((instance) => instance.region === "eu-west-1");
    const replica = instances.find((instance) => instance.region === "eu-central-1");
    expect(replica?.inputs.replicateSourceDb).toBe(primary?.outputs.arn);
    expect(String(replica?.inputs.kmsKeyId)).toMatch(/^arn:aws:kms:eu-central-1:/);
    const drKeys = findResources(resources, "aws:kms/key:Key").filter((key) => key.region === "eu-central-1").map((key) => key.outputs.arn);
    expect(drKeys).toContain(replica?.inputs.kmsKeyId);
  });

  it("pilot light runs no DR fleet; warm standby a small one; failover targets the primary's size", () => {
    const fleets = (stack: string) => findResources(runOf(stack).resources, "aws:autoscaling/group:Group");
    const drFleet = (stack: string) => fleets(stack).find((group) => group.region === "eu-central-1");
    expect(drFleet("staging")?.inputs).toMatchObject({ minSize: 0, desiredCapacity: 0 });
    expect(drFleet("prod")?.inputs).toMatchObject({ minSize: 2, desiredCapacity: 2 });
    expect(parseStackOutputs(runOf("prod").outputs).drTargetCapacity).toBe(3);
  });

  it("CloudFront's dynamic origin is origin.<domain>, a failover pair bound to the primary's healthy-hosts alarm", () => {
    const { resources, outputs } = runOf("prod");
    const distribution = findResource(resources, "aws:cloudfront/distribution:Distribution");
    const origins = distribution.inputs.origins as { originId: string; domainName: string }[];
    expect(origins.find((origin) => origin.originId === "app")?.domainName).toBe("origin.shop.example.com");
    const check = findResource(resources, "aws:route53/healthCheck:HealthCheck");
    const parsed = parseStackOutputs(outputs);
    expect(check.inputs).toMatchObject({ type: "CLOUDWATCH_METRIC", cloudwatchAlarmName: parsed.primary.healthyHostsAlarmName, cloudwatchAlarmRegion: "eu-west-1" });
    expect(parsed.dns).toMatchObject({ originRecordName: "origin.shop.example.com", primaryHealthCheckId: check.id });
  });

  it("exports the database name, AWS Backup's role and each region's instance role", () => {
    const { resources, outputs } = runOf("prod");
    const parsed = parseStackOutputs(outputs);
    const roles = findResources(resources, "aws:iam/role:Role");
    const backupRole = roles.find((role) => role.name.includes("backup") && JSON.stringify(role.inputs.assumeRolePolicy).includes("backup.amazonaws.com"));
    expect(parsed.databaseName).toBe("shop");
    expect(parsed.backupRoleArn).toBe(backupRole?.outputs.arn);
    const profiles = findResources(resources, "aws:iam/instanceProfile:InstanceProfile");
    const roleArnByName = new Map(roles.map((role) => [role.outputs.name, role.outputs.arn]));
    const roleOf = (region: string) => roleArnByName.get(profiles.find((profile) => profile.region === region)?.inputs.role);
    expect(parsed.backupRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(parsed.primary.instanceRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    expect(parsed.primary.instanceRoleArn).toBe(roleOf("eu-west-1"));
    expect(parsed.dr?.instanceRoleArn).toBe(roleOf("eu-central-1"));
    expect(parsed.primary.instanceRoleArn).not.toBe(parsed.dr?.instanceRoleArn);
  });

  it("without a domain (dev) the dynamic origin is the primary ALB", () => {
    const { resources } = runOf("dev");
    const distribution = findResource(resources, "aws:cloudfront/distribution:Distribution");
    const alb = findResource(resources, "aws:lb/loadBalancer:LoadBalancer");
    const origins = distribution.inputs.origins as { originId: string; domainName: string }[];
    expect(origins.find((origin) => origin.originId === "app")?.domainName).toBe(alb.outputs.dnsName);
    expect(resources.some((resource) => resource.type.startsWith("aws:route53/"))).toBe(false);
  });

  it("writes the runtime parameters in each region; the DR set belongs to failover after the first deploy", () => {
    const { resources } = runOf("prod");
    const parameters = findResources(resources, "aws:ssm/parameter:Parameter").filter((parameter) => String(parameter.inputs.name).startsWith("/shop-platform/prod/runtime/"));
    expect(parameters.filter((parameter) => parameter.region === "eu-west-1")).toHaveLength(4);
    const dr = parameters.filter((parameter) => parameter.region === "eu-central-1");
    expect(dr).toHaveLength(4);
    const drEndpoint = dr.find((parameter) => String(parameter.inputs.name).endsWith("/database-endpoint"));
    expect(drEndpoint?.ignoreChanges).toEqual(["value"]);
  });

  it("each region's fleet reads the master secret in its own region: the DR one a replica under the DR key", () => {
    const { resources } = runOf("prod");
    const secret = findResources(resources, "aws:secretsmanager/secret:Secret").find((candidate) => candidate.name.includes("primary-db"));
    const primaryArn = String(secret?.outputs.arn);
    const drArn = primaryArn.replace(":eu-west-1:", ":eu-central-1:");
    const drSecretsKey = findResources(resources, "aws:kms/key:Key").find((key) => key.region === "eu-central-1" && key.name.includes("secrets"));
    expect(secret?.inputs.replicas).toEqual([{ region: "eu-central-1", kmsKeyId: drSecretsKey?.outputs.arn }]);

    const secretParameter = (region: string) => findResources(resources, "aws:ssm/parameter:Parameter").find((parameter) => parameter.region === region && String(parameter.inputs.name).endsWith("/database-secret-arn"));
    expect(secretParameter("eu-west-1")?.inputs.value).toBe(primaryArn);
    expect(secretParameter("eu-central-1")?.inputs.value).toBe(drArn);
    // The outputs say so too: failback restores the DR parameter to what the stack declares.
    const parsed = parseStackOutputs(runOf("prod").outputs);
    expect(parsed.primary.databaseSecretArn).toBe(primaryArn);
    expect(parsed.dr?.databaseSecretArn).toBe(drArn);

    const fleetPolicy = (region: string) => {
      const policy = findResources(resources, "aws:iam/rolePolicy:RolePolicy").find((candidate) => candidate.region === region && candidate.name.includes("web-instance-permissions"));
      return JSON.stringify(policy?.inputs.policy);
    };
    expect(fleetPolicy("eu-central-1")).toContain(drArn);
    expect(fleetPolicy("eu-central-1")).not.toContain(primaryArn);
    expect(fleetPolicy("eu-central-1")).toContain(String(drSecretsKey?.outputs.arn));
    expect(fleetPolicy("eu-west-1")).toContain(primaryArn);
  });
});

describe("determinism and bad config", () => {
  it("two runs of a stack produce the same resources and names", async () => {
    const again = await runStackOffline("staging");
    const fingerprint = (run: MockRun<PlatformOutputs>) => run.resources.map((resource) => `${resource.urn} ${String(resource.id)}`).sort();
    expect(fingerprint(again)).toEqual(fingerprint(runOf("staging")));
  });

  it("a bad config throws a ConfigError and declares nothing", async () => {
    let caught: unknown;
    const run = await runUnderMocks(async () => {
      const { default: main } = await import("./index.js");
      try {
        return main();
      } catch (error) {
        caught = error;
        return undefined;
      }
    }, { stack: "broken", config: { "shop:tier": "prod", "shop:primaryRegion": "eu-west-1", "shop:web": JSON.stringify({ minSize: 20 }) } });
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(["shop:web.minSize", "shop:tags", "shop:domain"]));
    expect(run.resources.filter((resource) => resource.custom)).toEqual([]);
  });
});
