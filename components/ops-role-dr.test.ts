// The OpsRole permissions that shopctl's DR commands need beyond failover: failback re-creates
// replicas, drills restore a backup and start one tagged instance. Each write is scoped, and so is
// each read AWS can scope. The last tests cross-check the role against every AWS call in cli/aws.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";

interface Statement { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }

async function statementsOf(args: Record<string, unknown>): Promise<Map<string, Statement>> {
  const { resources } = await runUnderMocks(async () => {
    const { OpsRole } = await import("./ops-role.js");
    new OpsRole("ops", { trustedPrincipalArns: ["arn:aws:iam::123456789012:role/ci"], ...args });
  }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
  const policy = JSON.parse(String(findResource(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy)) as { Statement: Statement[] };
  return new Map(policy.Statement.map((statement) => [statement.Sid, statement]));
}

const databases = ["arn:aws:rds:eu-west-1:123456789012:db:shop-platform-prod-db", "arn:aws:rds:eu-central-1:123456789012:db:shop-platform-prod-db-replica"];

const listOf = (value: string | string[]) => (Array.isArray(value) ? value : [value]);
/** IAM's wildcard match (case-insensitive for actions). */
const matches = (pattern: string, value: string, ignoreCase = false) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, ignoreCase ? "i" : "").test(value);
const allows = (statement: Statement, action: string) => listOf(statement.Action).some((pattern) => matches(pattern, action, true));

/** Everything a full stack passes (both regions, DNS failover, drills). */
const FULL = {
  healthCheckIds: ["hc-1"],
  hostedZoneIds: ["Z0PRODEXAMPLE00001"],
  autoScalingGroups: [{ region: "eu-central-1", name: "shop-prod-dr-web" }],
  databaseArns: databases,
  runtimeParameterArns: ["arn:aws:ssm:eu-central-1:123456789012:parameter/shop-platform/prod/runtime/database-endpoint"],
  searchDomainArns: ["arn:aws:es:eu-central-1:123456789012:domain/shop-platform-prod-search-dr"],
  secretArns: ["arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod-db-AbCdEf"],
  kmsKeyArns: ["arn:aws:kms:eu-central-1:123456789012:key/1111"],
  backupVaultArns: ["arn:aws:backup:eu-west-1:123456789012:backup-vault:prod-backup-vault", "arn:aws:backup:eu-central-1:123456789012:backup-vault:prod-backup-dr-vault"],
  restoreRoleArns: ["arn:aws:iam::123456789012:role/prod-backup-backup"],
  drillInstanceRoleArns: ["arn:aws:iam::123456789012:role/prod-dr-web"],
};

/** The SDK client of each cli/aws module, as its IAM service prefix. */
const PREFIX: Record<string, string> = {
  RDS: "rds", Route53: "route53", CloudWatch: "cloudwatch", Backup: "backup", OpenSearch: "es", KMS: "kms", EC2: "ec2",
  AutoScaling: "autoscaling", ElasticLoadBalancingV2: "elasticloadbalancing", SSM: "ssm", SecretsManager: "secretsmanager", STS: "sts", S3: "s3",
};
/** Calls only `shopctl doctor` makes, with the deploying identity rather than the ops role. */
const DOCTOR_ONLY = new Set(["s3:HeadBucket", "ec2:DescribeAvailabilityZones"]);

/** `service:Action` for every SDK command cli/aws sends. */
function cliAwsActions(): string[] {
  const dir = join(import.meta.dirname, "..", "cli", "aws");
  return readdirSync(dir).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts")).flatMap((file) => {
    const source = readFileSync(join(dir, file), "utf8");
    const client = /new (\w+)Client\(/.exec(source)?.[1];
    const commands = [...source.matchAll(/new ([A-Z]\w*)Command\(/g)].map((match) => match[1] ?? "");
    if (commands.length === 0) return [];
    const prefix = client === undefined ? undefined : PREFIX[client];
    if (prefix === undefined) throw new Error(`cli/aws/${file}: no IAM prefix known for client ${client ?? "?"}; add it to PREFIX`);
    return commands.map((command) => `${prefix}:${command}`);
  });
}

describe("OpsRole: DR permissions", () => {
  it("lets failback re-create replicas of the stack's databases, with KMS grants only through RDS and EC2", async () => {
    const bySid = await statementsOf({ databaseArns: databases });
    expect(bySid.get("RecreateReplicas")).toMatchObject({
      Action: ["rds:CreateDBInstanceReadReplica", "rds:AddTagsToResource"],
      Resource: [...databases, "arn:aws:rds:*:123456789012:subgrp:*", "arn:aws:rds:*:123456789012:pg:*", "arn:aws:rds:*:123456789012:og:*", "arn:aws:rds:*:123456789012:secgrp:*"],
    });
    expect(bySid.get("UseKeysThroughRdsAndEc2")).toMatchObject({ Resource: "arn:aws:kms:*:123456789012:key/*", Condition: { StringLike: { "kms:ViaService": ["rds.*.amazonaws.com", "ec2.*.amazonaws.com"] } } });
    expect(bySid.has("DrillRestores")).toBe(false);
    expect(bySid.has("LaunchDrillInstances")).toBe(false);
  });

  it("lets drills restore with the backup role and delete only drill databases", async () => {
    const bySid = await statementsOf({ databaseArns: databases, restoreRoleArns: ["arn:aws:iam::123456789012:role/prod-backup-backup"] });
    expect(bySid.get("PassRestoreRole")).toMatchObject({ Action: ["iam:PassRole"], Resource: ["arn:aws:iam::123456789012:role/prod-backup-backup"], Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } } });
    expect(bySid.get("DeleteDrillDatabases")).toMatchObject({ Action: ["rds:DeleteDBInstance"], Resource: ["arn:aws:rds:*:123456789012:db:*-drill-*"] });
    expect(bySid.get("DrillRestores")?.Action).toEqual(["backup:StartRestoreJob"]);
    // Restore jobs are not IAM resources: DescribeRestoreJob is among the account-wide reads.
    expect(bySid.get("ReadPlatformState")?.Action).toContain("backup:DescribeRestoreJob");
  });

  it("lets drills start, check and terminate only instances carrying the drill tag", async () => {
    const bySid = await statementsOf({ drillInstanceRoleArns: ["arn:aws:iam::123456789012:role/prod-dr-web"] });
    expect(bySid.get("LaunchDrillInstances")).toMatchObject({ Resource: ["arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:*:123456789012:volume/*"], Condition: { StringLike: { "aws:RequestTag/ShopDrill": "*" } } });
    expect(bySid.get("TerminateDrillInstances")?.Condition).toEqual({ StringLike: { "ec2:ResourceTag/ShopDrill": "*" } });
    expect(bySid.get("CheckDrillInstances")?.Condition).toEqual({ StringLike: { "ssm:resourceTag/ShopDrill": "*" } });
    expect(bySid.get("RunShellScriptDocument")?.Resource).toEqual(["arn:aws:ssm:*::document/AWS-RunShellScript"]);
    expect(bySid.get("PassDrillInstanceRole")).toMatchObject({ Resource: ["arn:aws:iam::123456789012:role/prod-dr-web"], Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } });
  });

  it("reads what dr status and drills read, on the stack's resources where AWS can scope the read", async () => {
    const bySid = await statementsOf(FULL);
    expect(bySid.get("ReadPlatformState")?.Action).toEqual(expect.arrayContaining(["ec2:DescribeInstances", "ssm:GetCommandInvocation", "elasticloadbalancing:Describe*", "autoscaling:Describe*"]));
    expect(bySid.get("ReadHealthChecks")).toMatchObject({ Action: ["route53:GetHealthCheck", "route53:GetHealthCheckStatus"], Resource: ["arn:aws:route53:::healthcheck/hc-1"] });
    expect(bySid.get("ReadFailoverRecords")).toMatchObject({ Action: ["route53:ListResourceRecordSets"], Resource: ["arn:aws:route53:::hostedzone/Z0PRODEXAMPLE00001"] });
    expect(bySid.get("ReadDatabases")).toMatchObject({ Resource: [...databases, "arn:aws:rds:*:123456789012:db:*-drill-*"] });
    expect(bySid.get("ReadSearchDomains")?.Resource).toEqual(FULL.searchDomainArns);
    expect(bySid.get("ReadBackupVaults")).toMatchObject({ Action: ["backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault"], Resource: FULL.backupVaultArns });
    expect(bySid.get("ReadAlarmTags")?.Resource).toEqual(["arn:aws:cloudwatch:*:123456789012:alarm:*"]);
    expect(bySid.get("ReadRestoreMetadata")?.Resource).toEqual(["arn:aws:backup:*:123456789012:recovery-point:*", "arn:aws:rds:*:123456789012:snapshot:awsbackup:*", ...FULL.backupVaultArns]);
    // No read AWS scopes is left on "*".
    for (const action of ["rds:DescribeDBInstances", "route53:GetHealthCheck", "route53:ListResourceRecordSets", "es:DescribeDomain", "backup:DescribeBackupVault", "backup:ListRecoveryPointsByBackupVault", "kms:DescribeKey", "cloudwatch:ListTagsForResource"]) {
      expect(allows(bySid.get("ReadPlatformState") as Statement, action), action).toBe(false);
    }
  });

  it("allows every AWS call shopctl makes (cli/aws), on the resources it calls it for", async () => {
    const statements = [...(await statementsOf(FULL)).values()];
    const actions = cliAwsActions().filter((action) => !DOCTOR_ONLY.has(action));
    expect(actions).toEqual(expect.arrayContaining(["rds:DescribeDBInstances", "route53:UpdateHealthCheck", "backup:StartRestoreJob", "ssm:SendCommand"]));
    const missing = actions.filter((action) => !statements.some((statement) => allows(statement, action)));
    expect(missing).toEqual([]);
    // The resource of each scoped read the DR commands make, as the call names it.
    const resourceOf: [string, string][] = [
      ["rds:DescribeDBInstances", "arn:aws:rds:eu-central-1:123456789012:db:shop-platform-prod-db-drill-20261207t2300z"],
      ["rds:DescribeDBInstances", databases[1] ?? ""],
      ["route53:GetHealthCheckStatus", "arn:aws:route53:::healthcheck/hc-1"],
      ["backup:ListRecoveryPointsByBackupVault", FULL.backupVaultArns[1] ?? ""],
      ["backup:GetRecoveryPointRestoreMetadata", "arn:aws:rds:eu-central-1:123456789012:snapshot:awsbackup:copyjob-0123"],
      ["kms:DescribeKey", "arn:aws:kms:eu-central-1:123456789012:key/2222"],
      ["cloudwatch:ListTagsForResource", "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:other-stack-alarm"],
    ];
    for (const [action, resource] of resourceOf) {
      const granted = statements.some((statement) => allows(statement, action) && listOf(statement.Resource).some((pattern) => matches(pattern, resource)));
      expect(granted, `${action} on ${resource}`).toBe(true);
    }
  });

  it("matches the tag and namespace shopctl uses", async () => {
    const { DRILL_TAG: componentTag, OPS_METRIC_NAMESPACE } = await import("./ops-role.js");
    const { DRILL_TAG } = await import("../cli/dr/drill.js");
    const { DR_METRIC_NAMESPACE } = await import("../cli/dr/report.js");
    expect(componentTag).toBe(DRILL_TAG);
    expect(OPS_METRIC_NAMESPACE).toBe(DR_METRIC_NAMESPACE);
  });
});
