// The OpsRole permissions that shopctl's DR commands need beyond failover: failback re-creates
// replicas, drills restore a backup and start one tagged instance. Each write is scoped.
import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";

interface Statement { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, unknown>> }

async function statementsOf(args: Record<string, unknown>): Promise<Map<string, Statement>> {
  const { resources } = await runUnderMocks(async () => {
    const { OpsRole } = await import("./ops-role.js");
    new OpsRole("ops", args);
  }, { stack: "prod", config: { "aws:region": "eu-west-1" } });
  const policy = JSON.parse(String(findResource(resources, "aws:iam/rolePolicy:RolePolicy").inputs.policy)) as { Statement: Statement[] };
  return new Map(policy.Statement.map((statement) => [statement.Sid, statement]));
}

const databases = ["arn:aws:rds:eu-west-1:123456789012:db:shop-platform-prod-db", "arn:aws:rds:eu-central-1:123456789012:db:shop-platform-prod-db-replica"];

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
    expect(bySid.get("DrillRestores")?.Action).toEqual(["backup:StartRestoreJob", "backup:DescribeRestoreJob"]);
  });

  it("lets drills start, check and terminate only instances carrying the drill tag", async () => {
    const bySid = await statementsOf({ drillInstanceRoleArns: ["arn:aws:iam::123456789012:role/prod-dr-web"] });
    expect(bySid.get("LaunchDrillInstances")).toMatchObject({ Resource: ["arn:aws:ec2:*:123456789012:instance/*", "arn:aws:ec2:*:123456789012:volume/*"], Condition: { StringLike: { "aws:RequestTag/ShopDrill": "*" } } });
    expect(bySid.get("TerminateDrillInstances")?.Condition).toEqual({ StringLike: { "ec2:ResourceTag/ShopDrill": "*" } });
    expect(bySid.get("CheckDrillInstances")?.Condition).toEqual({ StringLike: { "ssm:resourceTag/ShopDrill": "*" } });
    expect(bySid.get("RunShellScriptDocument")?.Resource).toEqual(["arn:aws:ssm:*::document/AWS-RunShellScript"]);
    expect(bySid.get("PassDrillInstanceRole")).toMatchObject({ Resource: ["arn:aws:iam::123456789012:role/prod-dr-web"], Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } });
  });

  it("reads what dr status and drills read", async () => {
    const read = (await statementsOf({})).get("ReadPlatformState");
    expect(read?.Action).toEqual(expect.arrayContaining(["cloudwatch:ListTagsForResource", "backup:GetRecoveryPointRestoreMetadata", "ec2:DescribeInstances", "ssm:GetCommandInvocation", "route53:Get*", "elasticloadbalancing:Describe*"]));
  });

  it("matches the tag and namespace shopctl uses", async () => {
    const { DRILL_TAG: componentTag, OPS_METRIC_NAMESPACE } = await import("./ops-role.js");
    const { DRILL_TAG } = await import("../cli/dr/drill.js");
    const { DR_METRIC_NAMESPACE } = await import("../cli/dr/report.js");
    expect(componentTag).toBe(DRILL_TAG);
    expect(OPS_METRIC_NAMESPACE).toBe(DR_METRIC_NAMESPACE);
  });
});
