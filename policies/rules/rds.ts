// RDS PostgreSQL: the catalog and orders. Instance settings are resource policies; force_ssl (in
// the parameter group), the DR replica and backup replication are judged across the stack.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo, regionOf } from "../lib/references.js";
import { resourcesOf, validateTyped, type StateOf } from "../lib/typed.js";
import { arnRegion, blocksOf, isAwsManagedKey, isTrue, numberOf, stringOf, stringsOf } from "../lib/values.js";

/** True for a read replica: it inherits encryption, backups and Multi-AZ decisions from its source. */
function isReplica(instance: { replicateSourceDb?: unknown }): boolean {
  return stringOf(instance.replicateSourceDb) !== undefined;
}

const DR_REGION_SCHEMA = {
  drRegion: { type: "string", default: "", description: "The stack's DR region; empty when the stack has no DR strategy (the policy then does not apply)." },
} as const;

export const encryptedWithCustomerKey = resourcePolicy({
  name: "rds-encrypted-customer-key",
  description: "Every RDS instance encrypts its storage with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "rds",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set storageEncrypted: true and kmsKeyId to the database data class's KMS key (components/keys.ts); a cross-region replica needs the DR region's key.",
  validateResource: validateTyped(aws.rds.Instance, (instance, _args, report) => {
    const key = stringOf(instance.kmsKeyId);
    if (!isTrue(instance.storageEncrypted) && !isReplica(instance)) report("The instance's storage is not encrypted (storageEncrypted is not true).");
    else if (key === undefined || isAwsManagedKey(key)) report(`The instance is encrypted with ${key ?? "the AWS-managed aws/rds key"}, not a customer-managed key.`);
  }),
});

export const notPublic = resourcePolicy({
  name: "rds-not-public",
  description: "No RDS instance is publicly accessible.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "rds",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps: "Set publiclyAccessible: false and place the instance in the private database subnets.",
  validateResource: validateTyped(aws.rds.Instance, (instance, _args, report) => {
    if (isTrue(instance.publiclyAccessible)) report("The instance is publicly accessible.");
  }),
});

export const multiAz = resourcePolicy({
  name: "rds-multi-az",
  description: "Every primary RDS instance is a Multi-AZ deployment.",
  enforcementLevel: "advisory",
  advisoryBecause: "Dev runs a single-AZ db.t4g.micro to keep costs down (database.multiAz is false for the dev tier); staging and prod raise this to mandatory in their policy config.",
  severity: "medium",
  service: "rds",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set database.multiAz: true in the stack config (the Database component sets multiAz from it).",
  validateResource: validateTyped(aws.rds.Instance, (instance, args, report) => {
    if (isReplica(instance)) args.notApplicable("a read replica");
    if (!isTrue(instance.multiAz)) report("The instance is not Multi-AZ.");
  }),
});

export const backupRetention = resourcePolicy({
  name: "rds-backup-retention",
  description: "Every primary RDS instance keeps automated backups for at least the configured number of days.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "rds",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Raise database.backupRetentionDays in the stack config (1 to 35) to at least the configured minimum.",
  configSchema: {
    properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups." } },
  },
  validateResource: validateTyped(aws.rds.Instance, (instance, args, report) => {
    if (isReplica(instance)) args.notApplicable("a read replica");
    const { minimumDays } = args.getConfig<{ minimumDays: number }>();
    const days = numberOf(instance.backupRetentionPeriod) ?? 0;
    if (days < minimumDays) report(`The instance keeps backups for ${days} day(s); at least ${minimumDays} are required.`);
  }),
});

function majorVersion(version: string | undefined): number | undefined {
  const major = version === undefined ? Number.NaN : Number.parseInt(version, 10);
  return Number.isNaN(major) ? undefined : major;
}

/** The value a parameter group sets for `name`, if it sets it. */
function parameterValue(group: StateOf<aws.rds.ParameterGroup>, name: string): string | undefined {
  const parameter = blocksOf(group.parameters).find((candidate) => candidate.name === name);
  return parameter === undefined ? undefined : String(stringOf(parameter.value) ?? numberOf(parameter.value) ?? "");
}

export const forceSsl = stackPolicy({
  name: "rds-force-ssl",
  description: "Every RDS PostgreSQL instance refuses unencrypted connections (rds.force_ssl = 1).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "rds",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Give the instance an aws.rds.ParameterGroup (family postgres16, ...) with the parameter rds.force_ssl = \"1\" and set its " +
    "parameterGroupName. PostgreSQL 15 and later default to 1; never set it to 0.",
  validateStack: (args, report) => {
    const instances = resourcesOf<aws.rds.Instance>(args.resources, aws.rds.Instance)
      .filter((instance) => (stringOf(instance.props.engine) ?? "postgres").startsWith("postgres"));
    if (instances.length === 0) args.notApplicable("the stack declares no RDS PostgreSQL instance");
    const groups = resourcesOf<aws.rds.ParameterGroup>(args.resources, aws.rds.ParameterGroup);
    for (const instance of instances) {
      const groupName = stringOf(instance.props.parameterGroupName);
      const group = groupName === undefined ? undefined : groups.find((candidate) => identifiersOf(candidate.resource, "name").has(groupName));
      const value = group === undefined ? undefined : parameterValue(group.props, "rds.force_ssl");
      const major = majorVersion(stringOf(instance.props.engineVersion));
      const defaultsOn = major !== undefined && major >= 15;
      if (value === "0") report(`Instance ${instance.resource.name}'s parameter group ${group?.resource.name ?? ""} sets rds.force_ssl to 0.`, instance.resource.urn);
      else if (value !== "1" && !defaultsOn) report(`Instance ${instance.resource.name} (PostgreSQL ${major ?? "version unknown"}) does not set rds.force_ssl = 1 in its parameter group.`, instance.resource.urn);
    }
  },
});

const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

export const monitoring = resourcePolicy({
  name: "rds-enhanced-monitoring",
  description: "Every RDS instance has Enhanced Monitoring.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "rds",
  compliance: { pciDss: "10.7.2", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set monitoringInterval (e.g. 60) and monitoringRoleArn to a role with AmazonRDSEnhancedMonitoringRole.",
  validateResource: validateTyped(aws.rds.Instance, (instance, _args, report) => {
    const interval = numberOf(instance.monitoringInterval) ?? 0;
    if (!MONITORING_INTERVALS.includes(interval)) report(`The instance has no Enhanced Monitoring (monitoringInterval ${interval}).`);
    else if (stringOf(instance.monitoringRoleArn) === undefined) report("The instance sets a monitoring interval but no monitoringRoleArn.");
  }),
});

export const logExports = resourcePolicy({
  name: "rds-log-exports",
  description: "Every RDS PostgreSQL instance exports its logs to CloudWatch Logs.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "rds",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set enabledCloudwatchLogsExports to [\"postgresql\", \"upgrade\"] on the instance.",
  configSchema: {
    properties: { requiredExports: { type: "array", items: { type: "string" }, default: ["postgresql"], description: "Log types every PostgreSQL instance exports." } },
  },
  validateResource: validateTyped(aws.rds.Instance, (instance, args, report) => {
    if (!(stringOf(instance.engine) ?? "postgres").startsWith("postgres")) args.notApplicable("not a PostgreSQL instance");
    const { requiredExports } = args.getConfig<{ requiredExports: string[] }>();
    const exported = stringsOf(instance.enabledCloudwatchLogsExports);
    const missing = requiredExports.filter((type) => !exported.includes(type));
    if (missing.length > 0) report(`The instance does not export ${missing.join(", ")} logs to CloudWatch.`);
  }),
});

export const deletionProtection = resourcePolicy({
  name: "rds-deletion-protection",
  description: "Every RDS instance has deletion protection.",
  enforcementLevel: "advisory",
  advisoryBecause: "Dev databases are disposable (database.deletionProtection is false for the dev tier); staging and prod raise this to mandatory in their policy config.",
  severity: "high",
  service: "rds",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps: "Set database.deletionProtection: true in the stack config.",
  validateResource: validateTyped(aws.rds.Instance, (instance, _args, report) => {
    if (!isTrue(instance.deletionProtection)) report("The instance has no deletion protection.");
  }),
});

export const iamAuthentication = resourcePolicy({
  name: "rds-iam-auth",
  description: "Every RDS instance accepts IAM database authentication, so applications and operators need no long-lived database passwords.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "rds",
  compliance: { pciDss: "8.3.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set iamDatabaseAuthenticationEnabled: true and grant rds-db:connect to the roles that connect.",
  validateResource: validateTyped(aws.rds.Instance, (instance, _args, report) => {
    if (!isTrue(instance.iamDatabaseAuthenticationEnabled)) report("The instance does not enable IAM database authentication.");
  }),
});

interface Instance {
  readonly resource: PolicyResource;
  readonly props: StateOf<aws.rds.Instance>;
}

/** The primaries and replicas of the stack, and the configured DR region (or notApplicable). */
function drContext(args: StackValidationArgs): { drRegion: string; primaries: Instance[]; replicas: Instance[] } {
  const { drRegion } = args.getConfig<{ drRegion: string }>();
  if (drRegion === "") args.notApplicable("the stack has no DR region (drRegion is empty)");
  const instances = resourcesOf<aws.rds.Instance>(args.resources, aws.rds.Instance);
  return { drRegion, primaries: instances.filter((instance) => !isReplica(instance.props)), replicas: instances.filter((instance) => isReplica(instance.props)) };
}

export const crossRegionReplica = stackPolicy({
  name: "rds-cross-region-replica",
  description: "A stack with a DR strategy has a read replica of each primary database in its DR region.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "rds",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps:
    "Declare an aws.rds.Instance in the DR region (the dr provider) with replicateSourceDb set to the primary's ARN, storageEncrypted " +
    "and the DR region's database KMS key (the Database component does when drStrategy is not none).",
  configSchema: { properties: DR_REGION_SCHEMA },
  validateStack: (args, report) => {
    const { drRegion, primaries, replicas } = drContext(args);
    if (primaries.length === 0) report(`The stack has DR region ${drRegion} but declares no primary database to replicate there.`);
    for (const primary of primaries) {
      const ids = identifiersOf(primary.resource, "identifier");
      const replicated = replicas.some((replica) => regionOf(replica.resource) === drRegion && refersTo(replica.resource, "replicateSourceDb", primary.resource, ids));
      if (!replicated) report(`Database ${primary.resource.name} has no read replica in the DR region ${drRegion}.`, primary.resource.urn);
    }
  },
});

/** Whether an AWS Backup plan copies a selection covering `instance` to a vault in `region`. */
function backedUpToRegion(args: StackValidationArgs, instance: Instance, region: string): boolean {
  const arns = identifiersOf(instance.resource);
  const plans = resourcesOf<aws.backup.Plan>(args.resources, aws.backup.Plan);
  return resourcesOf<aws.backup.Selection>(args.resources, aws.backup.Selection)
    .filter((selection) => stringsOf(selection.props.resources).some((arn) => arns.has(arn)))
    .some((selection) => plans.some((plan) => refersTo(selection.resource, "planId", plan.resource, identifiersOf(plan.resource))
      && blocksOf(plan.props.rules).some((rule) => blocksOf(rule.copyActions).some((copy) => arnRegion(stringOf(copy.destinationVaultArn) ?? "") === region))));
}

export const backupsReplicated = stackPolicy({
  name: "rds-backups-replicated-to-dr",
  description: "In a stack with a DR strategy, each primary database's backups reach the DR region (automated backup replication or an AWS Backup copy).",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "rds",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(c)" },
  remediationSteps:
    "Declare an aws.rds.InstanceAutomatedBackupsReplication in the DR region with sourceDbInstanceArn the primary's ARN and the DR " +
    "region's KMS key, or cover the database with an AWS Backup selection whose plan copies to a vault in the DR region.",
  configSchema: { properties: DR_REGION_SCHEMA },
  validateStack: (args, report) => {
    const { drRegion, primaries } = drContext(args);
    if (primaries.length === 0) report(`The stack has DR region ${drRegion} but declares no primary database whose backups could reach it.`);
    const replications = resourcesOf<aws.rds.InstanceAutomatedBackupsReplication>(args.resources, aws.rds.InstanceAutomatedBackupsReplication);
    for (const primary of primaries) {
      const ids = identifiersOf(primary.resource);
      const replicated = replications.some((replication) => regionOf(replication.resource) === drRegion && refersTo(replication.resource, "sourceDbInstanceArn", primary.resource, ids));
      if (!replicated && !backedUpToRegion(args, primary, drRegion)) report(`Database ${primary.resource.name}'s backups do not reach the DR region ${drRegion}.`, primary.resource.urn);
    }
  },
});

export const rdsPolicies: readonly ShopPolicy[] = [
  encryptedWithCustomerKey, notPublic, multiAz, backupRetention, forceSsl, monitoring, logExports, deletionProtection, iamAuthentication,
  crossRegionReplica, backupsReplicated,
];
