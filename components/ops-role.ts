import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { transform, type Transform } from "./common/transform.js";

/** The CloudWatch namespace shopctl writes its DR figures (RTO, RPO) to. */
export const OPS_METRIC_NAMESPACE = "ShopPlatform/DR";

export interface OpsRoleArgs {
  /**
   * Principals (role or user ARNs) allowed to assume the role, e.g. the CI role. The stacks pass
   * the stack config's `opsRole.trustedPrincipalArns`.
   * @default []
   */
  trustedPrincipalArns?: pulumi.Input<string>[];
  /**
   * Also let the account's principals assume the role, only when they signed in with MFA (the
   * stacks pass `opsRole.allowAccountWithMfa`: on in dev and staging, off in prod). Opt-in: with it
   * off, trustedPrincipalArns must name somebody.
   * @default false
   */
  allowAccountWithMfa?: boolean;
  /**
   * Route 53 health checks `shopctl failover` inverts.
   * @default []
   */
  healthCheckIds?: pulumi.Input<string>[];
  /**
   * Hosted zones whose failover records shopctl may change.
   * @default []
   */
  hostedZoneIds?: pulumi.Input<string>[];
  /**
   * Auto Scaling groups shopctl may resize (failover, drill), by name with their region.
   * @default []
   */
  autoScalingGroups?: {
    /** The group's region. */
    region: pulumi.Input<string>;
    /** The group's name. */
    name: pulumi.Input<string>;
  }[];
  /**
   * RDS instances shopctl may promote or modify (and, for failback, re-create replicas of).
   * @default []
   */
  databaseArns?: pulumi.Input<string>[];
  /**
   * Runtime SSM parameters failover rewrites.
   * @default []
   */
  runtimeParameterArns?: pulumi.Input<string>[];
  /**
   * OpenSearch domains `shopctl reindex` writes to.
   * @default []
   */
  searchDomainArns?: pulumi.Input<string>[];
  /**
   * Backup vaults the DR commands read: the backup audit, DR readiness and drills (the primary and
   * the DR vault).
   * @default []
   */
  backupVaultArns?: pulumi.Input<string>[];
  /**
   * Secrets shopctl reads (the database credentials, for reindex).
   * @default []
   */
  secretArns?: pulumi.Input<string>[];
  /**
   * KMS keys those secrets and parameters are encrypted with.
   * @default []
   */
  kmsKeyArns?: pulumi.Input<string>[];
  /**
   * The AWS Backup service role `shopctl drill` restores with (BackupPlan's `roleArn`); without it
   * the role cannot start restores.
   * @default []
   */
  restoreRoleArns?: pulumi.Input<string>[];
  /**
   * The DR web tier's instance role, which a drill instance launched from its launch template
   * runs as (WebTier's `instanceRoleArn`); without it the role cannot start drill instances.
   * @default []
   */
  drillInstanceRoleArns?: pulumi.Input<string>[];
  /**
   * Longest session, in seconds: 3600 to 43200.
   * @default 3600
   */
  maxSessionDuration?: number;
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** The IAM role (its physical name is `<project>-<stack>-ops`). */
    role?: Transform<aws.iam.RoleArgs>;
    /** The inline policy with the operations' permissions. */
    policy?: Transform<aws.iam.RolePolicyArgs>;
  };
}

interface Statement {
  Sid: string;
  Effect: "Allow";
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Reads AWS authorizes only on `*` (Resource "*" is all the Service Authorization Reference
 * allows), or that list the whole account. Every other read names the stack's resources below.
 */
const ACCOUNT_WIDE_READS = [
  // Describe calls of Auto Scaling, ELBv2 and EC2 support no resource-level permissions.
  "autoscaling:Describe*", "elasticloadbalancing:Describe*",
  "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeInstances",
  // Metric reads take no resource; DescribeAlarms is called unfiltered (every alarm in ALARM), so
  // it names no alarm and is kept on * rather than bet failover's verification on its scoping.
  "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:DescribeAlarms",
  // Job listings and a restore job's status: jobs are not IAM resources.
  "backup:ListBackupJobs", "backup:ListCopyJobs", "backup:DescribeRestoreJob",
  // List-all only; GetCommandInvocation is not known to support resource-level permissions.
  "kms:ListAliases", "ssm:GetCommandInvocation",
  // Needs no permission at all; listed because failover's preflight calls it.
  "sts:GetCallerIdentity",
];

/** The tag a drill puts on what it creates (shopctl's cli/dr/drill.ts): teardown may touch only those. */
export const DRILL_TAG = "ShopDrill";

/**
 * The role shopctl's operations assume (status, failover, drill, reindex): reads and writes name
 * the stack's own health checks, records, fleets, databases, parameters, search domains and
 * vaults; Resource "*" only for the reads AWS authorizes on nothing narrower (ACCOUNT_WIDE_READS)
 * and for PutMetricData, held to one namespace. Trusted: trustedPrincipalArns, and the account's
 * MFA sign-ins only with allowAccountWithMfa.
 *
 * @example
 * ```ts
 * new OpsRole("ops", {
 *   trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci-deploy"],
 *   healthCheckIds: [origin.healthCheckId],
 *   hostedZoneIds: [zone.zoneId],
 *   databaseArns: [database.arn],
 *   searchDomainArns: [search.arn],
 *   backupVaultArns: [backup.vaultArn],
 * });
 * ```
 */
export class OpsRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: OpsRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:iam:OpsRole", name, {}, opts);
    const maxSession = checkOpsRoleArgs(name, args);
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const role = this.createRole(name, args, maxSession, trustPolicy(args, account, partition));
    this.createPolicy(name, args, role, operationsPolicy(args, account, partition));

    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }

  private createRole(name: string, args: OpsRoleArgs, maxSession: number, assumeRolePolicy: pulumi.Output<string>): aws.iam.Role {
    return new aws.iam.Role(...transform(args.transforms?.role, childName(name, "role"), {
      name: awsName(`${pulumi.getProject()}-${pulumi.getStack()}-ops`, 64),
      description: "shopctl operations: status, DR failover and drills, catalog reindex",
      assumeRolePolicy,
      maxSessionDuration: maxSession,
    }, { parent: this }));
  }

  private createPolicy(name: string, args: OpsRoleArgs, role: aws.iam.Role, policy: pulumi.Output<string>): aws.iam.RolePolicy {
    return new aws.iam.RolePolicy(...transform(args.transforms?.policy, childName(name, "operations"), {
      role: role.name,
      policy,
    }, { parent: this }));
  }
}

/** Checks the args; returns the session length. */
function checkOpsRoleArgs(name: string, args: OpsRoleArgs): number {
  const check = new ArgsChecker(`OpsRole "${name}"`);
  const allowAccount = args.allowAccountWithMfa ?? false;
  check.require(allowAccount || (args.trustedPrincipalArns ?? []).length > 0, "trustedPrincipalArns", args.trustedPrincipalArns,
    "nobody could assume the role; name its principals in trustedPrincipalArns (stack config: opsRole.trustedPrincipalArns) or set allowAccountWithMfa");
  return check.integer("maxSessionDuration", args.maxSessionDuration ?? 3600, 3600, 43200);
}

/** The named principals, plus (opt-in) people in the account who signed in with MFA. */
function trustPolicy(args: OpsRoleArgs, account: pulumi.Output<string>, partition: pulumi.Output<string>): pulumi.Output<string> {
  const allowAccount = args.allowAccountWithMfa ?? false;
  return pulumi.all([account, partition, pulumi.all(args.trustedPrincipalArns ?? [])]).apply(([accountId, part, principals]) => JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      ...(allowAccount ? [{
        Sid: "AccountPrincipalsWithMfa",
        Effect: "Allow",
        Principal: { AWS: `arn:${part}:iam::${accountId}:root` },
        Action: "sts:AssumeRole",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      }] : []),
      ...(principals.length > 0 ? [{ Sid: "TrustedAutomation", Effect: "Allow", Principal: { AWS: principals }, Action: "sts:AssumeRole" }] : []),
    ],
  }));
}

/** Account-wide only the reads AWS cannot scope; every other read and every write names the stack's own resources. */
function operationsPolicy(args: OpsRoleArgs, account: pulumi.Output<string>, partition: pulumi.Output<string>): pulumi.Output<string> {
  const list = (values: pulumi.Input<string>[] | undefined): pulumi.Output<string[]> => pulumi.output(values ?? []);
  const groupArns = pulumi.all([account, partition, pulumi.output((args.autoScalingGroups ?? []).map((group) => pulumi.all([group.region, group.name])))])
    .apply(([accountId, part, groups]) => groups.map(([region, group]) => `arn:${part}:autoscaling:${region}:${accountId}:autoScalingGroup:*:autoScalingGroupName/${group}`));
  return pulumi.all([
    partition, list(args.healthCheckIds), list(args.hostedZoneIds), groupArns,
    list(args.databaseArns), list(args.runtimeParameterArns), list(args.searchDomainArns),
    pulumi.all([list(args.secretArns), list(args.kmsKeyArns), list(args.restoreRoleArns), list(args.drillInstanceRoleArns), account, list(args.backupVaultArns)]),
  ]).apply(([part, healthChecks, zones, groups, databases, parameters, domains, [secrets, keys, restoreRoles, instanceRoles, accountId, vaults]]) => {
    const statements: Statement[] = [{ Sid: "ReadPlatformState", Effect: "Allow", Action: ACCOUNT_WIDE_READS, Resource: "*" }];
    const add = (Sid: string, Action: string[], Resource: string[]) => {
      if (Resource.length > 0) statements.push({ Sid, Effect: "Allow", Action, Resource });
    };
    statements.push(...scopedReadStatements({ part, account: accountId, healthChecks, zones, databases, domains, vaults }));
    add("FenceAndSwitchTraffic", ["route53:UpdateHealthCheck"], healthChecks.map((id) => `arn:${part}:route53:::healthcheck/${id}`));
    add("ChangeFailoverRecords", ["route53:ChangeResourceRecordSets"], zones.map((id) => `arn:${part}:route53:::hostedzone/${id}`));
    add("ResizeFleets", ["autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity"], groups);
    add("PromoteAndModifyDatabases", ["rds:PromoteReadReplica", "rds:ModifyDBInstance", "rds:RebootDBInstance"], databases);
    add("RepointRuntimeConfig", ["ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"], parameters);
    add("ReindexSearch", ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpDelete"], domains.flatMap((arn) => [arn, `${arn}/*`]));
    add("ReadDatabaseCredentials", ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], secrets);
    add("DecryptOperationalSecrets", ["kms:Decrypt"], keys);
    statements.push(...disasterRecoveryStatements({ part, account: accountId, databases, restoreRoles, instanceRoles, vaults }));
    statements.push({
      Sid: "PublishDrFigures", Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: "*",
      // PutMetricData has no resource scoping; the namespace condition is the scoping AWS offers.
      Condition: { StringEquals: { "cloudwatch:namespace": OPS_METRIC_NAMESPACE } },
    });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
  });
}

/**
 * The reads that name resources: each on the stack's own health checks, zones, databases, search
 * domains and vaults. Alarm tags and key metadata are read account-wide (still not `*`): the
 * alarms in ALARM may belong to any stack, and DR readiness describes every key behind the
 * stack's alias prefix, whose key ids the program does not all know (the edge ring's among them).
 */
function scopedReadStatements(r: { part: string; account: string; healthChecks: string[]; zones: string[]; databases: string[]; domains: string[]; vaults: string[] }): Statement[] {
  const statements: Statement[] = [];
  const add = (Sid: string, Action: string[], Resource: string[]) => {
    if (Resource.length > 0) statements.push({ Sid, Effect: "Allow", Action, Resource });
  };
  add("ReadHealthChecks", ["route53:GetHealthCheck", "route53:GetHealthCheckStatus"], r.healthChecks.map((id) => `arn:${r.part}:route53:::healthcheck/${id}`));
  add("ReadFailoverRecords", ["route53:ListResourceRecordSets"], r.zones.map((id) => `arn:${r.part}:route53:::hostedzone/${id}`));
  // A drill describes its throwaway `<id>-drill-<run>` instance too (DeleteDrillDatabases' pattern).
  add("ReadDatabases", ["rds:DescribeDBInstances", "rds:ListTagsForResource"], r.databases.length > 0 ? [...r.databases, `arn:${r.part}:rds:*:${r.account}:db:*-drill-*`] : []);
  add("ReadSearchDomains", ["es:DescribeDomain"], r.domains);
  add("ReadBackupVaults", ["backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault"], r.vaults);
  add("ReadAlarmTags", ["cloudwatch:ListTagsForResource"], [`arn:${r.part}:cloudwatch:*:${r.account}:alarm:*`]);
  add("DescribeKeys", ["kms:DescribeKey"], [`arn:${r.part}:kms:*:${r.account}:key/*`]);
  return statements;
}

/**
 * Failback (re-creating replicas under the stack's database identifiers) and drills (restoring a
 * backup into a throwaway instance, one tagged instance from the web tier's launch template, an
 * SSM readiness check, teardown). Every write names its resources or a tag condition.
 */
function disasterRecoveryStatements(r: { part: string; account: string; databases: string[]; restoreRoles: string[]; instanceRoles: string[]; vaults: string[] }): Statement[] {
  const arn = (service: string, resource: string, region = "*") => `arn:${r.part}:${service}:${region}:${r.account}:${resource}`;
  const statements: Statement[] = [];
  if (r.databases.length > 0) {
    statements.push({
      Sid: "RecreateReplicas",
      Effect: "Allow",
      Action: ["rds:CreateDBInstanceReadReplica", "rds:AddTagsToResource"],
      Resource: [...r.databases, arn("rds", "subgrp:*"), arn("rds", "pg:*"), arn("rds", "og:*"), arn("rds", "secgrp:*")],
    });
    // Encrypted replicas and drill volumes need grants on the region's keys, only through RDS or EC2.
    statements.push({
      Sid: "UseKeysThroughRdsAndEc2",
      Effect: "Allow",
      Action: ["kms:CreateGrant", "kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncrypt*"],
      Resource: arn("kms", "key/*"),
      Condition: { StringLike: { "kms:ViaService": ["rds.*.amazonaws.com", "ec2.*.amazonaws.com"] } },
    });
  }
  if (r.restoreRoles.length > 0) {
    // An RDS recovery point's ARN is its snapshot's; the vault is named too, in case AWS Backup
    // authorizes the metadata read on the vault the request names.
    const recoveryPoints = [arn("backup", "recovery-point:*"), arn("rds", "snapshot:awsbackup:*")];
    statements.push({ Sid: "DrillRestores", Effect: "Allow", Action: ["backup:StartRestoreJob"], Resource: recoveryPoints });
    statements.push({ Sid: "ReadRestoreMetadata", Effect: "Allow", Action: ["backup:GetRecoveryPointRestoreMetadata"], Resource: [...recoveryPoints, ...r.vaults] });
    statements.push({ Sid: "PassRestoreRole", Effect: "Allow", Action: ["iam:PassRole"], Resource: r.restoreRoles, Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } } });
    statements.push({ Sid: "DeleteDrillDatabases", Effect: "Allow", Action: ["rds:DeleteDBInstance"], Resource: [arn("rds", "db:*-drill-*")] });
  }
  if (r.instanceRoles.length > 0) {
    statements.push({
      Sid: "LaunchDrillInstances",
      Effect: "Allow",
      Action: ["ec2:RunInstances"],
      Resource: [arn("ec2", "instance/*"), arn("ec2", "volume/*")],
      Condition: { StringLike: { [`aws:RequestTag/${DRILL_TAG}`]: "*" } },
    });
    // Without the tagged instance above these alone start nothing; the drill does not tag its ENI.
    statements.push({
      Sid: "LaunchFromTheWebTemplate",
      Effect: "Allow",
      Action: ["ec2:RunInstances"],
      Resource: [arn("ec2", "subnet/*"), arn("ec2", "security-group/*"), arn("ec2", "network-interface/*"), arn("ec2", "launch-template/*"), `arn:${r.part}:ec2:*::image/*`],
    });
    statements.push({ Sid: "TagDrillInstances", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: [arn("ec2", "instance/*"), arn("ec2", "volume/*")], Condition: { StringEquals: { "ec2:CreateAction": "RunInstances" } } });
    statements.push({ Sid: "PassDrillInstanceRole", Effect: "Allow", Action: ["iam:PassRole"], Resource: r.instanceRoles, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } });
    statements.push({ Sid: "TerminateDrillInstances", Effect: "Allow", Action: ["ec2:TerminateInstances"], Resource: [arn("ec2", "instance/*")], Condition: { StringLike: { [`ec2:ResourceTag/${DRILL_TAG}`]: "*" } } });
    statements.push({ Sid: "CheckDrillInstances", Effect: "Allow", Action: ["ssm:SendCommand"], Resource: [arn("ec2", "instance/*")], Condition: { StringLike: { [`ssm:resourceTag/${DRILL_TAG}`]: "*" } } });
    statements.push({ Sid: "RunShellScriptDocument", Effect: "Allow", Action: ["ssm:SendCommand"], Resource: [`arn:${r.part}:ssm:*::document/AWS-RunShellScript`] });
  }
  return statements;
}
