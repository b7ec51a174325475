import { BackupClient, DescribeBackupVaultCommand, ListBackupJobsCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadStack } from "../../stacks/config/index.js";
import { UsageError } from "../exit-codes.js";
import { auditBackups, protectedResources, renderAudit, scheduleInterval } from "./backup-audit.js";
import { FakeClock } from "./clock.js";
import { withRetry } from "./retry.js";
import { DR, PRIMARY, scenarioOutputs } from "./testing/scenario.js";

const HOUR = 3_600_000;
const backup = mockClient(BackupClient);
const clock = new FakeClock();
const now = new Date(clock.now());
const outputs = scenarioOutputs();
const [database, bucket] = protectedResources(outputs);
const vaultArn = (region: string, name: string) => `arn:aws:backup:${region}:123456789012:backup-vault:${name}`;

function points(ageHours: Record<string, number>, status: "COMPLETED" | "PARTIAL" = "COMPLETED") {
  return { RecoveryPoints: Object.entries(ageHours).map(([resource, hours], index) => ({ RecoveryPointArn: `rp-${index}`, ResourceArn: resource, ResourceType: resource.includes(":rds:") ? "RDS" : "S3", Status: status, CreationDate: new Date(now.getTime() - hours * HOUR) })) };
}

beforeEach(() => {
  backup.reset();
  backup.on(DescribeBackupVaultCommand, { BackupVaultName: outputs.primary.backupVaultName }).resolves({ BackupVaultArn: vaultArn(PRIMARY, outputs.primary.backupVaultName), Locked: true, MinRetentionDays: 7, MaxRetentionDays: 400, NumberOfRecoveryPoints: 40 });
  backup.on(DescribeBackupVaultCommand, { BackupVaultName: outputs.dr?.backupVaultName }).resolves({ BackupVaultArn: vaultArn(DR, outputs.dr?.backupVaultName ?? ""), Locked: true, NumberOfRecoveryPoints: 40 });
  backup.on(ListRecoveryPointsByBackupVaultCommand).resolves(points({ [database ?? ""]: 3, [bucket ?? ""]: 4 }));
  backup.on(ListBackupJobsCommand).resolves({ BackupJobs: [] });
  backup.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
});
afterEach(() => { backup.reset(); });

const audit = async (vaultLock: "none" | "governance" | "compliance" = "governance") => {
  const { config } = await loadStack("prod");
  return auditBackups(outputs, { ...config, backup: { ...config.backup, vaultLock } }, { env: {}, call: (what, fn) => withRetry(what, fn, { clock }), now, days: 7, maxAgeMs: 26 * HOUR });
};

describe("scheduleInterval", () => {
  it("reads the gap between runs from an AWS Backup cron expression", () => {
    expect(scheduleInterval("cron(0 3 * * ? *)")).toBe(24 * HOUR);
    expect(scheduleInterval("cron(0 */6 * * ? *)")).toBe(6 * HOUR);
    expect(scheduleInterval("cron(0 3,15 * * ? *)")).toBe(12 * HOUR);
    expect(scheduleInterval("cron(0 1,9 * * ? *)")).toBe(16 * HOUR);
    expect(scheduleInterval("cron(0 5 ? * SUN *)")).toBe(7 * 24 * HOUR);
    expect(scheduleInterval("cron(0 5 1 * ? *)")).toBe(31 * 24 * HOUR);
    expect(() => scheduleInterval("rate(1 day)")).toThrow(UsageError);
  });
});

describe("auditBackups", () => {
  it("within policy: every protected resource has a fresh point in both vaults, locks as configured, no failed job", async () => {
    const result = await audit();
    expect(result.problems).toEqual([]);
    expect(result.vaults.map((vault) => [vault.role, vault.region, vault.recoveryPoints])).toEqual([["primary", PRIMARY, 2], ["dr", DR, 2]]);
    expect(result.vaults[0]?.resources.map((resource) => [resource.resourceArn, resource.ageHours, resource.withinSchedule])).toEqual([[database, 3, true], [bucket, 4, true]]);
    expect(renderAudit(result)).toContain("verdict: within policy");
  });

  it("out of policy: a late point, a missing resource, a partial point, failed jobs and a missing lock", async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves(points({ [database ?? ""]: 30 }));
    backup.on(DescribeBackupVaultCommand, { BackupVaultName: outputs.dr?.backupVaultName }).resolves({ BackupVaultArn: vaultArn(DR, outputs.dr?.backupVaultName ?? ""), Locked: false });
    backup.on(ListBackupJobsCommand, { ByState: "FAILED" }).resolves({ BackupJobs: [{ BackupJobId: "job-1", State: "FAILED", ResourceArn: database, StatusMessage: "Insufficient privileges", CreationDate: new Date(now.getTime() - HOUR) }] });
    backup.on(ListCopyJobsCommand, { ByState: "FAILED" }).resolves({ CopyJobs: [
      { CopyJobId: "copy-1", State: "FAILED", ResourceArn: bucket, DestinationBackupVaultArn: vaultArn(DR, outputs.dr?.backupVaultName ?? ""), StatusMessage: "Access denied to KMS key" },
      { CopyJobId: "copy-other", State: "FAILED", DestinationBackupVaultArn: vaultArn("us-east-2", "someone-elses") },
    ] });
    const result = await audit();
    expect(result.problems).toEqual(expect.arrayContaining([
      `${outputs.primary.backupVaultName} (${PRIMARY}): the newest recovery point of ${database ?? ""} is 30h00m old, over the 26h00m the schedule allows`,
      `${outputs.primary.backupVaultName} (${PRIMARY}) holds no recovery point of ${bucket ?? ""}`,
      `${outputs.dr?.backupVaultName ?? ""} (${DR}) has no vault lock; the config asks for governance mode`,
      expect.stringMatching(/^backup job job-1 FAILED .*: Insufficient privileges$/) as unknown as string,
      expect.stringMatching(/^copy job copy-1 FAILED .*: Access denied to KMS key$/) as unknown as string,
    ]));
    expect(result.problems.some((problem) => problem.includes("copy-other"))).toBe(false);
    expect(renderAudit(result)).toMatch(/verdict: OUT OF POLICY \(\d+\):/);
  });

  it("compliance mode needs a lock date, and notes a lock still in its cooling-off", async () => {
    expect((await audit("compliance")).problems).toContain(`${outputs.primary.backupVaultName} (${PRIMARY}) is locked in governance mode; the config asks for compliance mode`);
    backup.on(DescribeBackupVaultCommand).resolves({ BackupVaultArn: "arn", Locked: true, LockDate: new Date(now.getTime() + 2 * 24 * HOUR) });
    const cooling = await audit("compliance");
    expect(cooling.problems).toEqual([]);
    expect(cooling.notes[0]).toMatch(/the compliance lock can still be changed until/);
  });

  it("a partial point does not count as a backup", async () => {
    backup.on(ListRecoveryPointsByBackupVaultCommand).resolves(points({ [database ?? ""]: 1, [bucket ?? ""]: 1 }, "PARTIAL"));
    const result = await audit();
    expect(result.vaults[0]?.resources[0]).toMatchObject({ status: "PARTIAL", withinSchedule: false });
  });

  it("reports a vault it cannot read, or that is missing, as out of policy", async () => {
    backup.on(DescribeBackupVaultCommand, { BackupVaultName: outputs.primary.backupVaultName }).rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
    backup.on(DescribeBackupVaultCommand, { BackupVaultName: outputs.dr?.backupVaultName }).rejects(Object.assign(new Error("no vault"), { name: "ResourceNotFoundException" }));
    const result = await audit();
    expect(result.problems).toEqual(expect.arrayContaining([
      `could not read ${outputs.primary.backupVaultName} in ${PRIMARY}: AccessDeniedException: User is not authorized`,
      `backup vault ${outputs.dr?.backupVaultName ?? ""} does not exist in ${DR}`,
    ]));
  });
});
