import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, DATA_CLASSES, type DataClass } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { type Transform, transform } from "./common/transform.js";

type PolicyStatement = aws.types.input.iam.GetPolicyDocumentStatementArgs;

/**
 * The AWS services a key may be used through. Most act with the caller's identity (`kms:ViaService`
 * scopes them); CloudWatch Logs, CloudFront and CloudWatch alarms call KMS as their own service
 * principal, scoped by encryption context or source ARN.
 */
export const KEY_SERVICES = [
  "rds", "opensearch", "backup", "s3", "sns", "secretsmanager", "ssm", "logs", "cloudfront", "cloudwatch-alarms",
  "backup-notifications", "xray",
] as const;
export type KeyService = (typeof KEY_SERVICES)[number];

/** Which services use each class's key unless `services` says otherwise. */
export const DEFAULT_KEY_SERVICES: Readonly<Record<DataClass, readonly KeyService[]>> = {
  database: ["rds"],
  search: ["opensearch"],
  backup: ["backup"],
  logs: ["logs"],
  // CloudFront reads SSE-KMS objects through Origin Access Control; S3 encrypts them.
  assets: ["s3", "cloudfront"],
  secrets: ["secretsmanager", "ssm"],
  // SNS topics for alarms: CloudWatch publishes to them as its own principal.
  // X-Ray encrypts traces with it; AWS Backup publishes vault events to a topic encrypted with it.
  telemetry: ["sns", "cloudwatch-alarms", "backup-notifications", "xray"],
};

/** The `kms:ViaService` endpoint prefix of the services that act with the caller's identity. */
const VIA_SERVICE_ENDPOINTS: Partial<Record<KeyService, string>> = {
  rds: "rds",
  opensearch: "es",
  backup: "backup",
  s3: "s3",
  sns: "sns",
  secretsmanager: "secretsmanager",
  ssm: "ssm",
  xray: "xray",
};

/** What a key user or a service needs for envelope encryption; never `kms:*`. */
const CRYPTO_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
/** Services that attach the key to their resources (RDS volumes, OpenSearch domains, vaults) need grants. */
const GRANT_ACTIONS = ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"];
/** Managing a key without using it: no Encrypt/Decrypt, no `kms:*`. */
const ADMIN_ACTIONS = [
  "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
  "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand",
];

/** How to change one class's key and alias, after the ring-wide transforms. */
export interface KeyClassTransforms {
  /** This class's key. */
  key?: Transform<aws.kms.KeyArgs>;
  /** This class's alias. */
  alias?: Transform<aws.kms.AliasArgs>;
}

export interface KeyRingTransforms {
  /** Every key (`<ring>-<class>`). */
  key?: Transform<aws.kms.KeyArgs>;
  /** Every alias (`<ring>-<class>-alias`). */
  alias?: Transform<aws.kms.AliasArgs>;
  /** One class's key or alias, applied after `key` and `alias`. */
  byClass?: Partial<Record<DataClass, KeyClassTransforms>>;
  /** Rewrites a key policy's statements before they are rendered (e.g. to add a principal). */
  policyStatements?: (statements: PolicyStatement[], dataClass: DataClass) => PolicyStatement[];
}

export interface KeyRingArgs {
  /**
   * The data classes that get a key in this region. The edge (us-east-1) typically needs only
   * `logs` (WAF log group) and `secrets`.
   * @default every class in DATA_CLASSES: database, search, backup, logs, assets, secrets, telemetry
   */
  classes?: readonly DataClass[];
  /**
   * Aliases are `alias/<aliasPrefix>-<class>`. Aliases are per region, so the DR KeyRing can use the
   * same prefix; a second KeyRing in the same region needs another one.
   * @default `<project>-<stack>` from pulumi.getProject() / pulumi.getStack()
   */
  aliasPrefix?: string;
  /**
   * Days between ScheduleKeyDeletion and the key's deletion, 7 to 30.
   * @default 30
   */
  deletionWindowInDays?: number;
  /**
   * Principals (role ARNs) that administer the keys without being able to use them. The account
   * itself always keeps full control through the AccountAdministration statement, which lets IAM
   * policies in the account grant key use.
   * @default [] (administration through IAM only)
   */
  administratorArns?: pulumi.Input<string>[];
  /**
   * Roles that use a class's key directly (encrypt, decrypt, grants for AWS resources), by class.
   * The principals must exist before the key policy is written: KMS rejects unknown principals.
   * @default {} (no role named in a key policy; IAM policies grant use)
   */
  keyUsers?: Partial<Record<DataClass, pulumi.Input<string>[]>>;
  /**
   * The AWS services a class's key may be used through, replacing that class's defaults.
   * @default DEFAULT_KEY_SERVICES
   */
  services?: Partial<Record<DataClass, readonly KeyService[]>>;
  /**
   * Changes to the keys, aliases and key policies the ring creates (see Transform).
   * @default {} (no changes)
   */
  transforms?: KeyRingTransforms;
}

/** Where the keys live: the account, region and partition their policies name. */
interface KeyEnvironment {
  accountId: pulumi.Output<string>;
  region: pulumi.Output<string>;
  partition: pulumi.Output<string>;
  dnsSuffix: pulumi.Output<string>;
}

/** One class's key as the ring hands it out. */
interface ClassKey {
  dataClass: DataClass;
  key: aws.kms.Key;
  aliasName: string;
}

/**
 * One customer-managed KMS key per data class in the region of the provider it is given: rotation
 * on, a 30-day deletion window, an alias per class, and a key policy split into account
 * administration, key users and the AWS services that use the class's data, each scoped.
 *
 * @example
 * ```ts
 * const keys = new KeyRing("prod-keys", {
 *   aliasPrefix: "shop-prod",
 *   keyUsers: { database: [opsRole.arn] },
 * }, { provider: primary });
 * new Database("catalog", { ...args, kmsKeyArn: keys.keyArn("database") });
 * ```
 */
export class KeyRing extends pulumi.ComponentResource {
  /** Key ARNs by data class (only the classes this ring holds). */
  public readonly keyArns: Readonly<Partial<Record<DataClass, pulumi.Output<string>>>>;
  /** Key ids by data class. */
  public readonly keyIds: Readonly<Partial<Record<DataClass, pulumi.Output<string>>>>;
  /** Alias names (`alias/...`) by data class. */
  public readonly aliasNames: Readonly<Partial<Record<DataClass, string>>>;
  /** The data classes this ring holds, in DATA_CLASSES order. */
  public readonly classes: readonly DataClass[];

  constructor(name: string, args: KeyRingArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("shop:security:KeyRing", name, {}, opts);
    const settings = validateKeyRingArgs(name, args);
    this.classes = settings.classes;

    const environment = this.keyEnvironment();
    const keys = settings.classes.map((dataClass) => this.createClassKey(name, dataClass, settings, environment, args));

    this.keyArns = Object.fromEntries(keys.map(({ dataClass, key }) => [dataClass, key.arn]));
    this.keyIds = Object.fromEntries(keys.map(({ dataClass, key }) => [dataClass, key.keyId]));
    this.aliasNames = Object.fromEntries(keys.map(({ dataClass, aliasName }) => [dataClass, aliasName]));
    this.registerOutputs({ keyArns: this.keyArns, keyIds: this.keyIds, aliasNames: this.aliasNames, classes: settings.classes });
  }

  /** The ARN of a class's key; throws when this ring has no key for the class. */
  keyArn(dataClass: DataClass): pulumi.Output<string> {
    const arn = this.keyArns[dataClass];
    if (arn === undefined) {
      throw new Error(`KeyRing: no "${dataClass}" key in this ring; it holds ${this.classes.join(", ")}. Add "${dataClass}" to classes.`);
    }
    return arn;
  }

  /** The account, region and partition of this ring's provider, which the key policies name. */
  private keyEnvironment(): KeyEnvironment {
    const partition = aws.getPartitionOutput({}, { parent: this });
    return {
      accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
      region: aws.getRegionOutput({}, { parent: this }).region,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
    };
  }

  /** A class's key with its policy, and the alias that names it. */
  private createClassKey(name: string, dataClass: DataClass, settings: KeyRingSettings, environment: KeyEnvironment, args: KeyRingArgs): ClassKey {
    const transforms = args.transforms;
    const baseStatements = keyPolicyStatements(environment, {
      administratorArns: args.administratorArns ?? [],
      keyUsers: args.keyUsers?.[dataClass] ?? [],
      services: settings.services[dataClass],
    });
    const statements = transforms?.policyStatements?.(baseStatements, dataClass) ?? baseStatements;
    const policy = aws.iam.getPolicyDocumentOutput({ statements }, { parent: this }).json;

    const key = new aws.kms.Key(...transform(transforms?.byClass?.[dataClass]?.key, ...transform<aws.kms.KeyArgs>(transforms?.key, childName(name, dataClass), {
      description: `${settings.aliasPrefix} ${dataClass} data (customer managed)`,
      enableKeyRotation: true,
      deletionWindowInDays: settings.deletionWindowInDays,
      policy,
      tags: { DataClass: dataClass },
    }, { parent: this })));

    const aliasName = `alias/${settings.aliasPrefix}-${dataClass}`;
    new aws.kms.Alias(...transform(transforms?.byClass?.[dataClass]?.alias, ...transform<aws.kms.AliasArgs>(
      transforms?.alias,
      childName(name, `${dataClass}-alias`),
      { name: aliasName, targetKeyId: key.keyId },
      { parent: this },
    )));
    return { dataClass, key, aliasName };
  }
}

interface KeyRingSettings {
  classes: DataClass[];
  aliasPrefix: string;
  deletionWindowInDays: number;
  services: Record<DataClass, readonly KeyService[]>;
}

const ALIAS_PREFIX = /^[a-zA-Z0-9/_-]+$/;
const IAM_PRINCIPAL = /^arn:aws[a-z-]*:iam::\d{12}:(root|role\/.+|user\/.+)$/;

function validateKeyRingArgs(name: string, args: KeyRingArgs): KeyRingSettings {
  const check = new ArgsChecker(`KeyRing ${name}`);
  const requested = checkClasses(check, args.classes ?? DATA_CLASSES);

  const deletionWindowInDays = args.deletionWindowInDays ?? 30;
  check.require(Number.isInteger(deletionWindowInDays) && deletionWindowInDays >= 7 && deletionWindowInDays <= 30, "deletionWindowInDays", deletionWindowInDays,
    `deletionWindowInDays must be an integer from 7 to 30 (KMS's limits), got ${deletionWindowInDays}`);

  const aliasPrefix = checkAliasPrefix(check, args.aliasPrefix ?? `${pulumi.getProject()}-${pulumi.getStack()}`, requested);
  const services = checkServices(check, args.services ?? {});
  checkPrincipals(check, args, requested);

  // Keep DATA_CLASSES order so resource names and outputs do not depend on how classes were listed.
  return { classes: DATA_CLASSES.filter((dataClass) => requested.includes(dataClass)), aliasPrefix, deletionWindowInDays, services };
}

function checkClasses(check: ArgsChecker, requested: readonly DataClass[]): readonly DataClass[] {
  check.require(requested.length > 0, "classes", requested, `classes is empty; list at least one of ${DATA_CLASSES.join(", ")}`);
  for (const dataClass of requested as readonly unknown[]) {
    check.require((DATA_CLASSES as readonly unknown[]).includes(dataClass), "classes", dataClass,
      `unknown data class ${JSON.stringify(dataClass)} in classes; expected one of ${DATA_CLASSES.join(", ")}`);
  }
  const duplicates = requested.filter((dataClass, index) => requested.indexOf(dataClass) !== index);
  check.require(duplicates.length === 0, "classes", requested, `classes lists ${duplicates.join(", ")} more than once`);
  return requested;
}

function checkAliasPrefix(check: ArgsChecker, aliasPrefix: string, classes: readonly DataClass[]): string {
  check.require(ALIAS_PREFIX.test(aliasPrefix), "aliasPrefix", aliasPrefix, `aliasPrefix "${aliasPrefix}" may hold only letters, digits, "/", "_" and "-"`);
  check.require(!/^aws(\/|$)/i.test(aliasPrefix), "aliasPrefix", aliasPrefix, `aliasPrefix "${aliasPrefix}" is reserved: alias/aws/ names belong to AWS-managed keys`);
  const longest = Math.max(...classes.map((dataClass) => `alias/${aliasPrefix}-${dataClass}`.length));
  check.require(longest <= 256, "aliasPrefix", aliasPrefix, `aliasPrefix "${aliasPrefix}" makes aliases of ${longest} characters; KMS allows 256`);
  return aliasPrefix;
}

function checkServices(check: ArgsChecker, overrides: NonNullable<KeyRingArgs["services"]>): Record<DataClass, readonly KeyService[]> {
  const services = { ...DEFAULT_KEY_SERVICES };
  for (const [dataClass, list] of Object.entries(overrides) as [string, readonly KeyService[] | undefined][]) {
    check.require((DATA_CLASSES as readonly string[]).includes(dataClass), "services", dataClass,
      `services names unknown data class "${dataClass}"; expected one of ${DATA_CLASSES.join(", ")}`);
    for (const service of (list ?? []) as readonly unknown[]) {
      check.require((KEY_SERVICES as readonly unknown[]).includes(service), `services.${dataClass}`, service,
        `services.${dataClass} names unknown service ${JSON.stringify(service)}; expected any of ${KEY_SERVICES.join(", ")}`);
    }
    services[dataClass as DataClass] = list ?? [];
  }
  return services;
}

function checkPrincipals(check: ArgsChecker, args: KeyRingArgs, classes: readonly DataClass[]): void {
  const principals = [...(args.administratorArns ?? []), ...Object.values(args.keyUsers ?? {}).flat()];
  for (const principal of principals) {
    if (typeof principal === "string" && !IAM_PRINCIPAL.test(principal)) {
      check.reject("keyUsers", principal, `"${principal}" is not an IAM role, user or account ARN; key policies name principals by ARN`);
    }
  }
  for (const dataClass of Object.keys(args.keyUsers ?? {})) {
    check.require(classes.includes(dataClass as DataClass), "keyUsers", dataClass,
      `keyUsers names "${dataClass}", which has no key in this ring (classes: ${classes.join(", ")})`);
  }
}

interface KeyPolicyInputs {
  administratorArns: pulumi.Input<string>[];
  keyUsers: pulumi.Input<string>[];
  services: readonly KeyService[];
}

/**
 * The statements of one key's policy. Only AccountAdministration grants `kms:*`, to the account
 * root, which is what lets IAM policies in the account grant use of the key (and keeps the key
 * manageable); every other statement names its actions and is scoped by a condition.
 */
function keyPolicyStatements(environment: KeyEnvironment, inputs: KeyPolicyInputs): PolicyStatement[] {
  return [
    ...principalStatements(environment, inputs),
    ...viaServiceStatements(environment, inputs.services),
    ...SERVICE_PRINCIPAL_ORDER.filter((service) => inputs.services.includes(service)).map((service) => SERVICE_PRINCIPAL_STATEMENTS[service](environment)),
  ];
}

/** The account root (full control), then the named administrators and key users. */
function principalStatements(environment: KeyEnvironment, inputs: KeyPolicyInputs): PolicyStatement[] {
  const accountRoot = pulumi.interpolate`arn:${environment.partition}:iam::${environment.accountId}:root`;
  const statements: PolicyStatement[] = [
    {
      sid: "AccountAdministration",
      principals: [{ type: "AWS", identifiers: [accountRoot] }],
      actions: ["kms:*"],
      resources: ["*"],
    },
  ];
  if (inputs.administratorArns.length > 0) {
    statements.push({
      sid: "KeyAdministrators",
      principals: [{ type: "AWS", identifiers: inputs.administratorArns }],
      actions: ADMIN_ACTIONS,
      resources: ["*"],
    });
  }
  if (inputs.keyUsers.length > 0) {
    statements.push(
      { sid: "KeyUsers", principals: [{ type: "AWS", identifiers: inputs.keyUsers }], actions: CRYPTO_ACTIONS, resources: ["*"] },
      {
        sid: "KeyUserGrantsForAwsResources",
        principals: [{ type: "AWS", identifiers: inputs.keyUsers }],
        actions: GRANT_ACTIONS,
        resources: ["*"],
        conditions: [{ test: "Bool", variable: "kms:GrantIsForAWSResource", values: ["true"] }],
      },
    );
  }
  return statements;
}

/** Like AWS-managed keys: anyone in this account, but only through the class's services here. */
function viaServiceStatements(environment: KeyEnvironment, services: readonly KeyService[]): PolicyStatement[] {
  const { accountId, region, dnsSuffix } = environment;
  const viaServices = services.flatMap((service) => {
    const endpoint = VIA_SERVICE_ENDPOINTS[service];
    return endpoint === undefined ? [] : [endpoint];
  });
  if (viaServices.length === 0) return [];
  return [{
    sid: "UseThroughAwsServices",
    principals: [{ type: "AWS", identifiers: ["*"] }],
    actions: [...CRYPTO_ACTIONS, "kms:CreateGrant", "kms:ListGrants"],
    resources: ["*"],
    conditions: [
      { test: "StringEquals", variable: "kms:CallerAccount", values: [accountId] },
      { test: "StringEquals", variable: "kms:ViaService", values: viaServices.map((endpoint) => pulumi.interpolate`${endpoint}.${region}.${dnsSuffix}`) },
    ],
  }];
}

type ServicePrincipal = "logs" | "cloudfront" | "cloudwatch-alarms" | "backup-notifications";

/** The services that call KMS as their own principal, in the order their statements appear. */
const SERVICE_PRINCIPAL_ORDER: readonly ServicePrincipal[] = ["logs", "cloudfront", "cloudwatch-alarms", "backup-notifications"];

/** A service principal that publishes from this account's resources of one kind (alarms, vaults). */
function publishFromAccount(sid: string, principal: string, sourceArn: pulumi.Output<string>, accountId: pulumi.Output<string>): PolicyStatement {
  return {
    sid,
    principals: [{ type: "Service", identifiers: [principal] }],
    actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
    resources: ["*"],
    conditions: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [sourceArn] },
    ],
  };
}

/** Each service principal's statement, scoped by encryption context or source ARN. */
const SERVICE_PRINCIPAL_STATEMENTS: Record<ServicePrincipal, (environment: KeyEnvironment) => PolicyStatement> = {
  logs: ({ accountId, region, partition, dnsSuffix }) => ({
    sid: "CloudWatchLogs",
    principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${region}.${dnsSuffix}`] }],
    actions: CRYPTO_ACTIONS,
    resources: ["*"],
    conditions: [
      { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`] },
    ],
  }),
  // The asset bucket's policy admits one distribution; the key admits this account's distributions.
  cloudfront: ({ accountId, partition }) => ({
    sid: "CloudFrontOriginAccessControl",
    principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
    actions: ["kms:Decrypt"],
    resources: ["*"],
    conditions: [
      { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
      { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:cloudfront::${accountId}:distribution/*`] },
    ],
  }),
  "cloudwatch-alarms": ({ accountId, region, partition }) =>
    publishFromAccount("CloudWatchAlarmsPublish", "cloudwatch.amazonaws.com", pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`, accountId),
  "backup-notifications": ({ accountId, region, partition }) =>
    publishFromAccount("BackupNotificationsPublish", "backup.amazonaws.com", pulumi.interpolate`arn:${partition}:backup:${region}:${accountId}:backup-vault:*`, accountId),
};
