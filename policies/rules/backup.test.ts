import { describe } from "vitest";
import { describePolicies, provider, resource, urnOf } from "../testing.js";
import { backupPolicies } from "./backup.js";

const DB_ARN = "arn:aws:rds:eu-west-1:123456789012:db:shop-catalog";
const DR_VAULT = "arn:aws:backup:eu-central-1:123456789012:backup-vault:shop-dr";
const dr = provider("dr", "eu-central-1");

const rule = (name: string, deleteAfter: number | undefined, copy = true) => ({
  ruleName: name, targetVaultName: "shop", schedule: "cron(0 3 * * ? *)",
  ...(deleteAfter === undefined ? {} : { lifecycle: { deleteAfter } }),
  ...(copy ? { copyActions: [{ destinationVaultArn: DR_VAULT, lifecycle: { deleteAfter: 35 } }] } : {}),
});
const plan = (rules: unknown[]) => resource("aws:backup/plan:Plan", "plan", { id: "plan-1", arn: "arn:aws:backup:eu-west-1:123456789012:backup-plan:plan-1", rules });
const database = (tags: Record<string, string> = {}) => resource("aws:rds/instance:Instance", "catalog", { arn: DB_ARN, identifier: "shop-catalog", tagsAll: { DataClass: "database", ...tags } });
const selection = (props: Record<string, unknown>) => resource("aws:backup/selection:Selection", "db-selection", { planId: "plan-1", iamRoleArn: "arn:aws:iam::123456789012:role/backup", ...props });
const DR = { drRegion: "eu-central-1" };

describe("Backup policies", () => {
  describePolicies(backupPolicies, {
    "backup-vault-customer-key": {
      passing: [{ label: "a customer key", resources: () => [resource("aws:backup/vault:Vault", "vault", { name: "shop", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/backup" })] }],
      violating: [{ label: "the default key", resources: () => [resource("aws:backup/vault:Vault", "vault", { name: "shop" })], message: /AWS-managed aws\/backup key/ }],
    },
    "backup-plan-retention": {
      passing: [
        { label: "35 and 365 days", resources: () => [plan([rule("daily", 35), rule("monthly", 365)])] },
        { label: "7 days when the config allows it (dev)", resources: () => [plan([rule("daily", 7)])], config: { minimumDays: 7 } },
      ],
      violating: [
        { label: "too short", resources: () => [plan([rule("daily", 7)])], message: /Rule daily keeps recovery points for 7 day\(s\); at least 35/ },
        { label: "never deleted", resources: () => [plan([rule("forever", undefined)])], message: /Rule forever never deletes/ },
        { label: "no rules", resources: () => [plan([])], message: /no rules/ },
      ],
    },
    "backup-cross-region-copy": {
      passing: [
        { label: "a copy to the DR vault", resources: () => [plan([rule("daily", 35)])], config: DR },
        {
          label: "a copy to a DR vault whose ARN is only known from the vault resource",
          resources: () => [plan([{ ruleName: "daily", targetVaultName: "shop", copyActions: [{ destinationVaultArn: "vault-dr-arn" }] }]), resource("aws:backup/vault:Vault", "dr-vault", { arn: "vault-dr-arn" }, { provider: dr })],
          config: DR,
        },
        { label: "not applicable without a DR region", resources: () => [plan([rule("daily", 35, false)])] },
      ],
      violating: [
        { label: "no copy", resources: () => [plan([rule("daily", 35, false)])], config: DR, message: /No backup plan rule copies recovery points to a vault in the DR region eu-central-1/ },
        { label: "no plan at all", resources: () => [], config: DR, message: /declares no backup plan/ },
      ],
    },
    "backup-selection-covers-database": {
      passing: [
        { label: "selected by ARN", resources: () => [database(), selection({ resources: [DB_ARN] })] },
        { label: "selected by an ARN pattern", resources: () => [database(), selection({ resources: ["arn:aws:rds:*:*:db:*"] })] },
        { label: "selected by tag", resources: () => [database(), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "DataClass", value: "database" }] })] },
      ],
      violating: [
        { label: "no selection", resources: () => [database()], message: /declares no backup selection, so no database is backed up/ },
        { label: "a selection that misses the database", resources: () => [database(), selection({ resources: ["arn:aws:s3:::shop-assets"] })], message: /No backup selection covers database catalog/, urn: urnOf("aws:rds/instance:Instance", "catalog") },
        { label: "excluded by notResources", resources: () => [database(), selection({ resources: ["*"], notResources: [DB_ARN] })], message: /No backup selection covers database catalog/ },
        { label: "neither selection nor database", resources: () => [], message: /declares no backup selection \(and no database/ },
      ],
    },
  });
});
