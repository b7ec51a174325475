import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { clientSettings } from "./client-config.js";

// Run a shell command on an instance through SSM (the fleet has no SSH): the drill asks its
// instance for the app's /readyz from inside the VPC.

/** Start `commands` on the instance with AWS-RunShellScript; returns the command id. */
export async function runShellCommand(region: string, instanceId: string, commands: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const client = new SSMClient(clientSettings("SSM", region, env));
  try {
    const result = await client.send(new SendCommandCommand({
      DocumentName: "AWS-RunShellScript",
      InstanceIds: [instanceId],
      Parameters: { commands: [...commands] },
      TimeoutSeconds: 60,
      Comment: "shopctl drill: app readiness from inside the VPC",
    }));
    const id = result.Command?.CommandId;
    if (id === undefined) throw new Error(`SSM accepted no command for ${instanceId}`);
    return id;
  } finally {
    client.destroy();
  }
}

export interface CommandInvocation {
  /** `Pending`, `InProgress`, `Success`, `Failed`, `TimedOut`, `Cancelled`, ... */
  status: string;
  output: string;
  error: string;
}

/** The state and output of a command on one instance; undefined while SSM has not registered it yet. */
export async function commandInvocation(region: string, commandId: string, instanceId: string, env: NodeJS.ProcessEnv): Promise<CommandInvocation | undefined> {
  const client = new SSMClient(clientSettings("SSM", region, env));
  try {
    const result = await client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    return { status: result.Status ?? "Pending", output: result.StandardOutputContent ?? "", error: result.StandardErrorContent ?? "" };
  } catch (error) {
    if (error instanceof Error && error.name === "InvocationDoesNotExist") return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}
