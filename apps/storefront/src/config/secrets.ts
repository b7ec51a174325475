import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { z } from "zod";

export interface DatabaseCredentials {
  username: string;
  password: string;
}

/** Reads the database credentials from a secret. */
export interface CredentialsReader {
  read(secretArn: string): Promise<DatabaseCredentials>;
}

// The RDS-managed master user secret holds {"username", "password"}; others may add host, port, dbname.
const secretShape = z.object({ username: z.string().min(1), password: z.string().min(1) });

/** Secrets Manager; errors name the secret, never its value. */
export class SecretsManagerCredentialsReader implements CredentialsReader {
  constructor(private readonly secrets: SecretsManagerClient) {}

  async read(secretArn: string): Promise<DatabaseCredentials> {
    const output = await this.secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (output.SecretString === undefined) throw new Error(`secret ${secretArn} has no SecretString; expected JSON {"username", "password"}`);
    let json: unknown;
    try {
      json = JSON.parse(output.SecretString);
    } catch {
      throw new Error(`secret ${secretArn} is not JSON; expected {"username", "password"}`);
    }
    const parsed = secretShape.safeParse(json);
    if (!parsed.success) throw new Error(`secret ${secretArn} lacks a non-empty username and password`);
    return parsed.data;
  }
}
