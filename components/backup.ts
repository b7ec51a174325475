import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, awsName, childName, type Transform } from "./conventions.js";
import { createNotificationTopic, validateEmails } from "./shared/notification-topic.js";
import { BACKUP_CRON } from "./shared/patterns.js";

// AWS Backup: vaults (primary and DR), the plan with its copy rules, the selection and the
// service role. OpenSearch is not an AWS Backup resource: its DR is a reindex from the catalog.

/** AWS Backup keeps a recovery point in cold storage for 90 days at least. */
export const COLD_STORAGE_MINIMUM_DAYS = 90;
const MAX_RETENTION_DAYS = 36_500;
/** AWS refuses a compliance-mode grace period shorter than 3 days. */
const MIN_CHANGEABLE_FOR_DAYS = 3;
const VAULT_NAME = /[^a-zA-Z0-9_-]/g;
const PLAN_NAME = /[^a-zA-Z0-9._-]/g;

export type VaultLockMode = "none" | "governance" | "compliance";

/** A vault lock with its retention bounds (what BackupVault takes). */
export interface VaultLockArgs {
  /** `governance`: users with IAM permission can still remove the lock; `compliance`: nobody can once the grace period ends. */
  readonly mode: "governance" | "compliance";
  /** Recovery points must be kept at least this long; a backup or copy job with a shorter retention fails. */
  readonly minRetentionDays: number;
  /** Recovery points may be kept at most this long; a job with a longer retention fails. */
  readonly maxRetentionDays: number;
  /**
   * Compliance mode only: days during which the lock can still be changed or removed; after them it is immutable.
   * @default 3
   */
  readonly changeableForDays?: number;
}

function isWholeIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function requireDays(what: string, value: number, min = 1, max = MAX_RETENTION_DAYS): void {
  if (!isWholeIn(value, min, max)) throw new Error(`${what} must be a whole number of days from ${min} to ${max}; got ${value}.`);
}

/**
 * Checks a lock's bounds, and that every retention the vault will receive (`retentions`) fits
 * inside them: AWS fails any backup or copy job whose retention is outside the lock's range.
 */
export function validateVaultLock(where: string, lock: VaultLockArgs, retentions: readonly number[] = []): void {
  requireDays(`${where}: vault lock minRetentionDays`, lock.minRetentionDays);
  requireDays(`${where}: vault lock maxRetentionDays`, lock.maxRetentionDays);
  if (lock.minRetentionDays > lock.maxRetentionDays) {
    throw new Error(`${where}: vault lock minRetentionDays (${lock.minRetentionDays}) is greater than maxRetentionDays (${lock.maxRetentionDays}).`);
  }
  if (lock.changeableForDays !== undefined) {
    if (lock.mode !== "compliance") throw new Error(`${where}: changeableForDays applies to a compliance-mode vault lock only; this lock is in ${lock.mode} mode.`);
    requireDays(`${where}: vault lock changeableForDays`, lock.changeableForDays, MIN_CHANGEABLE_FOR_DAYS);
  }
  for (const days of retentions) {
    if (days < lock.minRetentionDays || days > lock.maxRetentionDays) {
      throw new Error(`${where}: a retention of ${days} days is outside the vault lock's ${lock.minRetentionDays} to ${lock.maxRetentionDays} days; AWS Backup would fail those jobs.`);
    }
  }
}

export interface BackupVaultArgs {
  /** Customer-managed KMS key (in the vault's region) that encrypts the recovery points. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Physical vault name (2 to 50 letters, digits, `-` and `_`; unique per account and region).
   * @default the component's name
   */
  readonly vaultName?: string;
  /**
   * Vault lock (WORM). Its bounds depend on the retentions the vault receives, so there is no
   * default lock here; BackupPlan locks its vaults in governance mode by default.
   * @default no lock
   */
  readonly lock?: VaultLockArgs;
  /** Overrides for the children's args. */
  readonly transforms?: {
    readonly vault?: Transform<aws.backup.VaultArgs>;
    readonly lock?: Transform<aws.backup.VaultLockConfigurationArgs>;
  };
}

/**
 * One AWS Backup vault with its KMS key and an optional vault lock, in the region of the provider
 * passed in `opts`. BackupPlan creates its vaults with it; the stack can also create the DR vault
 * on its own and hand its ARN to BackupPlan (`drVaultArn`).
 */
export class BackupVault extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  /** `none`, `governance` or `compliance`. */
  public readonly lockMode: VaultLockMode;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const physicalName = args.vaultName ?? awsName(name, 50, VAULT_NAME);
    if (!/^[a-zA-Z0-9_-]{2,50}$/.test(physicalName)) {
      throw new Error(`BackupVault ${name}: vaultName ${JSON.stringify(physicalName)} must be 2 to 50 letters, digits, "-" or "_".`);
    }
    if (args.lock !== undefined) validateVaultLock(`BackupVault ${name}`, args.lock);
    super("shop:backup:BackupVault", name, {}, opts);

    const vault = new aws.backup.Vault(name, applyTransform<aws.backup.VaultArgs>({
      name: physicalName,
      kmsKeyArn: args.kmsKeyArn,
      // Recovery points are the last line of defence: never delete them with the stack.
      forceDestroy: false,
      tags: { DataClass: "backup" },
    }, args.transforms?.vault), { parent: this });

    if (args.lock !== undefined) {
      const lock = args.lock;
      new aws.backup.VaultLockConfiguration(childName(name, "lock"), applyTransform<aws.backup.VaultLockConfigurationArgs>({
        backupVaultName: vault.name,
        minRetentionDays: lock.minRetentionDays,
        maxRetentionDays: lock.maxRetentionDays,
        // The provider's switch: a grace period makes a compliance-mode lock, none a governance one.
        ...(lock.mode === "compliance" ? { changeableForDays: lock.changeableForDays ?? MIN_CHANGEABLE_FOR_DAYS } : {}),
      }, args.transforms?.lock), { parent: this });
    }

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.lockMode = args.lock?.mode ?? "none";
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn, lockMode: this.lockMode });
  }
}

/** One scheduled rule of the plan. */
export interface BackupRuleArgs {
  /** AWS Backup cron expression (UTC), six fields: `cron(0 3 * * ? *)`. */
  readonly schedule: string;
  /** Days the recovery point is kept in the primary vault. */
  readonly retentionDays: number;
  /**
   * Days the copy is kept in the DR vault.
   * @default retentionDays
   */
  readonly copyRetentionDays?: number;
  /**
   * Move recovery points (and their copies) to cold storage after this many days, for the
   * resource types that support it. Retention must then be at least 90 days longer.
   * @default no cold storage
   */
  readonly coldStorageAfterDays?: number;
}

/** The plan's vault lock: bounds default to the retentions each vault receives. */
export interface BackupPlanVaultLock {
  readonly mode: VaultLockMode;
  /** @default the shortest retention the vault receives */
  readonly minRetentionDays?: number;
  /** @default the longest retention the vault receives */
  readonly maxRetentionDays?: number;
  /** Compliance mode only. @default 3 */
  readonly changeableForDays?: number;
}

/** The DR vault, created by the plan with the DR region's provider. */
export interface BackupPlanDrVault {
  /** Provider of the DR region. */
  readonly provider: pulumi.ProviderResource;
  /** Customer-managed KMS key in the DR region. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** @default `<name>-dr-vault` */
  readonly vaultName?: string;
}

export interface BackupPlanArgs {
  /** Customer-managed KMS key (primary region) for the primary vault. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The daily rule.
   * @default { schedule: "cron(0 3 * * ? *)", retentionDays: 35, copyRetentionDays: 35 }
   */
  readonly daily?: BackupRuleArgs;
  /**
   * The monthly rule.
   * @default { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 365 }
   */
  readonly monthly?: BackupRuleArgs;
  /**
   * Minutes after the scheduled time before a job that has not started is cancelled (at least 60).
   * @default 60
   */
  readonly startWindowMinutes?: number;
  /**
   * Minutes after the scheduled time before a running job is cancelled (at least 60 more than the start window).
   * @default 1440
   */
  readonly completionWindowMinutes?: number;
  /**
   * Vault lock on the primary vault and on the DR vault the plan creates.
   * @default { mode: "governance" }, bounded by the retentions each vault receives
   */
  readonly vaultLock?: BackupPlanVaultLock;
  /**
   * Create the DR vault (in the DR region) and copy every recovery point to it.
   * Leave out, with `drVaultArn`, for a stack without DR: the rules then have no copy actions.
   */
  readonly dr?: BackupPlanDrVault;
  /** Copy to a DR vault created elsewhere (e.g. a BackupVault in the DR region's stack). Not with `dr`. */
  readonly drVaultArn?: pulumi.Input<string>;
  /**
   * Resources selected by ARN (the database instance, the asset bucket), in addition to the tag.
   * @default []
   */
  readonly resourceArns?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Resources carrying this tag are backed up; `false` selects by ARN only.
   * @default { key: "shop:backup", value: "true" }
   */
  readonly selectionTag?: { readonly key: string; readonly value: string } | false;
  /**
   * Attach AWS's S3 backup and restore policies to the service role (S3 buckets need versioning).
   * @default true
   */
  readonly s3?: boolean;
  /**
   * KMS key for the notification topic; its policy must let backup.amazonaws.com use it.
   * @default kmsKeyArn
   */
  readonly notificationKmsKeyArn?: pulumi.Input<string>;
  /**
   * Who is emailed about failed backup and copy jobs.
   * @default []
   */
  readonly notificationEmails?: readonly string[];
  /** Overrides for the children's args. */
  readonly transforms?: {
    readonly vault?: Transform<aws.backup.VaultArgs>;
    readonly drVault?: Transform<aws.backup.VaultArgs>;
    readonly vaultLock?: Transform<aws.backup.VaultLockConfigurationArgs>;
    readonly plan?: Transform<aws.backup.PlanArgs>;
    readonly selection?: Transform<aws.backup.SelectionArgs>;
    readonly role?: Transform<aws.iam.RoleArgs>;
    readonly topic?: Transform<aws.sns.TopicArgs>;
    readonly notifications?: Transform<aws.backup.VaultNotificationsArgs>;
  };
}

export const DEFAULT_DAILY_RULE: BackupRuleArgs = { schedule: "cron(0 3 * * ? *)", retentionDays: 35, copyRetentionDays: 35 };
export const DEFAULT_MONTHLY_RULE: BackupRuleArgs = { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 365 };
export const DEFAULT_SELECTION_TAG = { key: "shop:backup", value: "true" } as const;

/**
 * Backup completed events carry a State attribute; only the ones that did not complete cleanly
 * (FAILED, ABORTED, EXPIRED, PARTIAL) are worth an email. Copy events are subscribed as failures only.
 */
export const BACKUP_NOTIFICATION_EVENTS = ["BACKUP_JOB_COMPLETED", "COPY_JOB_FAILED"] as const;
export const BACKUP_EMAIL_FILTER_POLICY = JSON.stringify({ State: [{ "anything-but": "COMPLETED" }] });

const MANAGED_POLICIES = {
  backup: "service-role/AWSBackupServiceRolePolicyForBackup",
  restores: "service-role/AWSBackupServiceRolePolicyForRestores",
  s3Backup: "AWSBackupServiceRolePolicyForS3Backup",
  s3Restore: "AWSBackupServiceRolePolicyForS3Restore",
} as const;

interface ResolvedRule extends BackupRuleArgs {
  readonly ruleName: string;
  readonly copyRetentionDays: number;
}

function validateRule(where: string, rule: ResolvedRule, copies: boolean): void {
  if (!BACKUP_CRON.test(rule.schedule)) {
    throw new Error(`${where}: the ${rule.ruleName} schedule ${JSON.stringify(rule.schedule)} must be an AWS Backup cron expression with six fields, such as cron(0 3 * * ? *).`);
  }
  requireDays(`${where}: the ${rule.ruleName} rule's retentionDays`, rule.retentionDays);
  requireDays(`${where}: the ${rule.ruleName} rule's copyRetentionDays`, rule.copyRetentionDays);
  const cold = rule.coldStorageAfterDays;
  if (cold === undefined) return;
  requireDays(`${where}: the ${rule.ruleName} rule's coldStorageAfterDays`, cold);
  const kept = [["retentionDays", rule.retentionDays], ...(copies ? [["copyRetentionDays", rule.copyRetentionDays] as const] : [])] as const;
  for (const [key, days] of kept) {
    if (days < cold + COLD_STORAGE_MINIMUM_DAYS) {
      throw new Error(`${where}: the ${rule.ruleName} rule's ${key} (${days}) must be at least ${cold + COLD_STORAGE_MINIMUM_DAYS}: AWS Backup keeps a recovery point in cold storage for ${COLD_STORAGE_MINIMUM_DAYS} days at least, and coldStorageAfterDays is ${cold}.`);
    }
  }
}

/** The lock for one vault: explicit bounds, else the range of retentions the vault receives. */
function lockFor(lock: BackupPlanVaultLock, retentions: readonly number[]): VaultLockArgs | undefined {
  if (lock.mode === "none") return undefined;
  return {
    mode: lock.mode,
    minRetentionDays: lock.minRetentionDays ?? Math.min(...retentions),
    maxRetentionDays: lock.maxRetentionDays ?? Math.max(...retentions),
    ...(lock.changeableForDays === undefined ? {} : { changeableForDays: lock.changeableForDays }),
  };
}

function lifecycle(retentionDays: number, coldStorageAfterDays: number | undefined): aws.types.input.backup.PlanRuleLifecycle {
  return {
    deleteAfter: retentionDays,
    ...(coldStorageAfterDays === undefined ? {} : { coldStorageAfter: coldStorageAfterDays, optInToArchiveForSupportedResources: true }),
  };
}

interface ResolvedPlan {
  readonly rules: readonly ResolvedRule[];
  readonly startWindow: number;
  readonly completionWindow: number;
  readonly selectionTag: { readonly key: string; readonly value: string } | false;
  readonly emails: readonly string[];
  readonly lock: BackupPlanVaultLock;
  readonly primaryLock: VaultLockArgs | undefined;
  readonly drLock: VaultLockArgs | undefined;
}

/** Fills in the defaults and checks everything AWS would refuse, with the argument's name in the message. */
function resolvePlan(where: string, args: BackupPlanArgs): ResolvedPlan {
  if (args.dr !== undefined && args.drVaultArn !== undefined) {
    throw new Error(`${where}: pass either dr (the plan creates the DR vault) or drVaultArn (a vault created elsewhere), not both.`);
  }
  const copies = args.dr !== undefined || args.drVaultArn !== undefined;
  const rules: ResolvedRule[] = [
    ["daily", args.daily ?? DEFAULT_DAILY_RULE] as const,
    ["monthly", args.monthly ?? DEFAULT_MONTHLY_RULE] as const,
  ].map(([ruleName, rule]) => ({ ...rule, ruleName, copyRetentionDays: rule.copyRetentionDays ?? rule.retentionDays }));
  for (const rule of rules) validateRule(where, rule, copies);

  const startWindow = args.startWindowMinutes ?? 60;
  const completionWindow = args.completionWindowMinutes ?? 1440;
  if (!isWholeIn(startWindow, 60, 52_560_000)) throw new Error(`${where}: startWindowMinutes must be a whole number of minutes, at least 60; got ${startWindow}.`);
  if (!Number.isInteger(completionWindow) || completionWindow < startWindow + 60) {
    throw new Error(`${where}: completionWindowMinutes must be a whole number at least 60 minutes longer than the start window (${startWindow}); got ${completionWindow}.`);
  }

  const selectionTag = args.selectionTag === undefined ? DEFAULT_SELECTION_TAG : args.selectionTag;
  if (selectionTag === false && (args.resourceArns === undefined || (Array.isArray(args.resourceArns) && args.resourceArns.length === 0))) {
    throw new Error(`${where}: nothing is selected; keep selectionTag or pass resourceArns.`);
  }
  if (selectionTag !== false && (selectionTag.key.trim() === "" || selectionTag.value.trim() === "")) {
    throw new Error(`${where}: selectionTag needs a non-empty key and value.`);
  }
  const emails = args.notificationEmails ?? [];
  validateEmails(emails, `${where}: notificationEmails`);

  const lock = args.vaultLock ?? { mode: "governance" };
  if (lock.mode === "none" && (lock.minRetentionDays !== undefined || lock.maxRetentionDays !== undefined || lock.changeableForDays !== undefined)) {
    throw new Error(`${where}: vaultLock bounds were given with mode "none"; choose governance or compliance, or drop the bounds.`);
  }
  const primaryLock = lockFor(lock, rules.map((rule) => rule.retentionDays));
  if (primaryLock) validateVaultLock(`${where} (primary vault)`, primaryLock, rules.map((rule) => rule.retentionDays));
  // A vault made elsewhere has its own lock; only the one the plan creates is checked here.
  const drLock = args.dr ? lockFor(lock, rules.map((rule) => rule.copyRetentionDays)) : undefined;
  if (drLock) validateVaultLock(`${where} (DR vault)`, drLock, rules.map((rule) => rule.copyRetentionDays));

  return { rules, startWindow, completionWindow, selectionTag, emails, lock, primaryLock, drLock };
}

/**
 * AWS Backup for the platform: a primary vault (KMS, optional vault lock), a plan with a daily
 * and a monthly rule that copy to the DR vault, a selection by tag and by ARN, the service role,
 * and SNS notifications for failed backup and copy jobs. The primary parts use the provider in
 * `opts`; the DR vault uses `dr.provider`, or comes from elsewhere as `drVaultArn`.
 */
export class BackupPlan extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  /** Undefined without DR. */
  public readonly drVaultName: pulumi.Output<string> | undefined;
  /** Undefined without DR. */
  public readonly drVaultArn: pulumi.Output<string> | undefined;
  public readonly planId: pulumi.Output<string>;
  public readonly planArn: pulumi.Output<string>;
  public readonly selectionId: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly notificationTopicArn: pulumi.Output<string>;
  /** `none`, `governance` or `compliance`. */
  public readonly vaultLockMode: VaultLockMode;

  constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const { rules, startWindow, completionWindow, selectionTag, emails, lock, primaryLock, drLock } = resolvePlan(`BackupPlan ${name}`, args);
    super("shop:backup:BackupPlan", name, {}, opts);

    const vault = new BackupVault(childName(name, "vault"), {
      kmsKeyArn: args.kmsKeyArn,
      ...(primaryLock ? { lock: primaryLock } : {}),
      transforms: { vault: args.transforms?.vault, lock: args.transforms?.vaultLock },
    }, { parent: this });

    let drVaultArn: pulumi.Output<string> | undefined;
    let drVaultName: pulumi.Output<string> | undefined;
    if (args.dr) {
      const drVault = new BackupVault(childName(name, "dr-vault"), {
        kmsKeyArn: args.dr.kmsKeyArn,
        ...(args.dr.vaultName === undefined ? {} : { vaultName: args.dr.vaultName }),
        ...(drLock ? { lock: drLock } : {}),
        transforms: { vault: args.transforms?.drVault, lock: args.transforms?.vaultLock },
      }, { parent: this, provider: args.dr.provider });
      drVaultArn = drVault.vaultArn;
      drVaultName = drVault.vaultName;
    } else if (args.drVaultArn !== undefined) {
      drVaultArn = pulumi.output(args.drVaultArn);
      drVaultName = drVaultArn.apply((arn) => arn.slice(arn.indexOf("backup-vault:") + "backup-vault:".length));
    }

    const plan = new aws.backup.Plan(childName(name, "plan"), applyTransform<aws.backup.PlanArgs>({
      name: awsName(name, 50, PLAN_NAME),
      rules: rules.map((rule): aws.types.input.backup.PlanRule => ({
        ruleName: rule.ruleName,
        targetVaultName: vault.vaultName,
        schedule: rule.schedule,
        startWindow,
        completionWindow,
        lifecycle: lifecycle(rule.retentionDays, rule.coldStorageAfterDays),
        recoveryPointTags: { "shop:backup-rule": rule.ruleName },
        ...(drVaultArn === undefined ? {} : {
          copyActions: [{ destinationVaultArn: drVaultArn, lifecycle: lifecycle(rule.copyRetentionDays, rule.coldStorageAfterDays) }],
        }),
      })),
    }, args.transforms?.plan), { parent: this });

    const role = new aws.iam.Role(childName(name, "role"), applyTransform<aws.iam.RoleArgs>({
      name: awsName(childName(name, "backup"), 64, /[^a-zA-Z0-9+=,.@_-]/g),
      description: `AWS Backup service role for ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }, args.transforms?.role), { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const policies = args.s3 === false ? [MANAGED_POLICIES.backup, MANAGED_POLICIES.restores] : Object.values(MANAGED_POLICIES);
    const attachments = policies.map((policy) => new aws.iam.RolePolicyAttachment(childName(name, `policy-${policy.replace(/^.*\/|AWSBackupServiceRolePolicyFor/g, "").toLowerCase()}`), {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`,
    }, { parent: this }));

    const resourceArns = args.resourceArns;
    const selection = new aws.backup.Selection(childName(name, "selection"), applyTransform<aws.backup.SelectionArgs>({
      name: awsName(childName(name, "selection"), 50, PLAN_NAME),
      planId: plan.id,
      iamRoleArn: role.arn,
      ...(selectionTag === false ? {} : { selectionTags: [{ type: "STRINGEQUALS", key: selectionTag.key, value: selectionTag.value }] }),
      ...(resourceArns === undefined ? {} : { resources: resourceArns }),
    }, args.transforms?.selection), { parent: this, dependsOn: attachments });

    // Backup and copy jobs are reported in the region that runs them: the primary vault's.
    const notificationTopic = createNotificationTopic(childName(name, "notifications"), this, {
      kmsKeyArn: args.notificationKmsKeyArn ?? args.kmsKeyArn,
      emails,
      publishers: ["backup"],
      emailFilterPolicy: BACKUP_EMAIL_FILTER_POLICY,
      dataClass: "telemetry",
      ...(args.transforms?.topic ? { transform: args.transforms.topic } : {}),
    });
    new aws.backup.VaultNotifications(childName(name, "vault-notifications"), applyTransform<aws.backup.VaultNotificationsArgs>({
      backupVaultName: vault.vaultName,
      snsTopicArn: notificationTopic.topic.arn,
      backupVaultEvents: [...BACKUP_NOTIFICATION_EVENTS],
    }, args.transforms?.notifications), { parent: this, dependsOn: [notificationTopic.policy] });

    this.vaultName = vault.vaultName;
    this.vaultArn = vault.vaultArn;
    this.drVaultName = drVaultName;
    this.drVaultArn = drVaultArn;
    this.planId = plan.id;
    this.planArn = plan.arn;
    this.selectionId = selection.id;
    this.roleArn = role.arn;
    this.notificationTopicArn = notificationTopic.topic.arn;
    this.vaultLockMode = lock.mode;
    // Without DR the DR outputs are left out: the engine warns about undefined outputs.
    this.registerOutputs(Object.fromEntries(Object.entries({
      vaultName: this.vaultName,
      vaultArn: this.vaultArn,
      drVaultName: this.drVaultName,
      drVaultArn: this.drVaultArn,
      planId: this.planId,
      planArn: this.planArn,
      selectionId: this.selectionId,
      roleArn: this.roleArn,
      notificationTopicArn: this.notificationTopicArn,
      vaultLockMode: this.vaultLockMode,
    }).filter(([, value]) => value !== undefined)));
  }
}
