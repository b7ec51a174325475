import { DescribeLoadBalancersCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { clientSettings } from "./client-config.js";

async function withElb<T>(region: string, env: NodeJS.ProcessEnv, body: (client: ElasticLoadBalancingV2Client) => Promise<T>): Promise<T> {
  const client = new ElasticLoadBalancingV2Client(clientSettings("ELASTIC_LOAD_BALANCING_V2", region, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

/** `active`, `provisioning`, `active_impaired`, `failed`, or undefined when the ALB does not exist. */
export async function loadBalancerState(region: string, arn: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const result = await withElb(region, env, (client) => client.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
    const balancer = result.LoadBalancers?.[0];
    return balancer === undefined ? undefined : balancer.State?.Code ?? "unknown";
  } catch (error) {
    if (error instanceof Error && error.name === "LoadBalancerNotFoundException") return undefined;
    throw error;
  }
}

export interface TargetHealthSummary {
  healthy: number;
  /** Registered targets in any other state (initial, unhealthy, draining, unavailable, ...). */
  other: number;
  /** Target state -> count, e.g. `{ healthy: 2, initial: 1 }`. */
  states: Record<string, number>;
}

/** How many of a target group's registered targets the ALB considers healthy. */
export async function targetHealth(region: string, targetGroupArn: string, env: NodeJS.ProcessEnv): Promise<TargetHealthSummary> {
  const result = await withElb(region, env, (client) => client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })));
  const states: Record<string, number> = {};
  for (const description of result.TargetHealthDescriptions ?? []) {
    const state = description.TargetHealth?.State ?? "unknown";
    states[state] = (states[state] ?? 0) + 1;
  }
  const healthy = states.healthy ?? 0;
  const total = Object.values(states).reduce((sum, count) => sum + count, 0);
  return { healthy, other: total - healthy, states };
}
