import { DescribeAvailabilityZonesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { clientSettings } from "./client-config.js";

/**
 * The availability zones the account can use in a region. A call that succeeds proves the region
 * is enabled for the account and reachable with these credentials.
 */
export async function availableZones(region: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const client = new EC2Client(clientSettings("EC2", region, env));
  try {
    const result = await client.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "state", Values: ["available"] }] }));
    return (result.AvailabilityZones ?? []).map((zone) => zone.ZoneName ?? "").filter((zone) => zone !== "");
  } finally {
    client.destroy();
  }
}
