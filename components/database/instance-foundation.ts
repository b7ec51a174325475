import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "../conventions.js";
import type { ArgsChecker } from "../common/args.js";
import { checkOpsCidrs, type DataStoreAccess, dataStoreSecurityGroup } from "../common/data-store-access.js";
import { encryptedLogGroup } from "../common/encrypted-log-group.js";
import { checkLogRetention } from "../common/log-retention.js";
import { type Transform, transform } from "../common/transform.js";
import { enhancedMonitoringRole } from "./monitoring-role.js";
import { checkWindows, POSTGRES_LOG_EXPORTS, postgresMajor, postgresParameterGroup } from "./postgres.js";

/** The settings a primary and a replica share, with every default filled in. */
export interface InstanceSettings extends DataStoreAccess {
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  kmsKeyArn: pulumi.Input<string>;
  logsKmsKeyArn: pulumi.Input<string>;
  identifier: string | undefined;
  engineVersion: string;
  instanceClass: string;
  maxAllocatedStorageGb: number;
  multiAz: boolean;
  port: number;
  backupRetentionDays: number;
  backupWindow: string;
  maintenanceWindow: string;
  deletionProtection: boolean;
  slowStatementMs: number;
  performanceInsightsRetentionDays: number;
  monitoringIntervalSeconds: number;
  caCertIdentifier: string;
  logRetentionDays: number;
  applyImmediately: boolean;
}

/** Changes to the children around the instance (see Transform). */
export interface FoundationTransforms {
  /** The PostgreSQL parameter group (`<name>-params`). */
  parameterGroup?: Transform<aws.rds.ParameterGroupArgs>;
  /** The DB subnet group (`<name>-subnets`). */
  subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
  /** The security group (`<name>-sg`). */
  securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** Each ingress rule of the security group (web tier, operator groups and CIDRs). */
  securityGroupRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  /** The Enhanced Monitoring role (`<name>-monitoring`). */
  monitoringRole?: Transform<aws.iam.RoleArgs>;
  /** The monitoring role's managed-policy attachment (`<name>-monitoring-policy`). */
  monitoringPolicyAttachment?: Transform<aws.iam.RolePolicyAttachmentArgs>;
  /** Each exported log group (`<name>-log-postgresql`, `<name>-log-upgrade`). */
  logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
}

/** The children around an RDS instance and the instance args they imply. */
export interface Foundation {
  identifier: string;
  securityGroup: aws.ec2.SecurityGroup;
  subnetGroup: aws.rds.SubnetGroup;
  parameterGroup: aws.rds.ParameterGroup;
  monitoringRole: aws.iam.Role | undefined;
  logGroups: aws.cloudwatch.LogGroup[];
  /** What the instance must wait for: its log groups and its monitoring role's policy. */
  dependsOn: pulumi.Resource[];
  instanceArgs: aws.rds.InstanceArgs;
}

const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];
const IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/** The instance identifier: explicit, because the log groups RDS writes to are named after it. */
export function rdsIdentifier(check: ArgsChecker, name: string, identifier: string | undefined): string {
  const value = identifier ?? awsName(name.toLowerCase(), 63);
  const expected = "1 to 63 lower-case letters, digits or hyphens, starting with a letter, without a trailing or double hyphen";
  return check.matches(identifier === undefined ? "identifier (derived from the component name)" : "identifier", value, IDENTIFIER, expected);
}

/** Fails on any bad shared setting before a resource is declared. */
export function checkInstanceSettings(check: ArgsChecker, settings: InstanceSettings): number {
  const major = postgresMajor(check, settings.engineVersion);
  check.matches("instanceClass", settings.instanceClass, /^db\.[a-z0-9-]+\.[a-z0-9]+$/, "an RDS instance class such as db.r7g.large");
  check.integer("maxAllocatedStorageGb", settings.maxAllocatedStorageGb, 22, 65_536);
  check.integer("port", settings.port, 1150, 65_535);
  check.integer("slowStatementMs", settings.slowStatementMs, 1, 3_600_000);
  const piDays = settings.performanceInsightsRetentionDays;
  if (!(piDays === 7 || piDays === 731 || (Number.isInteger(piDays) && piDays > 0 && piDays <= 713 && piDays % 31 === 0))) {
    check.fail("performanceInsightsRetentionDays", piDays, "7, 731 or a multiple of 31 up to 713");
  }
  check.oneOf("monitoringIntervalSeconds", settings.monitoringIntervalSeconds, MONITORING_INTERVALS);
  check.matches("caCertIdentifier", settings.caCertIdentifier, /^rds-ca-[a-z0-9-]+$/, "an RDS CA such as rds-ca-rsa2048-g1");
  checkLogRetention(check, settings.logRetentionDays);
  checkWindows(check, settings.backupWindow, settings.maintenanceWindow);
  checkOpsCidrs(check, settings.opsCidrBlocks);
  return major;
}

/**
 * Security group, subnet group, parameter group, monitoring role and log groups for one RDS
 * instance, plus the instance args every instance of the platform shares (see sharedInstanceArgs).
 */
export function instanceFoundation(
  parent: pulumi.Resource,
  name: string,
  check: ArgsChecker,
  settings: InstanceSettings,
  transforms: FoundationTransforms,
): Foundation {
  const major = checkInstanceSettings(check, settings);
  const identifier = rdsIdentifier(check, name, settings.identifier);

  const securityGroup = dataStoreSecurityGroup(
    parent,
    name,
    settings.port,
    `PostgreSQL ${identifier}: web tier and operators only`,
    settings,
    transforms.securityGroup,
    transforms.securityGroupRule,
  );
  const subnetGroup = new aws.rds.SubnetGroup(...transform<aws.rds.SubnetGroupArgs>(
    transforms.subnetGroup,
    childName(name, "subnets"),
    { description: `Isolated subnets of ${identifier}`, subnetIds: settings.subnetIds },
    { parent },
  ));
  const parameterGroup = postgresParameterGroup(parent, name, major, settings.slowStatementMs, transforms.parameterGroup);
  const monitoring = settings.monitoringIntervalSeconds > 0
    ? enhancedMonitoringRole(parent, name, transforms.monitoringRole, transforms.monitoringPolicyAttachment)
    : undefined;
  const logGroups = POSTGRES_LOG_EXPORTS.map((log) =>
    encryptedLogGroup(
      parent,
      childName(name, `log-${log}`),
      { logGroupName: `/aws/rds/instance/${identifier}/${log}`, kmsKeyArn: settings.logsKmsKeyArn, retentionDays: settings.logRetentionDays },
      transforms.logGroup,
    ),
  );

  return {
    identifier,
    securityGroup,
    subnetGroup,
    parameterGroup,
    monitoringRole: monitoring?.role,
    logGroups,
    dependsOn: [...logGroups, ...(monitoring === undefined ? [] : [monitoring.attachment])],
    instanceArgs: sharedInstanceArgs(identifier, settings, { subnetGroup, securityGroup, parameterGroup, monitoringRole: monitoring?.role }),
  };
}

/**
 * The instance args every instance of the platform shares: encrypted gp3 storage with
 * autoscaling, never public, IAM authentication, Performance Insights and Enhanced Monitoring,
 * log exports, a current CA, automated backups kept after deletion.
 */
function sharedInstanceArgs(
  identifier: string,
  settings: InstanceSettings,
  children: Pick<Foundation, "subnetGroup" | "securityGroup" | "parameterGroup" | "monitoringRole">,
): aws.rds.InstanceArgs {
  return {
    identifier,
    instanceClass: settings.instanceClass,
    storageType: "gp3",
    maxAllocatedStorage: settings.maxAllocatedStorageGb,
    storageEncrypted: true,
    kmsKeyId: settings.kmsKeyArn,
    multiAz: settings.multiAz,
    port: settings.port,
    dbSubnetGroupName: children.subnetGroup.name,
    vpcSecurityGroupIds: [children.securityGroup.id],
    parameterGroupName: children.parameterGroup.name,
    publiclyAccessible: false,
    networkType: "IPV4",
    iamDatabaseAuthenticationEnabled: true,
    caCertIdentifier: settings.caCertIdentifier,
    autoMinorVersionUpgrade: true,
    backupRetentionPeriod: settings.backupRetentionDays,
    backupWindow: settings.backupWindow,
    maintenanceWindow: settings.maintenanceWindow,
    copyTagsToSnapshot: true,
    deleteAutomatedBackups: false,
    deletionProtection: settings.deletionProtection,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: settings.kmsKeyArn,
    performanceInsightsRetentionPeriod: settings.performanceInsightsRetentionDays,
    monitoringInterval: settings.monitoringIntervalSeconds,
    ...(children.monitoringRole === undefined ? {} : { monitoringRoleArn: children.monitoringRole.arn }),
    enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
    applyImmediately: settings.applyImmediately,
    tags: { DataClass: "database" },
  };
}
