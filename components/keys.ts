import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName, DATA_CLASSES, type DataClass } from "./conventions.js";

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
  transforms?: {
    /** Called for every key with its data class. */
    key?: (args: aws.kms.KeyArgs, dataClass: DataClass) => aws.kms.KeyArgs;
    /** Called for every alias with its data class. */
    alias?: (args: aws.kms.AliasArgs, dataClass: DataClass) => aws.kms.AliasArgs;
    /** Rewrites a key policy's statements before they are rendered (e.g. to add a principal). */
    policyStatements?: (statements: PolicyStatement[], dataClass: DataClass) => PolicyStatement[];
  };
}

/** Where the keys live: the account, region and partition their policies name. */
interface KeyEnvironment {
  accountId: pulumi.Output<string>;
  region: pulumi.Output<string>;
  partition: pulumi.Output<string>;
  dnsSuffix: pulumi.Output<string>;
}

/**
 * One customer-managed KMS key per data class in the region of the provider it is given: rotation
 * on, a 30-day deletion window, an alias per class, and a key policy split into account
 * administration, key users and the AWS services that use the class's data, each scoped.
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

    const partition = aws.getPartitionOutput({}, { parent: this });
    const environment: KeyEnvironment = {
      accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
      region: aws.getRegionOutput({}, { parent: this }).region,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
    };

    const keyArns: Partial<Record<DataClass, pulumi.Output<string>>> = {};
    const keyIds: Partial<Record<DataClass, pulumi.Output<string>>> = {};
    const aliasNames: Partial<Record<DataClass, string>> = {};

    for (const dataClass of settings.classes) {
      const baseStatements = keyPolicyStatements(environment, {
        administratorArns: args.administratorArns ?? [],
        keyUsers: args.keyUsers?.[dataClass] ?? [],
        services: settings.services[dataClass],
      });
      const statements = args.transforms?.policyStatements?.(baseStatements, dataClass) ?? baseStatements;
      const policy = aws.iam.getPolicyDocumentOutput({ statements }, { parent: this }).json;

      const keyArgs: aws.kms.KeyArgs = {
        description: `${settings.aliasPrefix} ${dataClass} data (customer managed)`,
        enableKeyRotation: true,
        deletionWindowInDays: settings.deletionWindowInDays,
        policy,
        tags: { DataClass: dataClass },
      };
      const key = new aws.kms.Key(childName(name, dataClass), args.transforms?.key?.(keyArgs, dataClass) ?? keyArgs, { parent: this });

      const aliasName = `alias/${settings.aliasPrefix}-${dataClass}`;
      const aliasArgs: aws.kms.AliasArgs = { name: aliasName, targetKeyId: key.keyId };
      new aws.kms.Alias(childName(name, `${dataClass}-alias`), args.transforms?.alias?.(aliasArgs, dataClass) ?? aliasArgs, { parent: this });

      keyArns[dataClass] = key.arn;
      keyIds[dataClass] = key.keyId;
      aliasNames[dataClass] = aliasName;
    }

    this.keyArns = keyArns;
    this.keyIds = keyIds;
    this.aliasNames = aliasNames;
    this.registerOutputs({ keyArns, keyIds, aliasNames, classes: settings.classes });
  }

  /** The ARN of a class's key; throws when this ring has no key for the class. */
  keyArn(dataClass: DataClass): pulumi.Output<string> {
    const arn = this.keyArns[dataClass];
    if (arn === undefined) {
      throw new Error(`KeyRing: no "${dataClass}" key in this ring; it holds ${this.classes.join(", ")}. Add "${dataClass}" to classes.`);
    }
    return arn;
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
  const fail = (message: string): never => {
    throw new Error(`KeyRing ${name}: ${message}`);
  };
  const requested = args.classes ?? DATA_CLASSES;
  if (requested.length === 0) fail(`classes is empty; list at least one of ${DATA_CLASSES.join(", ")}`);
  for (const dataClass of requested as readonly unknown[]) {
    if (!(DATA_CLASSES as readonly unknown[]).includes(dataClass)) {
      fail(`unknown data class ${JSON.stringify(dataClass)} in classes; expected one of ${DATA_CLASSES.join(", ")}`);
    }
  }
  const duplicates = requested.filter((dataClass, index) => requested.indexOf(dataClass) !== index);
  if (duplicates.length > 0) fail(`classes lists ${duplicates.join(", ")} more than once`);

  const deletionWindowInDays = args.deletionWindowInDays ?? 30;
  if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
    fail(`deletionWindowInDays must be an integer from 7 to 30 (KMS's limits), got ${deletionWindowInDays}`);
  }

  const aliasPrefix = args.aliasPrefix ?? `${pulumi.getProject()}-${pulumi.getStack()}`;
  if (!ALIAS_PREFIX.test(aliasPrefix)) {
    fail(`aliasPrefix "${aliasPrefix}" may hold only letters, digits, "/", "_" and "-"`);
  }
  if (/^aws(\/|$)/i.test(aliasPrefix)) fail(`aliasPrefix "${aliasPrefix}" is reserved: alias/aws/ names belong to AWS-managed keys`);
  const longest = Math.max(...requested.map((dataClass) => `alias/${aliasPrefix}-${dataClass}`.length));
  if (longest > 256) fail(`aliasPrefix "${aliasPrefix}" makes aliases of ${longest} characters; KMS allows 256`);

  const services = { ...DEFAULT_KEY_SERVICES };
  for (const [dataClass, list] of Object.entries(args.services ?? {}) as [string, readonly KeyService[] | undefined][]) {
    if (!(DATA_CLASSES as readonly string[]).includes(dataClass)) {
      fail(`services names unknown data class "${dataClass}"; expected one of ${DATA_CLASSES.join(", ")}`);
    }
    for (const service of (list ?? []) as readonly unknown[]) {
      if (!(KEY_SERVICES as readonly unknown[]).includes(service)) {
        fail(`services.${dataClass} names unknown service ${JSON.stringify(service)}; expected any of ${KEY_SERVICES.join(", ")}`);
      }
    }
    services[dataClass as DataClass] = list ?? [];
  }
  const principals = [...(args.administratorArns ?? []), ...Object.values(args.keyUsers ?? {}).flat()];
  for (const principal of principals) {
    if (typeof principal === "string" && !IAM_PRINCIPAL.test(principal)) {
      fail(`"${principal}" is not an IAM role, user or account ARN; key policies name principals by ARN`);
    }
  }
  for (const dataClass of Object.keys(args.keyUsers ?? {})) {
    if (!requested.includes(dataClass as DataClass)) {
      fail(`keyUsers names "${dataClass}", which has no key in this ring (classes: ${requested.join(", ")})`);
    }
  }

  // Keep DATA_CLASSES order so resource names and outputs do not depend on how classes were listed.
  return { classes: DATA_CLASSES.filter((dataClass) => requested.includes(dataClass)), aliasPrefix, deletionWindowInDays, services };
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
  const { accountId, region, partition, dnsSuffix } = environment;
  const accountRoot = pulumi.interpolate`arn:${partition}:iam::${accountId}:root`;
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

  const viaServices = inputs.services.flatMap((service) => {
    const endpoint = VIA_SERVICE_ENDPOINTS[service];
    return endpoint === undefined ? [] : [endpoint];
  });
  if (viaServices.length > 0) {
    // Like AWS-managed keys: anyone in this account, but only through these services here.
    statements.push({
      sid: "UseThroughAwsServices",
      principals: [{ type: "AWS", identifiers: ["*"] }],
      actions: [...CRYPTO_ACTIONS, "kms:CreateGrant", "kms:ListGrants"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "kms:CallerAccount", values: [accountId] },
        { test: "StringEquals", variable: "kms:ViaService", values: viaServices.map((endpoint) => pulumi.interpolate`${endpoint}.${region}.${dnsSuffix}`) },
      ],
    });
  }
  if (inputs.services.includes("logs")) {
    statements.push({
      sid: "CloudWatchLogs",
      principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${region}.${dnsSuffix}`] }],
      actions: CRYPTO_ACTIONS,
      resources: ["*"],
      conditions: [
        { test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [pulumi.interpolate`arn:${partition}:logs:${region}:${accountId}:log-group:*`] },
      ],
    });
  }
  if (inputs.services.includes("cloudfront")) {
    // The asset bucket's policy admits one distribution; the key admits this account's distributions.
    statements.push({
      sid: "CloudFrontOriginAccessControl",
      principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
      actions: ["kms:Decrypt"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:cloudfront::${accountId}:distribution/*`] },
      ],
    });
  }
  if (inputs.services.includes("cloudwatch-alarms")) {
    statements.push({
      sid: "CloudWatchAlarmsPublish",
      principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:cloudwatch:${region}:${accountId}:alarm:*`] },
      ],
    });
  }
  if (inputs.services.includes("backup-notifications")) {
    statements.push({
      sid: "BackupNotificationsPublish",
      principals: [{ type: "Service", identifiers: ["backup.amazonaws.com"] }],
      actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
      resources: ["*"],
      conditions: [
        { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
        { test: "ArnLike", variable: "aws:SourceArn", values: [pulumi.interpolate`arn:${partition}:backup:${region}:${accountId}:backup-vault:*`] },
      ],
    });
  }
  return statements;
}
