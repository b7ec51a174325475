import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsErrorMessage, clientSettings } from "./client-config.js";

/** The region of an ARN (`arn:partition:service:region:account:...`), or undefined when it has none. */
export function arnRegion(arn: string): string | undefined {
  const region = arn.split(":")[3];
  return region === undefined || region === "" ? undefined : region;
}

/**
 * Whether a secret answers DescribeSecret from here (metadata only, never the value): after a
 * regional outage the primary region's database secret may not, and the DR fleet needs it.
 */
export async function secretReachable(arn: string, env: NodeJS.ProcessEnv): Promise<{ reachable: boolean; error?: string }> {
  const region = arnRegion(arn);
  if (region === undefined || !arn.startsWith("arn:") || !arn.includes(":secretsmanager:")) return { reachable: false, error: `${arn} is not a Secrets Manager ARN` };
  const client = new SecretsManagerClient(clientSettings("SECRETS_MANAGER", region, env));
  try {
    await client.send(new DescribeSecretCommand({ SecretId: arn }));
    return { reachable: true };
  } catch (error) {
    return { reachable: false, error: awsErrorMessage(error) };
  } finally {
    client.destroy();
  }
}
