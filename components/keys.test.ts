import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { DataClass } from "./conventions.js";
import type { KeyRingArgs } from "./keys.js";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Principal?: string | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, string | string[]>>;
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOf(key: CollectedResource): Statement[] {
  const policy = JSON.parse(String(key.inputs.policy)) as { Statement: Statement[] };
  return policy.Statement;
}

function statement(key: CollectedResource, sid: string): Statement {
  const found = statementsOf(key).find((candidate) => candidate.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid} in ${key.name}: ${statementsOf(key).map((s) => s.Sid ?? "?").join(", ")}`);
  return found;
}

async function keyRing(args: KeyRingArgs = {}, region = "eu-west-1") {
  return runUnderMocks(
    async () => {
      const { KeyRing } = await import("./keys.js");
      const provider = new aws.Provider("primary", { region, defaultTags: { tags: { Project: "shop-platform" } } });
      const ring = new KeyRing("keys", args, { provider });
      return { arns: ring.keyArns, aliases: ring.aliasNames };
    },
    { stack: "prod" },
  );
}

const keyOf = (resources: CollectedResource[], dataClass: DataClass) => findResource(resources, "aws:kms/key:Key", `keys-${dataClass}`);

describe("KeyRing", () => {
  it("creates one rotating key per data class with a 30-day window, a DataClass tag and an alias", async () => {
    const run = await keyRing();
    const component = findResource(run.resources, "shop:security:KeyRing");
    const keys = findResources(run.resources, "aws:kms/key:Key");
    expect(keys.map((key) => key.name).sort()).toEqual(["assets", "backup", "database", "logs", "search", "secrets", "telemetry"].map((c) => `keys-${c}`));
    for (const key of keys) {
      expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
      expect(key.parent).toBe(component.urn);
      expect(key.region).toBe("eu-west-1");
      expect(key.outputs.tagsAll).toMatchObject({ Project: "shop-platform", DataClass: key.name.replace("keys-", "") });
    }
    const aliases = findResources(run.resources, "aws:kms/alias:Alias");
    expect(aliases.map((alias) => alias.inputs.name)).toContain("alias/shop-platform-prod-database");
    expect(findResource(run.resources, "aws:kms/alias:Alias", "keys-logs-alias").inputs.targetKeyId).toBe(keyOf(run.resources, "logs").id);
    expect(run.outputs.arns.assets).toMatch(/^arn:aws:kms:eu-west-1:123456789012:key\//);
    expect(run.outputs.aliases.telemetry).toBe("alias/shop-platform-prod-telemetry");
    expect(component.outputs.aliasNames).toMatchObject({ secrets: "alias/shop-platform-prod-secrets" });
  });

  it("grants kms:* only in the account administration statement, to the account root", async () => {
    const run = await keyRing({ keyUsers: { database: ["arn:aws:iam::123456789012:role/app"] }, administratorArns: ["arn:aws:iam::123456789012:role/kms-admin"] });
    for (const key of findResources(run.resources, "aws:kms/key:Key")) {
      const statements = statementsOf(key);
      const wildcard = statements.filter((s) => list(s.Action).some((action) => action === "kms:*" || action === "*"));
      expect(wildcard.map((s) => s.Sid), key.name).toEqual(["AccountAdministration"]);
      expect(wildcard[0]?.Principal).toEqual({ AWS: "arn:aws:iam::123456789012:root" });
      expect(statements.every((s) => s.Effect === "Allow")).toBe(true);
    }
  });

  it("scopes every service statement with a condition", async () => {
    const run = await keyRing();
    for (const key of findResources(run.resources, "aws:kms/key:Key")) {
      for (const s of statementsOf(key).filter((candidate) => candidate.Sid !== "AccountAdministration")) {
        expect(s.Condition, `${key.name} ${s.Sid ?? ""}`).toBeDefined();
      }
    }
  });

  it("lets CloudWatch Logs use the logs key through its regional principal, for this account's log groups only", async () => {
    const run = await keyRing();
    const logs = statement(keyOf(run.resources, "logs"), "CloudWatchLogs");
    expect(logs.Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
    expect(logs.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:*" } });
    expect(list(logs.Action)).not.toContain("kms:CreateGrant");
  });

  it("lets AWS services use their class's key only through kms:ViaService in this region and account", async () => {
    const run = await keyRing();
    const expected: [DataClass, string[]][] = [
      ["database", ["rds.eu-west-1.amazonaws.com"]],
      ["search", ["es.eu-west-1.amazonaws.com"]],
      ["backup", ["backup.eu-west-1.amazonaws.com"]],
      ["assets", ["s3.eu-west-1.amazonaws.com"]],
      ["secrets", ["ssm.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"]],
      ["telemetry", ["sns.eu-west-1.amazonaws.com", "xray.eu-west-1.amazonaws.com"]],
    ];
    for (const [dataClass, endpoints] of expected) {
      const via = statement(keyOf(run.resources, dataClass), "UseThroughAwsServices");
      expect(via.Principal).toEqual({ AWS: "*" });
      expect(list(via.Condition?.StringEquals?.["kms:ViaService"]).sort()).toEqual([...endpoints].sort());
      expect(via.Condition?.StringEquals?.["kms:CallerAccount"]).toBe("123456789012");
    }
    expect(statementsOf(keyOf(run.resources, "logs")).map((s) => s.Sid)).not.toContain("UseThroughAwsServices");
  });

  it("lets CloudFront decrypt assets only for this account's distributions, and CloudWatch alarms publish telemetry", async () => {
    const run = await keyRing();
    const cloudFront = statement(keyOf(run.resources, "assets"), "CloudFrontOriginAccessControl");
    expect(cloudFront.Principal).toEqual({ Service: "cloudfront.amazonaws.com" });
    expect(cloudFront.Action).toBe("kms:Decrypt");
    expect(cloudFront.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/*" },
    });
    const alarms = statement(keyOf(run.resources, "telemetry"), "CloudWatchAlarmsPublish");
    expect(alarms.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
    expect(alarms.Condition?.ArnLike?.["aws:SourceArn"]).toBe("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*");
    const backup = statement(keyOf(run.resources, "telemetry"), "BackupNotificationsPublish");
    expect(backup.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(backup.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:backup:eu-west-1:123456789012:backup-vault:*" },
    });
  });

  it("names key users and administrators in their own statements, without kms:*", async () => {
    const run = await keyRing({
      keyUsers: { secrets: ["arn:aws:iam::123456789012:role/web"] },
      administratorArns: ["arn:aws:iam::123456789012:role/kms-admin"],
    });
    const secrets = keyOf(run.resources, "secrets");
    expect(statement(secrets, "KeyUsers").Principal).toEqual({ AWS: "arn:aws:iam::123456789012:role/web" });
    expect(list(statement(secrets, "KeyUsers").Action)).toContain("kms:Decrypt");
    expect(statement(secrets, "KeyUserGrantsForAwsResources").Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
    const admins = statement(secrets, "KeyAdministrators");
    expect(list(admins.Action)).not.toContain("kms:Decrypt");
    expect(list(admins.Action)).toContain("kms:ScheduleKeyDeletion");
    // Users are per class: the database key names nobody.
    expect(statementsOf(keyOf(run.resources, "database")).map((s) => s.Sid)).not.toContain("KeyUsers");
  });

  it("builds a DR ring in its own region, and an edge ring with a subset of classes and its own alias prefix", async () => {
    const dr = await keyRing({ classes: ["assets", "backup"] }, "eu-central-1");
    expect(findResources(dr.resources, "aws:kms/key:Key").map((key) => [key.name, key.region]).sort()).toEqual([
      ["keys-assets", "eu-central-1"],
      ["keys-backup", "eu-central-1"],
    ]);
    expect(statement(keyOf(dr.resources, "backup"), "UseThroughAwsServices").Condition?.StringEquals?.["kms:ViaService"]).toBe("backup.eu-central-1.amazonaws.com");

    const edge = await keyRing({ classes: ["logs"], aliasPrefix: "shop-prod-edge" }, "us-east-1");
    expect(findResource(edge.resources, "aws:kms/alias:Alias").inputs.name).toBe("alias/shop-prod-edge-logs");
    expect(statement(keyOf(edge.resources, "logs"), "CloudWatchLogs").Principal).toEqual({ Service: "logs.us-east-1.amazonaws.com" });
  });

  it("overrides services per class", async () => {
    const run = await keyRing({ services: { telemetry: ["sns"], database: ["rds", "backup"] } });
    expect(statementsOf(keyOf(run.resources, "telemetry")).map((s) => s.Sid)).not.toContain("CloudWatchAlarmsPublish");
    expect(list(statement(keyOf(run.resources, "database"), "UseThroughAwsServices").Condition?.StringEquals?.["kms:ViaService"]).sort())
      .toEqual(["backup.eu-west-1.amazonaws.com", "rds.eu-west-1.amazonaws.com"]);
  });

  it("applies the key, alias and policy transforms, ring-wide and per class", async () => {
    const run = await keyRing({
      classes: ["database", "logs"],
      transforms: {
        key: { description: "custom" },
        byClass: { logs: { alias: { name: "alias/custom-logs" } } },
        policyStatements: (statements, dataClass) => [
          ...statements,
          { sid: `Audit${dataClass}`, principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/audit"] }], actions: ["kms:DescribeKey"], resources: ["*"] },
        ],
      },
    });
    expect(keyOf(run.resources, "database").inputs.description).toBe("custom");
    expect(keyOf(run.resources, "database").inputs.enableKeyRotation).toBe(true);
    expect(findResource(run.resources, "aws:kms/alias:Alias", "keys-logs-alias").inputs.name).toBe("alias/custom-logs");
    expect(findResource(run.resources, "aws:kms/alias:Alias", "keys-database-alias").inputs.name).toBe("alias/shop-platform-prod-database");
    expect(statement(keyOf(run.resources, "logs"), "Auditlogs").Action).toBe("kms:DescribeKey");
  });

  it("lets a function transform rename one class's key and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await keyRing({
      classes: ["database", "logs"],
      transforms: {
        byClass: {
          database: {
            key: (args, opts) => {
              args.deletionWindowInDays = 7;
              opts.protect = true;
              seen.push(opts);
              return "keys-db";
            },
          },
        },
      },
    });
    expect(findResource(run.resources, "aws:kms/key:Key", "keys-db").inputs.deletionWindowInDays).toBe(7);
    expect(keyOf(run.resources, "logs").inputs.deletionWindowInDays).toBe(30);
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });

  it.each<[string, KeyRingArgs, RegExp]>([
    ["an empty class list", { classes: [] }, /KeyRing keys: classes is empty/],
    ["an unknown class", { classes: ["payments" as DataClass] }, /unknown data class "payments" in classes; expected one of database, search/],
    ["a repeated class", { classes: ["logs", "logs"] }, /classes lists logs more than once/],
    ["a short deletion window", { deletionWindowInDays: 5 }, /deletionWindowInDays must be an integer from 7 to 30 .*got 5/],
    ["a fractional deletion window", { deletionWindowInDays: 10.5 }, /deletionWindowInDays must be an integer/],
    ["an alias prefix with spaces", { aliasPrefix: "shop prod" }, /aliasPrefix "shop prod" may hold only letters, digits/],
    ["the reserved aws prefix", { aliasPrefix: "aws/shop" }, /reserved: alias\/aws\//],
    ["an alias prefix too long", { aliasPrefix: "x".repeat(250) }, /KMS allows 256/],
    ["an unknown service", { services: { database: ["dynamodb" as never] } }, /services.database names unknown service "dynamodb"/],
    ["a service list for an unknown class", { services: { payments: ["s3"] } as never }, /services names unknown data class "payments"/],
    ["a role name instead of an ARN", { keyUsers: { database: ["web-role"] } }, /"web-role" is not an IAM role, user or account ARN/],
    ["key users for a class outside the ring", { classes: ["logs"], keyUsers: { database: ["arn:aws:iam::123456789012:role/x"] } }, /keyUsers names "database", which has no key in this ring \(classes: logs\)/],
  ])("rejects %s with a clear error", async (_what, args, message) => {
    await expect(keyRing(args)).rejects.toThrow(message);
  });

  it("keyArn() names the missing class and what the ring holds", async () => {
    let error: unknown;
    await runUnderMocks(
      async () => {
        const { KeyRing } = await import("./keys.js");
        const ring = new KeyRing("edge", { classes: ["logs", "secrets"] });
        try {
          ring.keyArn("assets");
        } catch (caught) {
          error = caught;
        }
        return { logs: ring.keyArn("logs") };
      },
      { stack: "prod" },
    );
    expect(String(error)).toMatch(/no "assets" key in this ring; it holds logs, secrets/);
  });
});
