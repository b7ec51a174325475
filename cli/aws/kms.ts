import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { clientSettings } from "./client-config.js";

export interface KeyInfo {
  arn: string;
  enabled: boolean;
  state: string;
}

export async function describeKey(keyId: string, region: string, env: NodeJS.ProcessEnv): Promise<KeyInfo> {
  const client = new KMSClient(clientSettings("KMS", region, env));
  try {
    const { KeyMetadata: key } = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    return { arn: key?.Arn ?? keyId, enabled: key?.Enabled === true, state: key?.KeyState ?? "Unknown" };
  } finally {
    client.destroy();
  }
}
