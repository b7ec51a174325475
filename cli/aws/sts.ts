import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { clientSettings } from "./client-config.js";

export interface CallerIdentity {
  account: string;
  arn: string;
}

/** Who the AWS credentials in effect belong to; fails when there are none or they are invalid. */
export async function callerIdentity(region: string, env: NodeJS.ProcessEnv): Promise<CallerIdentity> {
  const client = new STSClient(clientSettings("STS", region, env));
  try {
    const result = await client.send(new GetCallerIdentityCommand({}));
    return { account: result.Account ?? "?", arn: result.Arn ?? "?" };
  } finally {
    client.destroy();
  }
}
