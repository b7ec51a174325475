import type { ModelTable, ResourceContext, ResourceModel } from "../resource-model.js";
import { awsManagedKeyArn, kmsKeyArnOf } from "./shared.js";

// AWS Backup: vaults, plans, selections and the vault's settings resources.

function vaultArn(r: ResourceContext, vaultName: string): string {
  return r.arn("backup", `backup-vault:${vaultName}`);
}

/** Settings of a vault (notifications, lock, policy): identified by the vault name. */
const vaultSetting: ResourceModel = {
  create(r) {
    const vault = r.required("backupVaultName");
    return { id: vault, outputs: { backupVaultArn: vaultArn(r, vault) } };
  },
};

export const backupModels: ModelTable = {
  "aws:backup/vault:Vault": {
    tagged: true,
    autoName: { property: "name", maxLength: 50 },
    defaults: { forceDestroy: false },
    create(r) {
      return {
        id: r.physicalName,
        outputs: {
          arn: vaultArn(r, r.physicalName),
          kmsKeyArn: kmsKeyArnOf(r, r.inputs.string("kmsKeyArn")) ?? awsManagedKeyArn(r, "aws/backup"),
          recoveryPoints: 0,
        },
      };
    },
  },
  "aws:backup/plan:Plan": {
    tagged: true,
    autoName: { property: "name", maxLength: 50 },
    create(r) {
      const id = r.uuid("plan");
      return {
        id,
        outputs: {
          arn: r.arn("backup", `backup-plan:${id}`),
          // Plan versions are opaque base64-looking strings that change on every update.
          version: `${r.upper(8, "version")}${r.lower(40, "version")}`,
        },
      };
    },
  },
  "aws:backup/selection:Selection": {
    autoName: { property: "name", maxLength: 50 },
    create(r) {
      return { id: r.uuid("selection") };
    },
  },
  "aws:backup/vaultNotifications:VaultNotifications": vaultSetting,
  "aws:backup/vaultLockConfiguration:VaultLockConfiguration": vaultSetting,
  "aws:backup/vaultPolicy:VaultPolicy": vaultSetting,
  "aws:backup/regionSettings:RegionSettings": {
    create(r) {
      return { id: r.region };
    },
  },
};
