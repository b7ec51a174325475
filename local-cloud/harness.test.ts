import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { awaitOutput, type CollectedResource, findResource, findResources, runUnderMocks } from "./index.js";

// The harness: parents, providers and regions of what a program registers; config; sequential runs.

interface VaultArgs {
  readonly retentionDays: number;
}

/** A small component: a key and a log group inside it, a bucket inside a nested component. */
class Vault extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:test:Vault", name, {}, opts);
    const key = new aws.kms.Key(`${name}-key`, { description: `${name} data` }, { parent: this });
    new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.retentionDays, kmsKeyId: key.arn }, { parent: this });
    new Shelf(`${name}-shelf`, { parent: this });
    this.keyArn = key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}

class Shelf extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("shop:test:Shelf", name, {}, opts);
    new aws.s3.Bucket(`${name}-bucket`, {}, { parent: this });
    this.registerOutputs({});
  }
}

function byName(resources: readonly CollectedResource[], name: string): CollectedResource {
  const found = resources.find((resource) => resource.name === name);
  if (found === undefined) throw new Error(`no resource ${name}`);
  return found;
}

describe("runUnderMocks", () => {
  it("records parent URNs, providers and provider regions of resources inside components", async () => {
    const run = await runUnderMocks(
      () => {
        const dr = new aws.Provider("dr", { region: "us-west-2" });
        const primary = new Vault("primary", { retentionDays: 30 });
        const standby = new Vault("standby", { retentionDays: 7 }, { providers: { aws: dr } });
        return { primary: primary.keyArn, standby: standby.keyArn };
      },
      { stack: "staging", config: { "aws:region": "eu-west-1" } },
    );
    const stack = findResource(run.resources, "pulumi:pulumi:Stack");
    expect(stack.urn).toBe("urn:pulumi:staging::shop-platform::pulumi:pulumi:Stack::shop-platform-staging");
    expect(stack.parent).toBeUndefined();

    const standby = byName(run.resources, "standby");
    expect(standby.custom).toBe(false);
    expect(standby.parent).toBe(stack.urn);
    expect(standby.outputs.keyArn).toBe(run.outputs.standby);

    const standbyKey = byName(run.resources, "standby-key");
    // MockMonitor's URNs chain only the immediate parent's type (the engine chains them all).
    expect(standbyKey.urn).toBe("urn:pulumi:staging::shop-platform::shop:test:Vault$aws:kms/key:Key::standby-key");
    expect(standbyKey.parent).toBe(standby.urn);
    expect(standbyKey.provider).toBe(`${findResource(run.resources, "pulumi:providers:aws").urn}::${findResource(run.resources, "pulumi:providers:aws").id ?? ""}`);
    expect(standbyKey.region).toBe("us-west-2");
    expect(run.outputs.standby).toMatch(/^arn:aws:kms:us-west-2:/);

    // Grandchildren inherit the provider through two levels of components.
    const shelf = byName(run.resources, "standby-shelf");
    const bucket = byName(run.resources, "standby-shelf-bucket");
    expect(bucket.parent).toBe(shelf.urn);
    expect(shelf.parent).toBe(standby.urn);
    expect(bucket.region).toBe("us-west-2");

    const primaryKey = byName(run.resources, "primary-key");
    expect(primaryKey.provider).toBeUndefined();
    expect(primaryKey.region).toBe("eu-west-1");
    expect(byName(run.resources, "primary-logs").inputs.kmsKeyId).toBe(run.outputs.primary);
    expect(findResource(run.resources, "pulumi:providers:aws", "dr").region).toBe("us-west-2");
  });

  it("runs dev, staging and prod in one process without leaking resources between them", async () => {
    const program = () => {
      const tier = new pulumi.Config("shop").require("tier");
      const vault = new Vault(`${tier}-vault`, { retentionDays: tier === "prod" ? 365 : 7 });
      return { tier, key: vault.keyArn };
    };
    const runs = [];
    for (const stack of ["dev", "staging", "prod"]) {
      runs.push(await runUnderMocks(program, { stack, config: { "shop:tier": stack, "aws:region": "eu-west-1" } }));
    }
    for (const [index, stack] of ["dev", "staging", "prod"].entries()) {
      const run = runs[index]!;
      expect(run.outputs.tier).toBe(stack);
      expect(run.resources).toHaveLength(6);
      expect(run.resources.every((resource) => resource.urn.startsWith(`urn:pulumi:${stack}::`))).toBe(true);
      expect(findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(stack === "prod" ? 365 : 7);
    }
    // Different stacks get different (but deterministic) ids.
    expect(new Set(runs.map((run) => run.outputs.key)).size).toBe(3);
  });

  it("passes config the way the engine does: namespaced keys, objects as JSON, secrets", async () => {
    const run = await runUnderMocks(
      () => {
        const shop = new pulumi.Config("shop");
        const network = shop.requireObject<{ cidr: string; azs: number }>("network");
        return { network, region: new pulumi.Config("aws").require("region"), token: shop.requireSecret("apiToken") };
      },
      {
        stack: "dev",
        config: { "shop:network": JSON.stringify({ cidr: "10.1.0.0/16", azs: 3 }), "aws:region": "eu-west-2", "shop:apiToken": "s3cr3t" },
        secretKeys: ["shop:apiToken"],
      },
    );
    expect(run.outputs).toEqual({ network: { cidr: "10.1.0.0/16", azs: 3 }, region: "eu-west-2", token: "s3cr3t" });
    const stack = findResource(run.resources, "pulumi:pulumi:Stack");
    expect(stack.secretProperties).toContain("token");
  });

  it("lets a program import its modules lazily, after the mocks are in place", async () => {
    const run = await runUnderMocks(
      async () => {
        const lazyAws = await import("@pulumi/aws");
        return { topic: new lazyAws.sns.Topic("lazy").arn };
      },
      { stack: "dev" },
    );
    expect(run.outputs.topic).toMatch(/^arn:aws:sns:us-east-1:123456789012:lazy-[0-9a-f]{7}$/);
  });

  it("reports the program's own error", async () => {
    await expect(
      runUnderMocks(
        () => {
          throw new Error("bad config: shop:tier");
        },
        { stack: "dev" },
      ),
    ).rejects.toThrow("bad config: shop:tier");
    // ...and the next run starts clean.
    const run = await runUnderMocks(() => ({ ok: true }), { stack: "dev" });
    expect(run.resources.map((resource) => resource.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("refuses to start a run while another is in progress", async () => {
    const first = runUnderMocks(() => ({}), { stack: "dev" });
    await expect(runUnderMocks(() => ({}), { stack: "dev" })).rejects.toThrow(/another run is in progress/);
    await first;
  });
});

describe("reads and secrets", () => {
  it("answers StackReference reads from the outputs it was given, and resource reads by id", async () => {
    const run = await runUnderMocks(
      () => {
        const primary = new pulumi.StackReference("primary", { name: "acme/shop-platform/prod" });
        const existing = aws.ec2.Vpc.get("existing", "vpc-0123456789abcdef0");
        return { dbArn: primary.requireOutput("dbArn"), vpcId: existing.id, vpcArn: existing.arn };
      },
      { stack: "prod-dr", cloud: { stackOutputs: { "acme/shop-platform/prod": { dbArn: "arn:aws:rds:eu-west-1:123456789012:db:catalog" } } } },
    );
    expect(run.outputs).toEqual({
      dbArn: "arn:aws:rds:eu-west-1:123456789012:db:catalog",
      vpcId: "vpc-0123456789abcdef0",
      vpcArn: expect.stringMatching(/^arn:aws:ec2:us-east-1:123456789012:vpc\/vpc-/) as unknown,
    });
    // Reads are not registrations: they do not show in the resource list.
    expect(run.resources.map((resource) => resource.type)).toEqual(["pulumi:pulumi:Stack"]);
  });

  it("marks secret properties so a plan printer can mask them", async () => {
    const run = await runUnderMocks(
      () => {
        new aws.rds.Instance("db", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "shop", password: pulumi.secret("hunter2") });
        new aws.rds.Instance("managed", { engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, manageMasterUserPassword: true });
        return {};
      },
      { stack: "dev" },
    );
    const db = findResource(run.resources, "aws:rds/instance:Instance", "db");
    expect(db.secretProperties).toContain("password");
    expect(db.inputs.password).toBe("hunter2");
    const managed = findResource(run.resources, "aws:rds/instance:Instance", "managed");
    expect(managed.outputs.masterUserSecrets).toEqual([
      expect.objectContaining({ secretArn: expect.stringMatching(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/) as unknown, secretStatus: "active" }),
    ]);
  });
});

describe("awaitOutput and finders", () => {
  it("resolves plain values, promises, secrets and unknowns", async () => {
    expect(await awaitOutput("plain")).toBe("plain");
    expect(await awaitOutput(Promise.resolve(3))).toBe(3);
    expect(await awaitOutput(pulumi.secret("hidden"))).toBe("hidden");
    const run = await runUnderMocks(() => ({ arn: new aws.kms.Key("k", {}).arn }), { stack: "dev", preview: true });
    expect(run.outputs.arn).toBeUndefined();
  });

  it("explains what is there when nothing matches", async () => {
    const run = await runUnderMocks(
      () => {
        new aws.kms.Key("one", {});
        new aws.kms.Key("two", {});
        return {};
      },
      { stack: "dev" },
    );
    expect(findResources(run.resources, "aws:kms/key:Key")).toHaveLength(2);
    expect(() => findResource(run.resources, "aws:s3/bucket:Bucket")).toThrow(/No resource of type aws:s3\/bucket:Bucket.*aws:kms\/key:Key \(2\)/s);
    expect(() => findResource(run.resources, "aws:kms/key:Key")).toThrow(/2 resources of type aws:kms\/key:Key \(one, two\): pass a name/);
    expect(() => findResource(run.resources, "aws:kms/key:Key", "three")).toThrow(/Names of that type: one, two/);
  });
});
