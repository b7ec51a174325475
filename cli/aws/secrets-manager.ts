import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { parseArn, type Arn } from "../common/arn.js";
import { awsErrorMessage, clientSettings } from "./client-config.js";

export interface DatabaseCredentials {
  username: string;
  password: string;
}

/** A Secrets Manager secret's ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>); undefined when `text` is not one. */
export function parseSecretArn(text: string): Arn | undefined {
  const arn = parseArn(text);
  const isSecret = arn?.service === "secretsmanager" && arn.region !== "" && /^\d{12}$/.test(arn.account) && /^secret:.+/.test(arn.resource);
  return isSecret ? arn : undefined;
}

/** The region of a Secrets Manager secret ARN; throws when `secretArn` is not one. */
export function secretRegion(secretArn: string): string {
  const arn = parseSecretArn(secretArn);
  if (arn === undefined) throw new Error(`"${secretArn}" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)`);
  return arn.region;
}

/**
 * The username and password in a database secret (RDS-managed master secrets hold exactly
 * these two keys). The values never reach a log: errors name the secret, not its content.
 */
export async function readDatabaseCredentials(secretArn: string, env: NodeJS.ProcessEnv): Promise<DatabaseCredentials> {
  const region = secretRegion(secretArn);
  const client = new SecretsManagerClient(clientSettings("SECRETS_MANAGER", region, env));
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (error) {
    throw new Error(`could not read the database secret ${secretArn}: ${awsErrorMessage(error)}`, { cause: error });
  } finally {
    client.destroy();
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text ?? "");
  } catch {
    throw new Error(`the database secret ${secretArn} is not a JSON object with username and password`);
  }
  const { username, password } = (typeof parsed === "object" && parsed !== null ? parsed : {}) as { username?: unknown; password?: unknown };
  if (typeof username !== "string" || typeof password !== "string" || username === "" || password === "") {
    throw new Error(`the database secret ${secretArn} lacks a username or a password`);
  }
  return { username, password };
}
