import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsErrorMessage, clientSettings } from "./client-config.js";
import { parseSecretArn } from "./secrets-manager.js";

/**
 * Whether a secret answers DescribeSecret from here (metadata only, never the value): after a
 * regional outage the primary region's database secret may not, and the DR fleet needs it.
 */
export async function secretReachable(arn: string, env: NodeJS.ProcessEnv): Promise<{ reachable: boolean; error?: string }> {
  const parsed = parseSecretArn(arn);
  if (parsed === undefined) return { reachable: false, error: `${arn} is not a Secrets Manager ARN` };
  const client = new SecretsManagerClient(clientSettings("SECRETS_MANAGER", parsed.region, env));
  try {
    await client.send(new DescribeSecretCommand({ SecretId: arn }));
    return { reachable: true };
  } catch (error) {
    return { reachable: false, error: awsErrorMessage(error) };
  } finally {
    client.destroy();
  }
}
