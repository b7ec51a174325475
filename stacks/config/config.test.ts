import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, listStacks, loadStack, readStackValues, resolveStackConfig, fromPulumiConfigMap, toPulumiConfigMap, TIER_DEFAULTS } from "./index.js";

const devBase = { "shop:tier": "dev", "shop:primaryRegion": "eu-west-1", "shop:tags": { owner: "team", costCenter: "CC-1" } };
const prodBase = {
  ...devBase,
  "shop:tier": "prod",
  "shop:drRegion": "eu-central-1",
  "shop:domain": "shop.example.com",
  "shop:hostedZoneId": "Z0PRODEXAMPLE00001",
  "shop:alarms": { emails: ["oncall@example.com"] },
  "shop:opsRole": { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"] },
};

function issuesOf(values: Record<string, unknown>) {
  try {
    resolveStackConfig(values, "test.yaml");
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error("expected the config to be rejected");
}

describe("sample stacks", () => {
  it("lists dev, staging and prod", async () => {
    expect(await listStacks()).toEqual(expect.arrayContaining(["dev", "prod", "staging"]));
  });

  it.each(["dev", "staging", "prod"])("%s validates and resolves every key", async (stack) => {
    const { config } = await loadStack(stack);
    expect(config.tier).toBe(stack);
    expect(config.tags.owner).toBe("platform-team");
    expect(config.network.azCount).toBeGreaterThanOrEqual(2);
  });

  it("prod is a warm standby in another EU region with a domain", async () => {
    const { config } = await loadStack("prod");
    expect(config).toMatchObject({ drStrategy: "warm-standby", drRegion: "eu-central-1", domain: "shop.example.com", dataResidency: "eu" });
  });
});

describe("tier defaults", () => {
  it("prod fills 3 AZs, a NAT per AZ, Multi-AZ, deletion protection and 35-day backups", () => {
    const config = resolveStackConfig(prodBase);
    expect(config.network).toMatchObject({ azCount: 3, nat: "per-az", interfaceEndpoints: true });
    expect(config.database).toMatchObject({ multiAz: true, deletionProtection: true, backupRetentionDays: 35 });
    expect(config.search).toMatchObject({ dedicatedMasters: 3, instanceCount: 3 });
    expect(config.backup.monthly.retentionDays).toBe(365);
    expect(config.drStrategy).toBe("warm-standby");
  });

  it("dev is small and cheap: single NAT, single-AZ database, no DR, no domain needed", () => {
    const config = resolveStackConfig(devBase);
    expect(config.network).toMatchObject({ azCount: 2, nat: "single", interfaceEndpoints: false });
    expect(config.database).toMatchObject({ multiAz: false, deletionProtection: false, instanceClass: "db.t4g.micro" });
    expect(config.search).toMatchObject({ instanceCount: 1, dedicatedMasters: 0 });
    expect(config.drStrategy).toBe("none");
    expect(config.domain).toBeUndefined();
  });

  it("encrypts from the load balancer to the instances in prod by default, not in dev or staging", () => {
    const prod = resolveStackConfig(prodBase);
    expect(prod.web.tlsToTargets).toBe(true);
    expect(resolveStackConfig(devBase).web.tlsToTargets).toBe(false);
    expect(resolveStackConfig({ ...prodBase, "shop:tier": "staging" }).web.tlsToTargets).toBe(false);
    expect(resolveStackConfig({ ...devBase, "shop:web": { tlsToTargets: true } }).web.tlsToTargets).toBe(true);
  });

  it("a key in the file overrides only itself; its siblings keep the tier default", () => {
    const config = resolveStackConfig({ ...prodBase, "shop:database": { instanceClass: "db.r7g.xlarge" } });
    expect(config.database.instanceClass).toBe("db.r7g.xlarge");
    expect(config.database.backupRetentionDays).toBe(35);
    expect(config.database.multiAz).toBe(true);
  });

  it("every tier's defaults are valid on their own", () => {
    for (const tier of Object.keys(TIER_DEFAULTS)) {
      const base = tier === "dev" ? devBase : tier === "prod" ? prodBase : { ...prodBase, "shop:tier": tier };
      expect(() => resolveStackConfig(base)).not.toThrow();
    }
  });
});

describe("Pulumi config map round trip", () => {
  it("reads object values that the engine passes as JSON strings", () => {
    const values = fromPulumiConfigMap(toPulumiConfigMap(prodBase));
    expect(resolveStackConfig(values)).toEqual(resolveStackConfig(prodBase));
  });

  it("keeps plain strings that merely look like JSON fragments", () => {
    expect(fromPulumiConfigMap({ "shop:domain": "shop.example.com", "shop:tier": "dev" })).toEqual({ "shop:domain": "shop.example.com", "shop:tier": "dev" });
  });
});

// Each bad config: the path reported, the value found, and words from what is expected.
const badConfigs: [string, Record<string, unknown>, string, unknown, RegExp][] = [
  ["an unknown tier, with a suggestion", { ...devBase, "shop:tier": "prd" }, "shop:tier", "prd", /one of dev \| staging \| prod \(did you mean prod\?\)/],
  ["an unknown region", { ...devBase, "shop:primaryRegion": "eu-west-9" }, "shop:primaryRegion", "eu-west-9", /AWS region .*did you mean eu-west-1/],
  ["a DR region equal to the primary", { ...devBase, "shop:drStrategy": "pilot-light", "shop:drRegion": "eu-west-1" }, "shop:drRegion", "eu-west-1", /other than primaryRegion/],
  ["a DR strategy without a DR region", { ...devBase, "shop:drStrategy": "warm-standby" }, "shop:drRegion", undefined, /required when drStrategy is warm-standby/],
  ["a DR region with drStrategy none", { ...devBase, "shop:drRegion": "eu-central-1" }, "shop:drRegion", "eu-central-1", /drStrategy is none/],
  ["an unknown DR strategy", { ...devBase, "shop:drStrategy": "hot" }, "shop:drStrategy", "hot", /none \| pilot-light \| warm-standby/],
  ["EU residency with a US DR region", { ...devBase, "shop:dataResidency": "eu", "shop:drStrategy": "pilot-light", "shop:drRegion": "us-east-1" }, "shop:drRegion", "us-east-1", /allowed by dataResidency eu/],
  ["EU residency in London, outside the EU", { ...devBase, "shop:dataResidency": "eu", "shop:primaryRegion": "eu-west-2" }, "shop:primaryRegion", "eu-west-2", /allowed by dataResidency eu/],
  ["a DR region in another partition", { ...devBase, "shop:drStrategy": "pilot-light", "shop:drRegion": "cn-north-1" }, "shop:drRegion", "cn-north-1", /same AWS partition/],
  ["prod without a domain", { ...prodBase, "shop:domain": undefined }, "shop:domain", undefined, /required outside dev/],
  ["staging without a hosted zone", { ...prodBase, "shop:tier": "staging", "shop:hostedZoneId": undefined }, "shop:hostedZoneId", undefined, /required outside dev/],
  ["a domain that is not a DNS name", { ...devBase, "shop:domain": "Shop Example" }, "shop:domain", "Shop Example", /DNS name/],
  ["a misspelt top-level key", { ...devBase, "shop:netwrok": { azCount: 3 } }, "shop:netwrok", { azCount: 3 }, /no such key; did you mean shop:network\?/],
  ["a misspelt nested key", { ...devBase, "shop:database": { backupRetentionDay: 7 } }, "shop:database.backupRetentionDay", 7, /did you mean shop:database\.backupRetentionDays\?/],
  ["a key in the project namespace", { ...devBase, "shop-platform:domian": "x.example.com" }, "shop-platform:domian", "x.example.com", /did you mean shop:domain\?/],
  ["a public CIDR", { ...devBase, "shop:network": { cidr: "8.8.0.0/16" } }, "shop:network.cidr", "8.8.0.0/16", /private IPv4 CIDR/],
  ["too few availability zones", { ...devBase, "shop:network": { azCount: 1 } }, "shop:network.azCount", 1, /integer from 2 to 6/],
  ["an unknown NAT mode", { ...devBase, "shop:network": { nat: "none" } }, "shop:network.nat", "none", /single \| per-az/],
  ["an x86 web instance type", { ...devBase, "shop:web": { instanceType: "m5.large" } }, "shop:web.instanceType", "m5.large", /Graviton/],
  ["min above max", { ...devBase, "shop:web": { minSize: 4, maxSize: 2, desiredCapacity: 2 } }, "shop:web.minSize", 4, /at most web\.maxSize \(2\)/],
  ["desired outside min..max", { ...devBase, "shop:web": { desiredCapacity: 9 } }, "shop:web.desiredCapacity", 9, /between web\.minSize \(1 \(the dev default\)\) and web\.maxSize \(2 \(the dev default\)\)/],
  ["a CPU target out of range", { ...devBase, "shop:web": { cpuTarget: 99 } }, "shop:web.cpuTarget", 99, /integer from 10 to 90/],
  ["a fractional instance count", { ...devBase, "shop:web": { maxSize: 2.5 } }, "shop:web.maxSize", 2.5, /integer/],
  ["backup retention beyond RDS's 35 days", { ...devBase, "shop:database": { backupRetentionDays: 90 } }, "shop:database.backupRetentionDays", 90, /integer from 1 to 35/],
  ["an unquoted engine version", { ...devBase, "shop:database": { engineVersion: 16 } }, "shop:database.engineVersion", 16, /\(quoted\)/],
  ["a too-small storage maximum", { ...devBase, "shop:database": { allocatedStorageGb: 100, maxAllocatedStorageGb: 100 } }, "shop:database.maxAllocatedStorageGb", 100, /at least 110/],
  ["a multi-AZ flag given as a string", { ...devBase, "shop:database": { multiAz: "yes" } }, "shop:database.multiAz", "yes", /true or false/],
  ["two dedicated masters", { ...devBase, "shop:search": { dedicatedMasters: 2 } }, "shop:search.dedicatedMasters", 2, /0, 3 or 5/],
  ["data nodes that do not spread over the zones", { ...prodBase, "shop:search": { instanceCount: 4 } }, "shop:search.instanceCount", 4, /multiple of 3/],
  ["an Elasticsearch engine version", { ...devBase, "shop:search": { engineVersion: "Elasticsearch_7.10" } }, "shop:search.engineVersion", "Elasticsearch_7.10", /OpenSearch 2\.x/],
  ["a backup schedule that is not AWS cron", { ...devBase, "shop:backup": { daily: { schedule: "0 3 * * *" } } }, "shop:backup.daily.schedule", "0 3 * * *", /cron expression/],
  ["cold storage without the 90-day minimum", { ...devBase, "shop:backup": { coldStorageAfterDays: 10 } }, "shop:backup.monthly.retentionDays", 30, /at least 100/],
  ["a bad alarm email", { ...devBase, "shop:alarms": { emails: ["oncall@example.com", "pager"] } }, "shop:alarms.emails[1]", "pager", /email address/],
  ["prod with nobody to page", { ...prodBase, "shop:alarms": { emails: [] } }, "shop:alarms.emails", [], /at least one email/],
  ["missing cost center tag", { ...devBase, "shop:tags": { owner: "team" } }, "shop:tags.costCenter", undefined, /cost center/],
  ["aws:region disagreeing with the primary region", { ...devBase, "aws:region": "us-west-2" }, "aws:region", "us-west-2", /same region as shop:primaryRegion/],
];

describe("bad configs are rejected with the path, the value found and what is expected", () => {
  it("has at least 15 distinct cases", () => {
    expect(new Set(badConfigs.map(([, , p]) => p)).size).toBeGreaterThanOrEqual(15);
  });

  it.each(badConfigs)("%s", (_title, values, expectedPath, found, expected) => {
    const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
    const issues = issuesOf(clean);
    const issue = issues.find((candidate) => candidate.path === expectedPath);
    expect(issue, `no issue at ${expectedPath}; got ${JSON.stringify(issues)}`).toBeDefined();
    if (found === undefined) expect(issue?.found === undefined || typeof issue.found === "symbol").toBe(true);
    else expect(issue?.found).toEqual(found);
    expect(issue?.expected).toMatch(expected);
  });

  it("reports every bad key at once, sorted by path, in one message", () => {
    let error: unknown;
    try {
      resolveStackConfig({ ...devBase, "shop:tier": "qa", "shop:web": { cpuTarget: 5 }, "shop:netwrok": {} }, "stacks/Pulumi.qa.yaml");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const configError = error as ConfigError;
    expect(configError.issues.map((issue) => issue.path)).toEqual(["shop:netwrok", "shop:tier", "shop:web.cpuTarget"]);
    expect(configError.message).toContain("stacks/Pulumi.qa.yaml: 3 problems in the stack config; nothing was declared.");
    expect(configError.message).toContain('shop:web.cpuTarget: found 5; expected an integer from 10 to 90');
  });
});

describe("stack files", () => {
  async function writeTemp(text: string): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "shop-config-"));
    const file = path.join(dir, "Pulumi.x.yaml");
    await writeFile(file, text);
    return file;
  }

  it("a missing file is a ConfigError that says so", async () => {
    await expect(readStackValues("/nonexistent/Pulumi.nope.yaml")).rejects.toThrow(/the file does not exist/);
  });

  it("invalid YAML names the line", async () => {
    const file = await writeTemp("config:\n  shop:tier: [dev\n");
    await expect(readStackValues(file)).rejects.toThrow(/invalid YAML at line/);
  });

  it("a config section that is not a mapping is rejected", async () => {
    const file = await writeTemp("config: 3\n");
    await expect(readStackValues(file)).rejects.toThrow(/mapping of namespaced keys/);
  });

  it("loads a stack by name from a directory", async () => {
    const file = await writeTemp("config:\n  shop:tier: dev\n  shop:primaryRegion: us-east-1\n  shop:tags:\n    owner: a\n    costCenter: 7\n");
    const loaded = await loadStack("x", path.dirname(file));
    expect(loaded.config.tags.costCenter).toBe("7");
    expect(loaded.config.primaryRegion).toBe("us-east-1");
  });
});
