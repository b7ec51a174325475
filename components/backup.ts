import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { createNotificationTopic, validateEmails } from "./common/notification-topic.js";
import { BACKUP_CRON } from "./common/patterns.js";
import { type Transform, transform } from "./common/transform.js";

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

/** `what` names the arg in the message, e.g. "vault lock minRetentionDays". */
function requireDays(check: ArgsChecker, what: string, value: number, min = 1, max = MAX_RETENTION_DAYS): void {
  check.require(isWholeIn(value, min, max), what, value, `${what} must be a whole number of days from ${min} to ${max}; got ${value}.`);
}

/**
 * Checks a lock's bounds, and that every retention the vault will receive (`retentions`) fits
 * inside them: AWS fails any backup or copy job whose retention is outside the lock's range.
 */
export function validateVaultLock(check: ArgsChecker, lock: VaultLockArgs, retentions: readonly number[] = []): void {
  requireDays(check, "vault lock minRetentionDays", lock.minRetentionDays);
  requireDays(check, "vault lock maxRetentionDays", lock.maxRetentionDays);
  check.require(lock.minRetentionDays <= lock.maxRetentionDays, "minRetentionDays", lock.minRetentionDays,
    `vault lock minRetentionDays (${lock.minRetentionDays}) is greater than maxRetentionDays (${lock.maxRetentionDays}).`);
  if (lock.changeableForDays !== undefined) {
    check.require(lock.mode === "compliance", "changeableForDays", lock.changeableForDays,
      `changeableForDays applies to a compliance-mode vault lock only; this lock is in ${lock.mode} mode.`);
    requireDays(check, "vault lock changeableForDays", lock.changeableForDays, MIN_CHANGEABLE_FOR_DAYS);
  }
  for (const days of retentions) {
    check.require(days >= lock.minRetentionDays && days <= lock.maxRetentionDays, "retentionDays", days,
      `a retention of ${days} days is outside the vault lock's ${lock.minRetentionDays} to ${lock.maxRetentionDays} days; AWS Backup would fail those jobs.`);
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
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  readonly transforms?: BackupVaultTransforms;
}

export interface BackupVaultTransforms {
  /** The vault (named like the component). */
  readonly vault?: Transform<aws.backup.VaultArgs>;
  /** The vault lock configuration (`<name>-lock`). */
  readonly lock?: Transform<aws.backup.VaultLockConfigurationArgs>;
}

/**
 * One AWS Backup vault with its KMS key and an optional vault lock, in the region of the provider
 * passed in `opts`. BackupPlan creates its vaults with it; the stack can also create the DR vault
 * on its own and hand its ARN to BackupPlan (`drVaultArn`).
 *
 * @example
 * ```ts
 * const drVault = new BackupVault("shop-prod-dr-vault", {
 *   kmsKeyArn: drKeys.keyArn("backup"),
 *   lock: { mode: "governance", minRetentionDays: 35, maxRetentionDays: 365 },
 * }, { provider: dr });
 * ```
 */
export class BackupVault extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;
  /** `none`, `governance` or `compliance`. */
  public readonly lockMode: VaultLockMode;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const check = new ArgsChecker(`BackupVault ${name}`);
    const physicalName = args.vaultName ?? awsName(name, 50, VAULT_NAME);
    check.require(/^[a-zA-Z0-9_-]{2,50}$/.test(physicalName), "vaultName", physicalName,
      `vaultName ${JSON.stringify(physicalName)} must be 2 to 50 letters, digits, "-" or "_".`);
    if (args.lock !== undefined) validateVaultLock(check, args.lock);
    super("shop:backup:BackupVault", name, {}, opts);

    const vault = this.createVault(name, physicalName, args);
    if (args.lock !== undefined) this.createLock(name, vault, args.lock, args.transforms?.lock);

    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.lockMode = args.lock?.mode ?? "none";
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn, lockMode: this.lockMode });
  }

  private createVault(name: string, physicalName: string, args: BackupVaultArgs): aws.backup.Vault {
    return new aws.backup.Vault(...transform<aws.backup.VaultArgs>(args.transforms?.vault, name, {
      name: physicalName,
      kmsKeyArn: args.kmsKeyArn,
      // Recovery points are the last line of defence: never delete them with the stack.
      forceDestroy: false,
      tags: { DataClass: "backup" },
    }, { parent: this }));
  }

  private createLock(name: string, vault: aws.backup.Vault, lock: VaultLockArgs, change: Transform<aws.backup.VaultLockConfigurationArgs> | undefined): void {
    new aws.backup.VaultLockConfiguration(...transform<aws.backup.VaultLockConfigurationArgs>(change, childName(name, "lock"), {
      backupVaultName: vault.name,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      // The provider's switch: a grace period makes a compliance-mode lock, none a governance one.
      ...(lock.mode === "compliance" ? { changeableForDays: lock.changeableForDays ?? MIN_CHANGEABLE_FOR_DAYS } : {}),
    }, { parent: this }));
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
  /** Recovery points must be kept at least this long. @default the shortest retention the vault receives */
  readonly minRetentionDays?: number;
  /** Recovery points may be kept at most this long. @default the longest retention the vault receives */
  readonly maxRetentionDays?: number;
  /** Compliance mode only: days during which the lock can still be removed. @default 3 */
  readonly changeableForDays?: number;
}

/** The DR vault, created by the plan with the DR region's provider. */
export interface BackupPlanDrVault {
  /** Provider of the DR region. */
  readonly provider: pulumi.ProviderResource;
  /** Customer-managed KMS key in the DR region. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Physical name of the DR vault. @default `<name>-dr-vault` */
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
   * @default undefined (no DR vault created here)
   */
  readonly dr?: BackupPlanDrVault;
  /**
   * Copy to a DR vault created elsewhere (e.g. a BackupVault in the DR region's stack). Not with `dr`.
   * @default undefined (no copies unless `dr` is given)
   */
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
  readonly alarmEmails?: readonly string[];
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  readonly transforms?: BackupPlanTransforms;
}

export interface BackupPlanTransforms {
  /** The primary vault. */
  readonly vault?: Transform<aws.backup.VaultArgs>;
  /** The DR vault the plan creates (with `dr`). */
  readonly drVault?: Transform<aws.backup.VaultArgs>;
  /** Both vaults' lock configurations. */
  readonly vaultLock?: Transform<aws.backup.VaultLockConfigurationArgs>;
  /** The backup plan and its rules. */
  readonly plan?: Transform<aws.backup.PlanArgs>;
  /** The selection (by tag and by ARN). */
  readonly selection?: Transform<aws.backup.SelectionArgs>;
  /** The AWS Backup service role. */
  readonly role?: Transform<aws.iam.RoleArgs>;
  /** Each managed-policy attachment of the service role. */
  readonly policyAttachment?: Transform<aws.iam.RolePolicyAttachmentArgs>;
  /** The notification topic. */
  readonly topic?: Transform<aws.sns.TopicArgs>;
  /** The notification topic's policy. */
  readonly topicPolicy?: Transform<aws.sns.TopicPolicyArgs>;
  /** Each email subscription to the notification topic. */
  readonly topicSubscription?: Transform<aws.sns.TopicSubscriptionArgs>;
  /** The primary vault's notification settings. */
  readonly notifications?: Transform<aws.backup.VaultNotificationsArgs>;
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

function validateRule(check: ArgsChecker, rule: ResolvedRule, copies: boolean): void {
  check.require(BACKUP_CRON.test(rule.schedule), `${rule.ruleName}.schedule`, rule.schedule,
    `the ${rule.ruleName} schedule ${JSON.stringify(rule.schedule)} must be an AWS Backup cron expression with six fields, such as cron(0 3 * * ? *).`);
  requireDays(check, `the ${rule.ruleName} rule's retentionDays`, rule.retentionDays);
  requireDays(check, `the ${rule.ruleName} rule's copyRetentionDays`, rule.copyRetentionDays);
  const cold = rule.coldStorageAfterDays;
  if (cold === undefined) return;
  requireDays(check, `the ${rule.ruleName} rule's coldStorageAfterDays`, cold);
  const kept = [["retentionDays", rule.retentionDays], ...(copies ? [["copyRetentionDays", rule.copyRetentionDays] as const] : [])] as const;
  for (const [key, days] of kept) {
    check.require(days >= cold + COLD_STORAGE_MINIMUM_DAYS, `${rule.ruleName}.${key}`, days,
      `the ${rule.ruleName} rule's ${key} (${days}) must be at least ${cold + COLD_STORAGE_MINIMUM_DAYS}: AWS Backup keeps a recovery point in cold storage for ${COLD_STORAGE_MINIMUM_DAYS} days at least, and coldStorageAfterDays is ${cold}.`);
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
  const check = new ArgsChecker(where);
  check.require(args.dr === undefined || args.drVaultArn === undefined, "dr", "dr and drVaultArn",
    "pass either dr (the plan creates the DR vault) or drVaultArn (a vault created elsewhere), not both.");
  const copies = args.dr !== undefined || args.drVaultArn !== undefined;
  const rules: ResolvedRule[] = [
    ["daily", args.daily ?? DEFAULT_DAILY_RULE] as const,
    ["monthly", args.monthly ?? DEFAULT_MONTHLY_RULE] as const,
  ].map(([ruleName, rule]) => ({ ...rule, ruleName, copyRetentionDays: rule.copyRetentionDays ?? rule.retentionDays }));
  for (const rule of rules) validateRule(check, rule, copies);
  const { startWindow, completionWindow } = checkWindows(check, args);
  const selectionTag = checkSelection(check, args);
  const emails = args.alarmEmails ?? [];
  validateEmails(emails, `${where}: alarmEmails`);
  const { lock, primaryLock, drLock } = resolveLocks(where, args, rules);
  return { rules, startWindow, completionWindow, selectionTag, emails, lock, primaryLock, drLock };
}

function checkWindows(check: ArgsChecker, args: BackupPlanArgs): { startWindow: number; completionWindow: number } {
  const startWindow = args.startWindowMinutes ?? 60;
  const completionWindow = args.completionWindowMinutes ?? 1440;
  check.require(isWholeIn(startWindow, 60, 52_560_000), "startWindowMinutes", startWindow,
    `startWindowMinutes must be a whole number of minutes, at least 60; got ${startWindow}.`);
  check.require(Number.isInteger(completionWindow) && completionWindow >= startWindow + 60, "completionWindowMinutes", completionWindow,
    `completionWindowMinutes must be a whole number at least 60 minutes longer than the start window (${startWindow}); got ${completionWindow}.`);
  return { startWindow, completionWindow };
}

function checkSelection(check: ArgsChecker, args: BackupPlanArgs): ResolvedPlan["selectionTag"] {
  const selectionTag = args.selectionTag === undefined ? DEFAULT_SELECTION_TAG : args.selectionTag;
  const noArns = args.resourceArns === undefined || (Array.isArray(args.resourceArns) && args.resourceArns.length === 0);
  check.require(selectionTag !== false || !noArns, "selectionTag", selectionTag, "nothing is selected; keep selectionTag or pass resourceArns.");
  check.require(selectionTag === false || (selectionTag.key.trim() !== "" && selectionTag.value.trim() !== ""), "selectionTag", selectionTag,
    "selectionTag needs a non-empty key and value.");
  return selectionTag;
}

/** Each vault's lock, bounded by the retentions it receives unless the bounds are given. */
function resolveLocks(where: string, args: BackupPlanArgs, rules: readonly ResolvedRule[]): Pick<ResolvedPlan, "lock" | "primaryLock" | "drLock"> {
  const lock = args.vaultLock ?? { mode: "governance" };
  const bounded = lock.minRetentionDays !== undefined || lock.maxRetentionDays !== undefined || lock.changeableForDays !== undefined;
  new ArgsChecker(where).require(lock.mode !== "none" || !bounded, "vaultLock", lock,
    `vaultLock bounds were given with mode "none"; choose governance or compliance, or drop the bounds.`);
  const retentions = rules.map((rule) => rule.retentionDays);
  const primaryLock = lockFor(lock, retentions);
  if (primaryLock) validateVaultLock(new ArgsChecker(`${where} (primary vault)`), primaryLock, retentions);
  // A vault made elsewhere has its own lock; only the one the plan creates is checked here.
  const copyRetentions = rules.map((rule) => rule.copyRetentionDays);
  const drLock = args.dr ? lockFor(lock, copyRetentions) : undefined;
  if (drLock) validateVaultLock(new ArgsChecker(`${where} (DR vault)`), drLock, copyRetentions);
  return { lock, primaryLock, drLock };
}

/** Where the plan copies to: the DR vault it created, or one made elsewhere. */
interface CopyTarget {
  readonly vaultArn: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
}

/**
 * AWS Backup for the platform: a primary vault (KMS, optional vault lock), a plan with a daily
 * and a monthly rule that copy to the DR vault, a selection by tag and by ARN, the service role,
 * and SNS notifications for failed backup and copy jobs. The primary parts use the provider in
 * `opts`; the DR vault uses `dr.provider`, or comes from elsewhere as `drVaultArn`.
 *
 * @example
 * ```ts
 * new BackupPlan("shop-prod-backup", {
 *   kmsKeyArn: keys.keyArn("backup"),
 *   dr: { provider: dr, kmsKeyArn: drKeys.keyArn("backup") },
 *   resourceArns: [db.arn, assets.bucketArn],
 *   notificationKmsKeyArn: keys.keyArn("telemetry"),
 *   alarmEmails: ["oncall@example.com"],
 * }, { provider: primary });
 * ```
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
    const resolved = resolvePlan(`BackupPlan ${name}`, args);
    super("shop:backup:BackupPlan", name, {}, opts);

    const vault = this.createPrimaryVault(name, args, resolved.primaryLock);
    const copyTarget = this.createOrFindDrVault(name, args, resolved.drLock);
    const plan = this.createPlan(name, args, resolved, vault, copyTarget);
    const { role, attachments } = this.createServiceRole(name, args);
    const selection = this.createSelection(name, args, resolved.selectionTag, plan, role, attachments);
    const topicArn = this.createFailureNotifications(name, args, resolved.emails, vault);

    this.vaultName = vault.vaultName;
    this.vaultArn = vault.vaultArn;
    this.drVaultName = copyTarget?.vaultName;
    this.drVaultArn = copyTarget?.vaultArn;
    this.planId = plan.id;
    this.planArn = plan.arn;
    this.selectionId = selection.id;
    this.roleArn = role.arn;
    this.notificationTopicArn = topicArn;
    this.vaultLockMode = resolved.lock.mode;
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

  private createPrimaryVault(name: string, args: BackupPlanArgs, lock: VaultLockArgs | undefined): BackupVault {
    return new BackupVault(childName(name, "vault"), {
      kmsKeyArn: args.kmsKeyArn,
      ...(lock ? { lock } : {}),
      transforms: { vault: args.transforms?.vault, lock: args.transforms?.vaultLock },
    }, { parent: this });
  }

  /** The DR vault in the DR region (with `dr`), the vault named by `drVaultArn`, or none. */
  private createOrFindDrVault(name: string, args: BackupPlanArgs, lock: VaultLockArgs | undefined): CopyTarget | undefined {
    if (args.dr) {
      return new BackupVault(childName(name, "dr-vault"), {
        kmsKeyArn: args.dr.kmsKeyArn,
        ...(args.dr.vaultName === undefined ? {} : { vaultName: args.dr.vaultName }),
        ...(lock ? { lock } : {}),
        transforms: { vault: args.transforms?.drVault, lock: args.transforms?.vaultLock },
      }, { parent: this, provider: args.dr.provider });
    }
    if (args.drVaultArn === undefined) return undefined;
    const vaultArn = pulumi.output(args.drVaultArn);
    return { vaultArn, vaultName: vaultArn.apply((arn) => arn.slice(arn.indexOf("backup-vault:") + "backup-vault:".length)) };
  }

  /** The plan: each rule backs up to the primary vault and, with DR, copies to the DR vault. */
  private createPlan(name: string, args: BackupPlanArgs, resolved: ResolvedPlan, vault: BackupVault, copyTarget: CopyTarget | undefined): aws.backup.Plan {
    return new aws.backup.Plan(...transform<aws.backup.PlanArgs>(args.transforms?.plan, childName(name, "plan"), {
      name: awsName(name, 50, PLAN_NAME),
      rules: resolved.rules.map((rule): aws.types.input.backup.PlanRule => ({
        ruleName: rule.ruleName,
        targetVaultName: vault.vaultName,
        schedule: rule.schedule,
        startWindow: resolved.startWindow,
        completionWindow: resolved.completionWindow,
        lifecycle: lifecycle(rule.retentionDays, rule.coldStorageAfterDays),
        recoveryPointTags: { "shop:backup-rule": rule.ruleName },
        ...(copyTarget === undefined ? {} : {
          copyActions: [{ destinationVaultArn: copyTarget.vaultArn, lifecycle: lifecycle(rule.copyRetentionDays, rule.coldStorageAfterDays) }],
        }),
      })),
    }, { parent: this }));
  }

  /** The role AWS Backup assumes, with AWS's managed backup and restore policies (S3's too unless `s3: false`). */
  private createServiceRole(name: string, args: BackupPlanArgs): { role: aws.iam.Role; attachments: aws.iam.RolePolicyAttachment[] } {
    const role = new aws.iam.Role(...transform<aws.iam.RoleArgs>(args.transforms?.role, childName(name, "role"), {
      name: awsName(childName(name, "backup"), 64, /[^a-zA-Z0-9+=,.@_-]/g),
      description: `AWS Backup service role for ${name}`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
      }),
    }, { parent: this }));
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const policies = args.s3 === false ? [MANAGED_POLICIES.backup, MANAGED_POLICIES.restores] : Object.values(MANAGED_POLICIES);
    const attachments = policies.map((policy) => new aws.iam.RolePolicyAttachment(...transform<aws.iam.RolePolicyAttachmentArgs>(
      args.transforms?.policyAttachment,
      childName(name, `policy-${policy.replace(/^.*\/|AWSBackupServiceRolePolicyFor/g, "").toLowerCase()}`),
      { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
      { parent: this },
    )));
    return { role, attachments };
  }

  private createSelection(
    name: string,
    args: BackupPlanArgs,
    selectionTag: ResolvedPlan["selectionTag"],
    plan: aws.backup.Plan,
    role: aws.iam.Role,
    attachments: aws.iam.RolePolicyAttachment[],
  ): aws.backup.Selection {
    const resourceArns = args.resourceArns;
    return new aws.backup.Selection(...transform<aws.backup.SelectionArgs>(args.transforms?.selection, childName(name, "selection"), {
      name: awsName(childName(name, "selection"), 50, PLAN_NAME),
      planId: plan.id,
      iamRoleArn: role.arn,
      ...(selectionTag === false ? {} : { selectionTags: [{ type: "STRINGEQUALS", key: selectionTag.key, value: selectionTag.value }] }),
      ...(resourceArns === undefined ? {} : { resources: resourceArns }),
    }, { parent: this, dependsOn: attachments }));
  }

  /** An encrypted topic that emails failed backup and copy jobs; returns the topic's ARN. */
  private createFailureNotifications(name: string, args: BackupPlanArgs, emails: readonly string[], vault: BackupVault): pulumi.Output<string> {
    const transforms = args.transforms;
    // Backup and copy jobs are reported in the region that runs them: the primary vault's.
    const notificationTopic = createNotificationTopic(childName(name, "notifications"), this, {
      kmsKeyArn: args.notificationKmsKeyArn ?? args.kmsKeyArn,
      emails,
      publishers: ["backup"],
      emailFilterPolicy: BACKUP_EMAIL_FILTER_POLICY,
      dataClass: "telemetry",
      ...(transforms?.topic ? { transform: transforms.topic } : {}),
      ...(transforms?.topicPolicy ? { policyTransform: transforms.topicPolicy } : {}),
      ...(transforms?.topicSubscription ? { subscriptionTransform: transforms.topicSubscription } : {}),
    });
    new aws.backup.VaultNotifications(...transform<aws.backup.VaultNotificationsArgs>(transforms?.notifications, childName(name, "vault-notifications"), {
      backupVaultName: vault.vaultName,
      snsTopicArn: notificationTopic.topic.arn,
      backupVaultEvents: [...BACKUP_NOTIFICATION_EVENTS],
    }, { parent: this, dependsOn: [notificationTopic.policy] }));
    return notificationTopic.topic.arn;
  }
}
