import { beforeAll, describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { BackupPlanArgs } from "./backup.js";

const PRIMARY_KEY = "arn:aws:kms:eu-west-1:123456789012:key/11111111-1111-1111-1111-111111111111";
const DR_KEY = "arn:aws:kms:eu-central-1:123456789012:key/22222222-2222-2222-2222-222222222222";
const TELEMETRY_KEY = "arn:aws:kms:eu-west-1:123456789012:key/33333333-3333-3333-3333-333333333333";
const DB_ARN = "arn:aws:rds:eu-west-1:123456789012:db:shop-prod-catalog";
const BUCKET_ARN = "arn:aws:s3:::shop-prod-assets";

interface PlanRule {
  ruleName: string;
  schedule: string;
  targetVaultName: string;
  startWindow: number;
  completionWindow: number;
  lifecycle: { deleteAfter: number; coldStorageAfter?: number; optInToArchiveForSupportedResources?: boolean };
  copyActions?: { destinationVaultArn: string; lifecycle: { deleteAfter: number; coldStorageAfter?: number } }[];
}

type Scenario = "prod" | "dev" | "external-dr";

/** Runs a BackupPlan the way the stack composes it: prod with DR, dev without, or a DR vault made elsewhere. */
async function runPlan(scenario: Scenario, overrides: Partial<BackupPlanArgs> = {}) {
  return runUnderMocks(async () => {
    const aws = await import("@pulumi/aws");
    const { BackupPlan, BackupVault } = await import("./backup.js");
    const tags = { tags: { Project: "shop-platform", Environment: scenario } };
    const primary = new aws.Provider("primary", { region: "eu-west-1", defaultTags: tags });
    const dr = new aws.Provider("dr", { region: "eu-central-1", defaultTags: tags });
    const base: BackupPlanArgs = { kmsKeyArn: PRIMARY_KEY, resourceArns: [DB_ARN, BUCKET_ARN] };
    let args: BackupPlanArgs;
    if (scenario === "prod") {
      args = { ...base, dr: { provider: dr, kmsKeyArn: DR_KEY }, notificationKmsKeyArn: TELEMETRY_KEY, alarmEmails: ["oncall@example.com", "dba@example.com"] };
    } else if (scenario === "dev") {
      args = {
        ...base,
        daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 7, copyRetentionDays: 7 },
        monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 30, copyRetentionDays: 30 },
        vaultLock: { mode: "none" },
      };
    } else {
      const drVault = new BackupVault("shop-dr-vault", { kmsKeyArn: DR_KEY }, { provider: dr });
      args = { ...base, drVaultArn: drVault.vaultArn };
    }
    const plan = new BackupPlan("shop-backup", { ...args, ...overrides }, { provider: primary });
    return Object.fromEntries(Object.entries({
      vaultName: plan.vaultName,
      vaultArn: plan.vaultArn,
      drVaultName: plan.drVaultName,
      drVaultArn: plan.drVaultArn,
      planId: plan.planId,
      selectionId: plan.selectionId,
      roleArn: plan.roleArn,
      notificationTopicArn: plan.notificationTopicArn,
      vaultLockMode: plan.vaultLockMode,
    }).filter(([, value]) => value !== undefined));
  }, { stack: scenario });
}

function rulesOf(resources: CollectedResource[]): PlanRule[] {
  return findResource(resources, "aws:backup/plan:Plan").inputs.rules as PlanRule[];
}

function vaultNamed(resources: CollectedResource[], name: string): CollectedResource {
  return findResource(resources, "aws:backup/vault:Vault", name);
}

describe("BackupPlan under the mock cloud", () => {
  it("prod: vaults in both regions with their keys, kept on destroy", async () => {
    const run = await runPlan("prod");
    const primary = vaultNamed(run.resources, "shop-backup-vault");
    const dr = vaultNamed(run.resources, "shop-backup-dr-vault");
    expect([primary.region, dr.region]).toEqual(["eu-west-1", "eu-central-1"]);
    expect(primary.inputs).toMatchObject({ name: "shop-backup-vault", kmsKeyArn: PRIMARY_KEY, forceDestroy: false, tags: { DataClass: "backup" } });
    expect(dr.inputs).toMatchObject({ name: "shop-backup-dr-vault", kmsKeyArn: DR_KEY, forceDestroy: false });
    expect(run.outputs).toMatchObject({ vaultName: "shop-backup-vault", drVaultName: "shop-backup-dr-vault", vaultLockMode: "governance" });
    expect(run.outputs.drVaultArn).toBe("arn:aws:backup:eu-central-1:123456789012:backup-vault:shop-backup-dr-vault");
  });

  it("prod: daily 35 days and monthly 365 days, each copied to the DR vault with its own retention", async () => {
    const run = await runPlan("prod", { monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 400 } });
    const plan = findResource(run.resources, "aws:backup/plan:Plan");
    expect(plan.region).toBe("eu-west-1");
    const [daily, monthly] = rulesOf(run.resources);
    expect(daily).toMatchObject({ ruleName: "daily", schedule: "cron(0 3 * * ? *)", targetVaultName: "shop-backup-vault", lifecycle: { deleteAfter: 35 }, startWindow: 60, completionWindow: 1440 });
    expect(monthly).toMatchObject({ ruleName: "monthly", schedule: "cron(0 4 1 * ? *)", lifecycle: { deleteAfter: 365 } });
    expect(daily?.copyActions).toEqual([{ destinationVaultArn: run.outputs.drVaultArn, lifecycle: { deleteAfter: 35 } }]);
    expect(monthly?.copyActions).toEqual([{ destinationVaultArn: run.outputs.drVaultArn, lifecycle: { deleteAfter: 400 } }]);
    expect(daily?.lifecycle.coldStorageAfter).toBeUndefined();
  });

  it("prod: both vaults get a governance lock bounded by the retentions each receives", async () => {
    const run = await runPlan("prod", { monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 400 } });
    const locks = findResources(run.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration");
    const byRegion = new Map(locks.map((lock) => [lock.region, lock.inputs]));
    expect(byRegion.get("eu-west-1")).toEqual({ backupVaultName: "shop-backup-vault", minRetentionDays: 35, maxRetentionDays: 365 });
    expect(byRegion.get("eu-central-1")).toEqual({ backupVaultName: "shop-backup-dr-vault", minRetentionDays: 35, maxRetentionDays: 400 });
  });

  it("a compliance lock gets the 3-day grace period unless told otherwise", async () => {
    const run = await runPlan("prod", { vaultLock: { mode: "compliance", minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 14 } });
    for (const lock of findResources(run.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")) {
      expect(lock.inputs).toMatchObject({ minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 14 });
    }
    const defaulted = await runPlan("prod", { vaultLock: { mode: "compliance" } });
    const changeable = findResources(defaulted.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").map((lock) => lock.inputs.changeableForDays);
    expect(changeable).toEqual([3, 3]);
    expect(defaulted.outputs.vaultLockMode).toBe("compliance");
  });

  it("selects by the shop:backup=true tag and by the database and bucket ARNs, with the plan's role", async () => {
    const run = await runPlan("prod");
    const selection = findResource(run.resources, "aws:backup/selection:Selection");
    expect(selection.inputs).toMatchObject({
      planId: run.outputs.planId,
      iamRoleArn: run.outputs.roleArn,
      selectionTags: [{ type: "STRINGEQUALS", key: "shop:backup", value: "true" }],
      resources: [DB_ARN, BUCKET_ARN],
    });
    expect(run.outputs.selectionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("the service role trusts AWS Backup only and carries AWS's backup, restore and S3 policies", async () => {
    const run = await runPlan("prod");
    const role = findResource(run.resources, "aws:iam/role:Role");
    const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: { Principal: unknown; Action: string }[] };
    expect(trust.Statement).toEqual([{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attached = findResources(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((attachment) => attachment.inputs.policyArn).sort();
    expect(attached).toEqual([
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
      "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    const withoutS3 = await runPlan("prod", { s3: false });
    expect(findResources(withoutS3.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(2);
  });

  it("notifies an encrypted topic of failed backup and copy jobs; emails skip the successful ones", async () => {
    const run = await runPlan("prod");
    const notifications = findResource(run.resources, "aws:backup/vaultNotifications:VaultNotifications");
    expect(notifications.region).toBe("eu-west-1");
    expect(notifications.inputs).toEqual({
      backupVaultName: "shop-backup-vault",
      snsTopicArn: run.outputs.notificationTopicArn,
      backupVaultEvents: ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"],
    });
    const topic = findResource(run.resources, "aws:sns/topic:Topic");
    expect(topic.inputs.kmsMasterKeyId).toBe(TELEMETRY_KEY);
    const policy = JSON.parse(String(findResource(run.resources, "aws:sns/topicPolicy:TopicPolicy").inputs.policy)) as { Statement: { Sid: string; Effect: string; Principal: unknown }[] };
    expect(policy.Statement.find((statement) => statement.Effect === "Allow")?.Principal).toEqual({ Service: "backup.amazonaws.com" });
    expect(policy.Statement.map((statement) => statement.Sid)).toContain("DenyPublishWithoutTls");
    const subscriptions = findResources(run.resources, "aws:sns/topicSubscription:TopicSubscription");
    expect(subscriptions.map((subscription) => subscription.inputs.endpoint).sort()).toEqual(["dba@example.com", "oncall@example.com"]);
    for (const subscription of subscriptions) {
      expect(subscription.inputs).toMatchObject({ protocol: "email", filterPolicyScope: "MessageAttributes" });
      expect(JSON.parse(String(subscription.inputs.filterPolicy))).toEqual({ State: [{ "anything-but": "COMPLETED" }] });
    }
  });

  it("dev: one vault, no lock, no copy actions, the topic on the backup key", async () => {
    const run = await runPlan("dev");
    expect(findResources(run.resources, "aws:backup/vault:Vault")).toHaveLength(1);
    expect(run.resources.some((resource) => resource.type === "aws:backup/vaultLockConfiguration:VaultLockConfiguration")).toBe(false);
    for (const rule of rulesOf(run.resources)) expect(rule.copyActions).toBeUndefined();
    expect(rulesOf(run.resources).map((rule) => rule.lifecycle.deleteAfter)).toEqual([7, 30]);
    expect(findResource(run.resources, "aws:sns/topic:Topic").inputs.kmsMasterKeyId).toBe(PRIMARY_KEY);
    expect(run.outputs.drVaultArn).toBeUndefined();
    expect(run.outputs.vaultLockMode).toBe("none");
  });

  it("copies to a DR vault created elsewhere, which is created once", async () => {
    const run = await runPlan("external-dr");
    const vaults = findResources(run.resources, "aws:backup/vault:Vault");
    expect(vaults.map((vault) => [vault.name, vault.region]).sort()).toEqual([["shop-backup-vault", "eu-west-1"], ["shop-dr-vault", "eu-central-1"]]);
    expect(findResource(run.resources, "shop:backup:BackupVault", "shop-dr-vault").parent).toMatch(/pulumi:pulumi:Stack/);
    for (const rule of rulesOf(run.resources)) expect(rule.copyActions?.[0]?.destinationVaultArn).toBe(run.outputs.drVaultArn);
    expect(run.outputs.drVaultName).toBe("shop-dr-vault");
    // The lock of a vault made elsewhere is its own business: only the primary one is locked here.
    expect(findResource(run.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration").region).toBe("eu-west-1");
  });

  it("cold storage moves recovery points and their copies after the given days", async () => {
    const run = await runPlan("prod", { monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 365, coldStorageAfterDays: 30 } });
    const monthly = rulesOf(run.resources)[1];
    expect(monthly?.lifecycle).toEqual({ deleteAfter: 365, coldStorageAfter: 30, optInToArchiveForSupportedResources: true });
    expect(monthly?.copyActions?.[0]?.lifecycle).toEqual({ deleteAfter: 365, coldStorageAfter: 30, optInToArchiveForSupportedResources: true });
  });

  it("every child sits under the component, and transforms reach the children", async () => {
    const run = await runPlan("prod", {
      transforms: {
        plan: { name: "custom-plan" },
        selection: { notResources: ["arn:aws:s3:::scratch"] },
        topic: { displayName: "Backup alerts" },
        drVault: { name: "custom-dr" },
        topicSubscription: { confirmationTimeoutInMinutes: 5 },
      },
    });
    expect(findResource(run.resources, "aws:backup/plan:Plan").inputs.name).toBe("custom-plan");
    expect(findResource(run.resources, "aws:backup/selection:Selection").inputs.notResources).toEqual(["arn:aws:s3:::scratch"]);
    expect(findResource(run.resources, "aws:sns/topic:Topic").inputs.displayName).toBe("Backup alerts");
    expect(vaultNamed(run.resources, "shop-backup-dr-vault").inputs.name).toBe("custom-dr");
    for (const subscription of findResources(run.resources, "aws:sns/topicSubscription:TopicSubscription")) {
      expect(subscription.inputs).toMatchObject({ protocol: "email", confirmationTimeoutInMinutes: 5 });
    }
    const component = findResource(run.resources, "shop:backup:BackupPlan");
    const vaults = findResources(run.resources, "shop:backup:BackupVault");
    const childUrns = new Set([component.urn, ...vaults.map((vault) => vault.urn)]);
    for (const resource of run.resources.filter((item) => item.custom)) {
      if (resource.type === "pulumi:providers:aws") continue;
      expect(childUrns.has(resource.parent ?? ""), `${resource.type} ${resource.name}`).toBe(true);
    }
  });
});

describe("BackupPlan function transforms", () => {
  it("can rename a child, edit its args and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await runPlan("prod", {
      transforms: {
        plan: (args, opts) => {
          args.name = "renamed-plan";
          opts.protect = true;
          seen.push(opts);
          return "shop-backup-plan-v2";
        },
        policyAttachment: (_args, _opts, name) => (name.endsWith("-policy-s3backup") ? `${name}-v2` : undefined),
      },
    });
    expect(findResource(run.resources, "aws:backup/plan:Plan", "shop-backup-plan-v2").inputs.name).toBe("renamed-plan");
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
    const attachments = findResources(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((item) => item.name);
    expect(attachments).toContain("shop-backup-policy-s3backup-v2");
    expect(attachments).toContain("shop-backup-policy-backup");
  });
});

describe("BackupVault transforms", () => {
  it("merge an object into the vault and let a function rename the lock and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await runUnderMocks(async () => {
      const { BackupVault } = await import("./backup.js");
      const vault = new BackupVault("shop-dr-vault", {
        kmsKeyArn: DR_KEY,
        lock: { mode: "governance", minRetentionDays: 7, maxRetentionDays: 365 },
        transforms: {
          vault: { tags: { Team: "platform" } },
          lock: (args, opts, name) => {
            args.maxRetentionDays = 400;
            opts.protect = true;
            seen.push(opts);
            return `${name}-v2`;
          },
        },
      });
      return { arn: vault.vaultArn };
    }, { stack: "prod" });
    expect(findResource(run.resources, "aws:backup/vault:Vault", "shop-dr-vault").inputs.tags).toEqual({ DataClass: "backup", Team: "platform" });
    expect(findResource(run.resources, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "shop-dr-vault-lock-v2").inputs).toMatchObject({ minRetentionDays: 7, maxRetentionDays: 400 });
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });
});

describe("BackupPlan and BackupVault refuse bad args before declaring anything", () => {
  let backup: typeof import("./backup.js");
  beforeAll(async () => {
    backup = await import("./backup.js");
  });
  const plan = (args: Partial<BackupPlanArgs>) => () => new backup.BackupPlan("shop-backup", { kmsKeyArn: PRIMARY_KEY, ...args });
  const copyTo = { drVaultArn: "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr" };

  it.each([
    ["a schedule that is not a six-field cron", { daily: { schedule: "rate(1 day)", retentionDays: 35 } }, /daily schedule "rate\(1 day\)" must be an AWS Backup cron expression with six fields/],
    ["a retention of zero days", { daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 0 } }, /daily rule's retentionDays must be a whole number of days from 1 to 36500; got 0/],
    ["a fractional copy retention", { monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 10.5 } }, /monthly rule's copyRetentionDays must be a whole number of days from 1 to 36500; got 10.5/],
    ["cold storage with less than 90 days of retention after it", { monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 100, coldStorageAfterDays: 30 } }, /monthly rule's retentionDays \(100\) must be at least 120: AWS Backup keeps a recovery point in cold storage for 90 days at least/],
    ["a copy kept too briefly for its cold storage", { ...copyTo, monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 100, coldStorageAfterDays: 30 } }, /monthly rule's copyRetentionDays \(100\) must be at least 120/],
    ["a start window under an hour", { startWindowMinutes: 30 }, /startWindowMinutes must be a whole number of minutes, at least 60; got 30/],
    ["a completion window too close to the start window", { startWindowMinutes: 120, completionWindowMinutes: 150 }, /completionWindowMinutes must be a whole number at least 60 minutes longer than the start window \(120\); got 150/],
    ["both a DR vault to create and one to use", { ...copyTo, dr: { provider: undefined as never, kmsKeyArn: DR_KEY } }, /pass either dr .* or drVaultArn .*, not both/],
    ["no selection at all", { selectionTag: false }, /nothing is selected; keep selectionTag or pass resourceArns/],
    ["no selection but an empty ARN list", { selectionTag: false, resourceArns: [] }, /nothing is selected/],
    ["an empty tag value", { selectionTag: { key: "shop:backup", value: " " } }, /selectionTag needs a non-empty key and value/],
    ["a malformed email", { alarmEmails: ["oncall@example.com", "not-an-email"] }, /alarmEmails: "not-an-email" is not an email address/],
    ["the same email twice", { alarmEmails: ["a@example.com", "A@example.com"] }, /alarmEmails: A@example.com is listed twice/],
    ["lock bounds with no lock", { vaultLock: { mode: "none", minRetentionDays: 7 } }, /vaultLock bounds were given with mode "none"/],
    ["a lock whose minimum exceeds a retention", { vaultLock: { mode: "governance", minRetentionDays: 60 } }, /\(primary vault\): a retention of 35 days is outside the vault lock's 60 to 365 days; AWS Backup would fail those jobs/],
    ["a lock whose maximum is below a retention", { vaultLock: { mode: "governance", maxRetentionDays: 100 } }, /a retention of 365 days is outside the vault lock's 35 to 100 days/],
    ["a lock with min above max", { vaultLock: { mode: "governance", minRetentionDays: 400, maxRetentionDays: 100 } }, /minRetentionDays \(400\) is greater than maxRetentionDays \(100\)/],
    ["a grace period on a governance lock", { vaultLock: { mode: "governance", changeableForDays: 5 } }, /changeableForDays applies to a compliance-mode vault lock only; this lock is in governance mode/],
    ["a compliance grace period under 3 days", { vaultLock: { mode: "compliance", changeableForDays: 1 } }, /changeableForDays must be a whole number of days from 3 to 36500; got 1/],
  ] satisfies [string, Partial<BackupPlanArgs>, RegExp][])("%s", (_label, args, message) => {
    expect(plan(args)).toThrow(message);
  });

  it("a vault name AWS would refuse", () => {
    expect(() => new backup.BackupVault("v", { kmsKeyArn: DR_KEY, vaultName: "has space" })).toThrow(/vaultName "has space" must be 2 to 50 letters, digits, "-" or "_"/);
  });

  it("a standalone vault lock with bad bounds", () => {
    expect(() => new backup.BackupVault("dr-vault", { kmsKeyArn: DR_KEY, lock: { mode: "compliance", minRetentionDays: 0, maxRetentionDays: 10 } }))
      .toThrow(/BackupVault dr-vault: vault lock minRetentionDays must be a whole number of days from 1 to 36500; got 0/);
  });
});
