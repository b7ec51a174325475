import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { type Foundation, type FoundationTransforms, type InstanceSettings, instanceFoundation } from "./database/instance-foundation.js";
import { MASTER_PASSWORD_MODES, type MasterCredentials, type MasterPasswordMode, masterCredentials, type SecretReplica } from "./database/master-credentials.js";
import { checkCrossRegionSource } from "./database/replica-source.js";
import { ArgsChecker } from "./common/args.js";
import { AWS_REGION_NAME } from "./common/patterns.js";
import { type Transform, transform } from "./common/transform.js";

export type { MasterPasswordMode } from "./database/master-credentials.js";
export { InvalidArgsError } from "./common/args.js";

/** Args a primary and its replica share. */
export interface DatabaseInstanceArgs {
  /** The VPC of the security group. */
  vpcId: pulumi.Input<string>;
  /** Isolated subnets (no route to the internet), in at least two AZs. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The web tier's security group: the only application source admitted on the port. */
  webSecurityGroupId: pulumi.Input<string>;
  /** Operator security groups (bastion-less SSM hosts, CI runners) also admitted. @default [] */
  opsSecurityGroupIds?: pulumi.Input<string>[];
  /** Operator CIDRs (VPN, Transit Gateway) also admitted; private ranges only. @default [] */
  opsCidrBlocks?: string[];
  /** KMS key (ARN) for storage and Performance Insights: the `database` data class key. */
  kmsKeyArn: pulumi.Input<string>;
  /** KMS key (ARN) for the exported log groups: the `logs` data class key. */
  logsKmsKeyArn: pulumi.Input<string>;
  /** The DB instance identifier; the log groups are named after it. @default the component name, lower-cased and cut to 63 characters */
  identifier?: string;
  /** PostgreSQL version (major, or major.minor), 13 or later; sets the parameter group family. @default "16" */
  engineVersion?: string;
  /** The RDS instance class (Graviton classes suit the arm64 fleet's region). @default "db.r7g.large" */
  instanceClass?: string;
  /** Ceiling of storage autoscaling, in GiB. @default 1000 */
  maxAllocatedStorageGb?: number;
  /** A synchronous standby in a second AZ. @default true */
  multiAz?: boolean;
  /** The port PostgreSQL listens on, 1150 to 65535; the security group admits only this port. @default 5432 */
  port?: number;
  /** Days of automated backups (1 to 35). @default 35 */
  backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "02:00-03:00" */
  backupWindow?: string;
  /** Weekly maintenance window, UTC; must not overlap the backup window. @default "sun:03:30-sun:04:30" */
  maintenanceWindow?: string;
  /** Refuse to delete the instance until this is turned off. @default true */
  deletionProtection?: boolean;
  /** Statements slower than this are logged (`log_min_duration_statement`). @default 500 */
  slowStatementMs?: number;
  /** Performance Insights retention: 7 (free), a multiple of 31, or 731. @default 7 */
  performanceInsightsRetentionDays?: number;
  /** Enhanced Monitoring granularity; 0 turns it off (and creates no role). @default 60 */
  monitoringIntervalSeconds?: 0 | 1 | 5 | 10 | 15 | 30 | 60;
  /** The server certificate's CA. @default "rds-ca-rsa2048-g1" */
  caCertIdentifier?: string;
  /** Retention of the `postgresql` and `upgrade` log groups (a CloudWatch Logs value). @default 365 */
  logRetentionDays?: number;
  /** Apply modifications now instead of in the maintenance window. @default false */
  applyImmediately?: boolean;
}

export interface DatabaseArgs extends DatabaseInstanceArgs {
  /** KMS key (ARN) for the master user secret: the `secrets` data class key. */
  secretsKmsKeyArn: pulumi.Input<string>;
  /** Initial storage in GiB (gp3, 20 or more). @default 100 */
  allocatedStorageGb?: number;
  /** The database created with the instance. @default "shop" */
  databaseName?: string;
  /** The master user's name (a PostgreSQL role name). @default "shop_admin" */
  masterUsername?: string;
  /**
   * `rds-managed`: RDS keeps and rotates the password in Secrets Manager; nothing passes through
   * the program. AWS refuses read replicas of such an instance, so a stack with a
   * DatabaseReplica uses `write-only`: the component generates the password and sets it on RDS and
   * on its own secret through write-only arguments (encrypted in state inputs, never in outputs).
   * @default "rds-managed"
   */
  masterPassword?: MasterPasswordMode;
  /** `write-only` only: bump to set a new generated password on RDS and the secret. @default 1 */
  masterPasswordVersion?: number;
  /**
   * `write-only` only: regions that keep a replica of the master secret, each with its own key.
   * A DR region needs one: its fleet must read the credentials when the primary region is down.
   * @default none
   */
  secretReplicas?: SecretReplica[];
  /** Take a final snapshot (`<identifier>-final`) when the instance is deleted. @default true */
  finalSnapshot?: boolean;
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  transforms?: DatabaseTransforms;
}

export interface DatabaseTransforms extends FoundationTransforms {
  /** The RDS instance (`<name>-instance`). */
  instance?: Transform<aws.rds.InstanceArgs>;
  /** `write-only` only: the component's master user secret (`<name>-master-secret`). */
  masterSecret?: Transform<aws.secretsmanager.SecretArgs>;
  /** `write-only` only: the secret's write-only value (`<name>-master-secret-value`). */
  masterSecretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
}

/** Defaults shared by Database and DatabaseReplica: the production choice. */
function instanceSettings(args: DatabaseInstanceArgs): InstanceSettings {
  return {
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    webSecurityGroupId: args.webSecurityGroupId,
    opsSecurityGroupIds: args.opsSecurityGroupIds ?? [],
    opsCidrBlocks: args.opsCidrBlocks ?? [],
    kmsKeyArn: args.kmsKeyArn,
    logsKmsKeyArn: args.logsKmsKeyArn,
    identifier: args.identifier,
    engineVersion: args.engineVersion ?? "16",
    instanceClass: args.instanceClass ?? "db.r7g.large",
    maxAllocatedStorageGb: args.maxAllocatedStorageGb ?? 1000,
    multiAz: args.multiAz ?? true,
    port: args.port ?? 5432,
    backupRetentionDays: args.backupRetentionDays ?? 35,
    backupWindow: args.backupWindow ?? "02:00-03:00",
    maintenanceWindow: args.maintenanceWindow ?? "sun:03:30-sun:04:30",
    deletionProtection: args.deletionProtection ?? true,
    slowStatementMs: args.slowStatementMs ?? 500,
    performanceInsightsRetentionDays: args.performanceInsightsRetentionDays ?? 7,
    monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? 60,
    caCertIdentifier: args.caCertIdentifier ?? "rds-ca-rsa2048-g1",
    logRetentionDays: args.logRetentionDays ?? 365,
    applyImmediately: args.applyImmediately ?? false,
  };
}

const POSTGRES_NAME = /^(?!rds|pg_)[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** A primary's own args, checked and with their defaults. */
interface PrimarySettings {
  allocatedStorageGb: number;
  databaseName: string;
  username: string;
  mode: MasterPasswordMode;
  passwordVersion: number;
  finalSnapshot: boolean;
  secretReplicas: SecretReplica[];
}

function checkPrimaryArgs(check: ArgsChecker, args: DatabaseArgs, settings: InstanceSettings): PrimarySettings {
  const allocatedStorageGb = check.integer("allocatedStorageGb", args.allocatedStorageGb ?? 100, 20, 65_536);
  // RDS wants the autoscaling ceiling at least 10% above the allocation (integers: no float error).
  const minimumCeiling = Math.ceil((allocatedStorageGb * 11) / 10);
  if (settings.maxAllocatedStorageGb < minimumCeiling) {
    check.fail("maxAllocatedStorageGb", settings.maxAllocatedStorageGb, `at least 10% above allocatedStorageGb (${minimumCeiling} or more)`);
  }
  check.integer("backupRetentionDays", settings.backupRetentionDays, 1, 35);
  const databaseName = check.matches("databaseName", args.databaseName ?? "shop", POSTGRES_NAME, "a PostgreSQL name: a letter, then up to 62 letters, digits or underscores, not starting with rds or pg_");
  const username = check.matches("masterUsername", args.masterUsername ?? "shop_admin", POSTGRES_NAME, "a PostgreSQL role name: a letter, then up to 62 letters, digits or underscores, not starting with rds or pg_");
  const mode = check.oneOf("masterPassword", args.masterPassword ?? "rds-managed", MASTER_PASSWORD_MODES);
  const passwordVersion = check.integer("masterPasswordVersion", args.masterPasswordVersion ?? 1, 1, 1_000_000);
  const secretReplicas = args.secretReplicas ?? [];
  if (secretReplicas.length > 0 && mode !== "write-only") {
    check.fail("secretReplicas", secretReplicas.map((replica) => replica.region), `none with masterPassword ${mode}: only the component's own (write-only) secret can be replicated`);
  }
  for (const replica of secretReplicas) check.matches("secretReplicas[].region", replica.region, AWS_REGION_NAME, "an AWS region such as eu-central-1");
  return { allocatedStorageGb, databaseName, username, mode, passwordVersion, finalSnapshot: args.finalSnapshot ?? true, secretReplicas };
}

/**
 * The platform's PostgreSQL on RDS: Multi-AZ, encrypted gp3 storage with autoscaling, TLS
 * forced, private (isolated subnets, web tier and operators only), its password kept out of
 * config and outputs, point-in-time backups kept after deletion, Performance Insights and
 * Enhanced Monitoring, logs exported to encrypted log groups.
 *
 * @example
 * ```ts
 * const db = new Database("shop-prod-db", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.isolatedSubnetIds,
 *   webSecurityGroupId: web.securityGroupId,
 *   kmsKeyArn: keys.keyArn("database"),
 *   logsKmsKeyArn: keys.keyArn("logs"),
 *   secretsKmsKeyArn: keys.keyArn("secrets"),
 *   masterPassword: "write-only",
 *   secretReplicas: [{ region: "eu-central-1", kmsKeyArn: drKeys.keyArn("secrets") }],
 * }, { provider: primary });
 * ```
 */
export class Database extends pulumi.ComponentResource {
  /** The DB instance identifier. */
  public readonly identifier: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** `address:port`. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  /** The `db-...` resource id that IAM database authentication policies name. */
  public readonly resourceId: pulumi.Output<string>;
  /** The Secrets Manager secret holding `{"username", "password"}` of the master user. */
  public readonly masterUserSecretArn: pulumi.Output<string>;
  /** The database the instance creates (`databaseName`); the app and `shopctl reindex` connect to it. */
  public readonly databaseName: pulumi.Output<string>;
  /** The master secret's replicas by region (`secretReplicas`). */
  public readonly masterUserSecretReplicaArns: pulumi.Output<Record<string, string>>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly parameterGroupName: pulumi.Output<string>;
  public readonly subnetGroupName: pulumi.Output<string>;
  /** The `postgresql` and `upgrade` log groups. */
  public readonly logGroupNames: pulumi.Output<string[]>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:data:Database", name, {}, opts);
    const check = new ArgsChecker(`Database "${name}"`);
    const settings = instanceSettings(args);
    const primary = checkPrimaryArgs(check, args, settings);

    const foundation = instanceFoundation(this, name, check, settings, args.transforms ?? {});
    const credentials = masterCredentials(this, name, {
      mode: primary.mode,
      username: primary.username,
      secretsKmsKeyArn: args.secretsKmsKeyArn,
      version: primary.passwordVersion,
      secretTransform: args.transforms?.masterSecret,
      secretVersionTransform: args.transforms?.masterSecretVersion,
      replicas: primary.secretReplicas,
    });
    const instance = this.createInstance(name, settings, primary, foundation, credentials, args.transforms?.instance);

    this.identifier = instance.identifier;
    this.arn = instance.arn;
    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.resourceId = instance.resourceId;
    this.masterUserSecretArn = credentials.secretArn(instance);
    this.databaseName = pulumi.output(primary.databaseName);
    this.masterUserSecretReplicaArns = credentials.replicaArns();
    this.securityGroupId = foundation.securityGroup.id;
    this.parameterGroupName = foundation.parameterGroup.name;
    this.subnetGroupName = foundation.subnetGroup.name;
    this.logGroupNames = pulumi.all(foundation.logGroups.map((group) => group.name));
    this.registerOutputs({
      identifier: this.identifier,
      arn: this.arn,
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      resourceId: this.resourceId,
      masterUserSecretArn: this.masterUserSecretArn,
      databaseName: this.databaseName,
      masterUserSecretReplicaArns: this.masterUserSecretReplicaArns,
      securityGroupId: this.securityGroupId,
      parameterGroupName: this.parameterGroupName,
      subnetGroupName: this.subnetGroupName,
      logGroupNames: this.logGroupNames,
    });
  }

  /** The PostgreSQL instance: the foundation's shared args plus the primary's storage, database and credentials. */
  private createInstance(
    name: string,
    settings: InstanceSettings,
    primary: PrimarySettings,
    foundation: Foundation,
    credentials: MasterCredentials,
    change: Transform<aws.rds.InstanceArgs> | undefined,
  ): aws.rds.Instance {
    return new aws.rds.Instance(...transform<aws.rds.InstanceArgs>(change, childName(name, "instance"), {
      ...foundation.instanceArgs,
      engine: "postgres",
      engineVersion: settings.engineVersion,
      allocatedStorage: primary.allocatedStorageGb,
      dbName: primary.databaseName,
      username: primary.username,
      ...credentials.instanceArgs,
      skipFinalSnapshot: !primary.finalSnapshot,
      ...(primary.finalSnapshot ? { finalSnapshotIdentifier: `${foundation.identifier}-final` } : {}),
    }, { parent: this, dependsOn: foundation.dependsOn }));
  }
}

export interface DatabaseReplicaArgs extends DatabaseInstanceArgs {
  /** The primary's ARN (a cross-region replica needs the ARN, not the identifier); it must be in another region. */
  sourceDbArn: pulumi.Input<string>;
  /**
   * Days of the replica's own automated backups (1 to 35): nothing while it replicates, but a
   * promoted replica keeps taking backups from the first day.
   * @default 35
   */
  backupRetentionDays?: number;
  /** Also replicate the primary's automated backups (point-in-time restore) into this region. @default true */
  replicateAutomatedBackups?: boolean;
  /** Retention of the replicated automated backups (1 to 35). @default 35 */
  automatedBackupsRetentionDays?: number;
  /**
   * Changes to the children's args and options (see Transform).
   * @default {} (no changes)
   */
  transforms?: DatabaseReplicaTransforms;
}

export interface DatabaseReplicaTransforms extends FoundationTransforms {
  /** The replica instance (`<name>-instance`). */
  instance?: Transform<aws.rds.InstanceArgs>;
  /** The replication of the primary's automated backups (`<name>-backups`). */
  automatedBackupsReplication?: Transform<aws.rds.InstanceAutomatedBackupsReplicationArgs>;
}

/**
 * A cross-region read replica of a Database, declared with the DR region's provider: the DR
 * region's key, subnets and security group, its own backups for when it is promoted, optionally
 * Multi-AZ (warm standby); plus the primary's automated backups replicated into the DR region.
 * The primary must use `masterPassword: "write-only"` (AWS refuses replicas of an instance whose
 * password RDS manages).
 *
 * @example
 * ```ts
 * new DatabaseReplica("shop-prod-db-replica", {
 *   sourceDbArn: db.arn,
 *   vpcId: drNetwork.vpcId,
 *   subnetIds: drNetwork.isolatedSubnetIds,
 *   webSecurityGroupId: drWeb.securityGroupId,
 *   kmsKeyArn: drKeys.keyArn("database"),
 *   logsKmsKeyArn: drKeys.keyArn("logs"),
 *   multiAz: false, // pilot light
 * }, { provider: dr });
 * ```
 */
export class DatabaseReplica extends pulumi.ComponentResource {
  public readonly identifier: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** `address:port`. */
  public readonly endpoint: pulumi.Output<string>;
  public readonly address: pulumi.Output<string>;
  public readonly port: pulumi.Output<number>;
  public readonly resourceId: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly parameterGroupName: pulumi.Output<string>;
  public readonly subnetGroupName: pulumi.Output<string>;
  public readonly logGroupNames: pulumi.Output<string[]>;
  /** The replicated automated backups' ARN in this region; undefined when not replicated. */
  public readonly automatedBackupsReplicationArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: DatabaseReplicaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:data:DatabaseReplica", name, {}, opts);
    const check = new ArgsChecker(`DatabaseReplica "${name}"`);
    const settings = instanceSettings(args);
    check.integer("backupRetentionDays", settings.backupRetentionDays, 1, 35);
    const replicateBackups = args.replicateAutomatedBackups ?? true;
    const backupsRetention = check.integer("automatedBackupsRetentionDays", args.automatedBackupsRetentionDays ?? 35, 1, 35);

    const foundation = instanceFoundation(this, name, check, settings, args.transforms ?? {});
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const sourceDbArn = checkCrossRegionSource(check, args.sourceDbArn, region);
    const instance = this.createReplicaInstance(name, sourceDbArn, foundation, args.transforms?.instance);
    const backups = replicateBackups ? this.replicateAutomatedBackups(name, sourceDbArn, settings, backupsRetention, args.transforms) : undefined;

    this.identifier = instance.identifier;
    this.arn = instance.arn;
    this.endpoint = instance.endpoint;
    this.address = instance.address;
    this.port = instance.port;
    this.resourceId = instance.resourceId;
    this.securityGroupId = foundation.securityGroup.id;
    this.parameterGroupName = foundation.parameterGroup.name;
    this.subnetGroupName = foundation.subnetGroup.name;
    this.logGroupNames = pulumi.all(foundation.logGroups.map((group) => group.name));
    this.automatedBackupsReplicationArn = backups === undefined ? pulumi.output(undefined) : backups.id;
    this.registerOutputs({
      identifier: this.identifier,
      arn: this.arn,
      endpoint: this.endpoint,
      address: this.address,
      port: this.port,
      resourceId: this.resourceId,
      securityGroupId: this.securityGroupId,
      parameterGroupName: this.parameterGroupName,
      subnetGroupName: this.subnetGroupName,
      logGroupNames: this.logGroupNames,
      automatedBackupsReplicationArn: this.automatedBackupsReplicationArn,
    });
  }

  /** The replica: engine, version, storage size, database name and credentials come from the source. */
  private createReplicaInstance(
    name: string,
    sourceDbArn: pulumi.Output<string>,
    foundation: Foundation,
    change: Transform<aws.rds.InstanceArgs> | undefined,
  ): aws.rds.Instance {
    return new aws.rds.Instance(...transform<aws.rds.InstanceArgs>(change, childName(name, "instance"), {
      ...foundation.instanceArgs,
      replicateSourceDb: sourceDbArn,
      // A replica cannot take a final snapshot; a promoted one is no longer managed as a replica.
      skipFinalSnapshot: true,
    }, { parent: this, dependsOn: foundation.dependsOn }));
  }

  /** The primary's automated backups, copied into this region for point-in-time restore here. */
  private replicateAutomatedBackups(
    name: string,
    sourceDbArn: pulumi.Output<string>,
    settings: InstanceSettings,
    retentionDays: number,
    transforms: DatabaseReplicaTransforms | undefined,
  ): aws.rds.InstanceAutomatedBackupsReplication {
    return new aws.rds.InstanceAutomatedBackupsReplication(...transform<aws.rds.InstanceAutomatedBackupsReplicationArgs>(
      transforms?.automatedBackupsReplication,
      childName(name, "backups"),
      { sourceDbInstanceArn: sourceDbArn, kmsKeyId: settings.kmsKeyArn, retentionPeriod: retentionDays },
      { parent: this },
    ));
  }
}
