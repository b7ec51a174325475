// AWS Backup: the vault, the plan and the selection that puts the database in it.
import * as aws from "@pulumi/aws";
import type { PolicyResource } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { effectiveTags, identifiersOf, regionOf } from "../lib/references.js";
import { resourcesOf, validateTyped } from "../lib/typed.js";
import { arnRegion, blockOf, blocksOf, isAwsManagedKey, numberOf, stringOf, stringsOf } from "../lib/values.js";

export const vaultCustomerKey = resourcePolicy({
  name: "backup-vault-customer-key",
  description: "Every backup vault encrypts recovery points with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "backup",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set kmsKeyArn on the aws.backup.Vault to the backup data class's KMS key (the DR vault uses the DR region's key).",
  validateResource: validateTyped(aws.backup.Vault, (vault, _args, report) => {
    const key = stringOf(vault.kmsKeyArn);
    if (key === undefined || isAwsManagedKey(key)) report(`The vault encrypts with ${key ?? "the AWS-managed aws/backup key"}, not a customer-managed key.`);
  }),
});

export const planRetention = resourcePolicy({
  name: "backup-plan-retention",
  description: "Every backup plan rule keeps recovery points for at least the configured days, and deletes them eventually.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "backup",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Set lifecycle.deleteAfter on every rule of the aws.backup.Plan (backup.daily/monthly.retentionDays in the stack config) to at least the configured minimum.",
  configSchema: {
    properties: { minimumDays: { type: "integer", minimum: 1, default: 35, description: "Fewest days a rule keeps recovery points." } },
  },
  validateResource: validateTyped(aws.backup.Plan, (plan, args, report) => {
    const { minimumDays } = args.getConfig<{ minimumDays: number }>();
    const rules = blocksOf(plan.rules);
    if (rules.length === 0) report("The plan has no rules.");
    for (const rule of rules) {
      const name = stringOf(rule.ruleName) ?? "?";
      const days = numberOf(blockOf(rule.lifecycle)?.deleteAfter);
      if (days === undefined) report(`Rule ${name} never deletes its recovery points (no lifecycle.deleteAfter).`);
      else if (days < minimumDays) report(`Rule ${name} keeps recovery points for ${days} day(s); at least ${minimumDays} are required.`);
    }
  }),
});

export const crossRegionCopy = stackPolicy({
  name: "backup-cross-region-copy",
  description: "A stack with a DR strategy copies its backups to a vault in the DR region.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "backup",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Add copyActions { destinationVaultArn: <the DR vault's ARN>, lifecycle: { deleteAfter } } to the plan's rules (the Backup component does when drStrategy is not none).",
  configSchema: {
    properties: { drRegion: { type: "string", default: "", description: "The stack's DR region; empty when the stack has no DR strategy (the policy then does not apply)." } },
  },
  validateStack: (args, report) => {
    const { drRegion } = args.getConfig<{ drRegion: string }>();
    if (drRegion === "") args.notApplicable("the stack has no DR region (drRegion is empty)");
    const plans = resourcesOf<aws.backup.Plan>(args.resources, aws.backup.Plan);
    const vaults = resourcesOf<aws.backup.Vault>(args.resources, aws.backup.Vault);
    const inDrRegion = (arn: string): boolean =>
      arnRegion(arn) === drRegion || vaults.some((vault) => identifiersOf(vault.resource).has(arn) && regionOf(vault.resource) === drRegion);
    const copies = plans.some((plan) => blocksOf(plan.props.rules).some((rule) => blocksOf(rule.copyActions).some((copy) => inDrRegion(stringOf(copy.destinationVaultArn) ?? ""))));
    if (plans.length === 0) report(`The stack has DR region ${drRegion} but declares no backup plan.`);
    else if (!copies) report(`No backup plan rule copies recovery points to a vault in the DR region ${drRegion}.`);
  },
});

/** `arn:aws:rds:*:*:db:*`-style patterns in a selection's resources. */
function matchesArnPattern(pattern: string, arn: string): boolean {
  const expression = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return expression.test(arn);
}

/** Whether `selection` puts `database` into its plan: by ARN (or pattern), or by a tag the database carries. */
function covers(selection: PolicyResource, database: PolicyResource): boolean {
  const arns = [...identifiersOf(database)].filter((id) => id.startsWith("arn:"));
  const excluded = stringsOf(selection.props.notResources).some((pattern) => arns.some((arn) => matchesArnPattern(pattern, arn)));
  if (excluded) return false;
  if (stringsOf(selection.props.resources).some((pattern) => arns.some((arn) => matchesArnPattern(pattern, arn)) || identifiersOf(database).has(pattern))) return true;
  const tags = effectiveTags(database) ?? {};
  const byTag = blocksOf(selection.props.selectionTags).some((tag) => tag.type === "STRINGEQUALS" && typeof tag.key === "string" && tags[tag.key] === tag.value);
  const byCondition = blocksOf(selection.props.conditions).flatMap((condition) => blocksOf(condition.stringEquals)).some((condition) => {
    const key = stringOf(condition.key)?.replace(/^aws:ResourceTag\//, "");
    return key !== undefined && tags[key] === condition.value;
  });
  return byTag || byCondition;
}

export const selectionCoversDatabase = stackPolicy({
  name: "backup-selection-covers-database",
  description: "An AWS Backup selection puts every primary database into a backup plan.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "backup",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Declare an aws.backup.Selection for the plan with resources [<the database instance's ARN>] (or a selectionTags match on its DataClass tag) and an IAM role with AWSBackupServiceRolePolicyForBackup.",
  validateStack: (args, report) => {
    const selections = resourcesOf<aws.backup.Selection>(args.resources, aws.backup.Selection).map((selection) => selection.resource);
    const databases = [
      ...resourcesOf<aws.rds.Instance>(args.resources, aws.rds.Instance).filter((instance) => stringOf(instance.props.replicateSourceDb) === undefined),
      ...resourcesOf<aws.rds.Cluster>(args.resources, aws.rds.Cluster).filter((cluster) => stringOf(cluster.props.replicationSourceIdentifier) === undefined),
    ].map((database) => database.resource);
    if (selections.length === 0) {
      report(databases.length === 0 ? "The stack declares no backup selection (and no database for one to cover)." : "The stack declares no backup selection, so no database is backed up by AWS Backup.");
      return;
    }
    for (const database of databases) {
      if (!selections.some((selection) => covers(selection, database))) report(`No backup selection covers database ${database.name}.`, database.urn);
    }
  },
});

export const backupPolicies: readonly ShopPolicy[] = [vaultCustomerKey, planRetention, crossRegionCopy, selectionCoversDatabase];

