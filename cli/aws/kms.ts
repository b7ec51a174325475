import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
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

export interface KeyAlias {
  alias: string;
  keyId: string;
}

/** The region's aliases starting with `prefix` (e.g. `alias/shop-platform-prod-`), over every page. */
export async function aliasesWithPrefix(region: string, prefix: string, env: NodeJS.ProcessEnv): Promise<KeyAlias[]> {
  const client = new KMSClient(clientSettings("KMS", region, env));
  try {
    const found: KeyAlias[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListAliasesCommand({ Marker: marker, Limit: 100 }));
      for (const alias of page.Aliases ?? []) {
        if (alias.AliasName?.startsWith(prefix) === true && alias.TargetKeyId !== undefined) found.push({ alias: alias.AliasName, keyId: alias.TargetKeyId });
      }
      marker = page.Truncated === true ? page.NextMarker : undefined;
    } while (marker !== undefined);
    return found.sort((a, b) => a.alias.localeCompare(b.alias));
  } finally {
    client.destroy();
  }
}
