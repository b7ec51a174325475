import { describe, expect, it } from "vitest";
import { stackOutputs } from "../../test/stack-outputs.js";
import { UsageError } from "../exit-codes.js";
import { defaultRestoreRoleArn } from "./drill.js";

describe("defaultRestoreRoleArn", () => {
  it("takes AWS Backup's role from the outputs", () => {
    expect(defaultRestoreRoleArn(stackOutputs("prod", { backupRoleArn: "arn:aws:iam::123456789012:role/prod-backup-backup-1a2b3c" }))).toBe("arn:aws:iam::123456789012:role/prod-backup-backup-1a2b3c");
  });

  it("derives it by name from outputs that predate it, in the stack's partition and account", () => {
    expect(defaultRestoreRoleArn(stackOutputs("prod"))).toBe("arn:aws:iam::123456789012:role/prod-backup-backup");
    const china = stackOutputs("prod");
    china.primary.databaseArn = "arn:aws-cn:rds:cn-north-1:210987654321:db:shop-prod-db";
    expect(defaultRestoreRoleArn(china)).toBe("arn:aws-cn:iam::210987654321:role/prod-backup-backup");
  });

  it("asks for --restore-role-arn when it cannot derive one", () => {
    const outputs = stackOutputs("x".repeat(60));
    expect(() => defaultRestoreRoleArn(outputs)).toThrow(UsageError);
    expect(() => defaultRestoreRoleArn(outputs)).toThrow("pass --restore-role-arn");
  });

  it("asks for it too when the database ARN is malformed or names no account", () => {
    for (const databaseArn of ["shop-prod-db", "arn:aws:rds:us-east-1::db:shop-prod-db"]) {
      const outputs = stackOutputs("prod");
      outputs.primary.databaseArn = databaseArn;
      expect(() => defaultRestoreRoleArn(outputs)).toThrow("pass --restore-role-arn");
    }
  });
});
