import { randomInt } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../conventions.js";
import { type Transform, transform } from "../common/transform.js";

/**
 * How the master user's password is kept.
 *
 * - `rds-managed`: RDS generates it, keeps it in Secrets Manager and rotates it
 *   (`manageMasterUserPassword`); it never passes through the program, config or state. AWS
 *   refuses to create read replicas of such an instance ("Creating read replicas for source
 *   instance with engine postgres where ManageMasterUserPassword is enabled is not supported").
 * - `write-only`: the component generates a password and hands it to RDS and to its own
 *   Secrets Manager secret through write-only arguments (`passwordWo`, `secretStringWo`): never
 *   in outputs or config, kept only as an encrypted secret in the state's inputs. Use it when a
 *   DatabaseReplica follows this instance.
 */
export type MasterPasswordMode = "rds-managed" | "write-only";
export const MASTER_PASSWORD_MODES: readonly MasterPasswordMode[] = ["rds-managed", "write-only"];

/** The instance args that set the password, and the secret that holds it. */
export interface MasterCredentials {
  readonly instanceArgs: Pick<
    aws.rds.InstanceArgs,
    "manageMasterUserPassword" | "masterUserSecretKmsKeyId" | "passwordWo" | "passwordWoVersion"
  >;
  /** The Secrets Manager secret holding `{"username", "password"}`, as RDS's managed secret does. */
  secretArn(instance: aws.rds.Instance): pulumi.Output<string>;
  /** The ARNs of the secret's replicas by region (write-only with `replicaRegions`; empty otherwise). */
  replicaArns(): pulumi.Output<Record<string, string>>;
}

/** A region the master secret is replicated to, with that region's key. */
export interface SecretReplica {
  region: string;
  kmsKeyArn: pulumi.Input<string>;
}

/** A replica secret keeps the primary's name and suffix: its ARN differs only in the region. */
export function replicaSecretArn(primaryArn: string, region: string): string {
  const parts = primaryArn.split(":");
  if (parts.length < 7 || parts[2] !== "secretsmanager") throw new Error(`${primaryArn} is not a Secrets Manager secret ARN`);
  parts[3] = region;
  return parts.join(":");
}

export interface MasterCredentialsArgs {
  mode: MasterPasswordMode;
  username: string;
  secretsKmsKeyArn: pulumi.Input<string>;
  /** write-only: bump it to send a new password to RDS and the secret in the same update. */
  version: number;
  secretTransform: Transform<aws.secretsmanager.SecretArgs> | undefined;
  secretVersionTransform: Transform<aws.secretsmanager.SecretVersionArgs> | undefined;
  /** write-only: regions that keep a replica of the secret (the DR region, so it outlives the primary's). */
  replicas: readonly SecretReplica[];
}

/** RDS forbids `/`, `@`, `"` and spaces; letters and digits also survive URLs and shells unquoted. */
const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD_LENGTH = 40;

function generatePassword(): string {
  return Array.from({ length: PASSWORD_LENGTH }, () => PASSWORD_ALPHABET.charAt(randomInt(PASSWORD_ALPHABET.length))).join("");
}

export function masterCredentials(parent: pulumi.Resource, name: string, args: MasterCredentialsArgs): MasterCredentials {
  if (args.mode === "rds-managed") {
    return {
      instanceArgs: { manageMasterUserPassword: true, masterUserSecretKmsKeyId: args.secretsKmsKeyArn },
      secretArn: (instance) =>
        instance.masterUserSecrets.apply((secrets) => {
          const arn = secrets[0]?.secretArn;
          if (arn === undefined) throw new Error(`${name}: RDS reported no master user secret although manageMasterUserPassword is set`);
          return arn;
        }),
      replicaArns: () => pulumi.output<Record<string, string>>({}),
    };
  }

  // A fresh password on every run is harmless: write-only values reach AWS only on create or
  // when `version` changes, and then RDS and the secret get the same one.
  const password = pulumi.secret(generatePassword());
  const secret = new aws.secretsmanager.Secret(...transform<aws.secretsmanager.SecretArgs>(
    args.secretTransform,
    childName(name, "master-secret"),
    {
      description: `Master user credentials of the ${name} database`,
      kmsKeyId: args.secretsKmsKeyArn,
      recoveryWindowInDays: 30,
      ...(args.replicas.length > 0 ? { replicas: args.replicas.map((replica) => ({ region: replica.region, kmsKeyId: replica.kmsKeyArn })) } : {}),
      tags: { DataClass: "secrets" },
    },
    { parent },
  ));
  new aws.secretsmanager.SecretVersion(...transform<aws.secretsmanager.SecretVersionArgs>(
    args.secretVersionTransform,
    childName(name, "master-secret-value"),
    {
      secretId: secret.id,
      secretStringWo: pulumi.secret(pulumi.jsonStringify({ username: args.username, password })),
      secretStringWoVersion: args.version,
    },
    { parent },
  ));
  return {
    instanceArgs: { passwordWo: password, passwordWoVersion: args.version },
    secretArn: () => secret.arn,
    replicaArns: () => secret.arn.apply((arn) => Object.fromEntries(args.replicas.map((replica) => [replica.region, replicaSecretArn(arn, replica.region)]))),
  };
}
