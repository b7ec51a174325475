import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { clientSettings } from "./client-config.js";

export interface AsgHealth {
  name: string;
  desired: number;
  min: number;
  max: number;
  /** Instances in service and reported healthy. */
  inService: number;
  /** All instances the group holds, whatever their state. */
  instances: number;
}

/** The web tier's Auto Scaling group: how many instances serve traffic against what it wants. */
export async function describeAsg(region: string, name: string, env: NodeJS.ProcessEnv): Promise<AsgHealth | undefined> {
  const client = new AutoScalingClient(clientSettings("AUTO_SCALING", region, env));
  try {
    const result = await client.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
    const group = result.AutoScalingGroups?.find((candidate) => candidate.AutoScalingGroupName === name);
    if (group === undefined) return undefined;
    const instances = group.Instances ?? [];
    return {
      name,
      desired: group.DesiredCapacity ?? 0,
      min: group.MinSize ?? 0,
      max: group.MaxSize ?? 0,
      inService: instances.filter((instance) => instance.LifecycleState === "InService" && instance.HealthStatus === "Healthy").length,
      instances: instances.length,
    };
  } finally {
    client.destroy();
  }
}
