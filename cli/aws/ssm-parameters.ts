import { GetParametersCommand, SSMClient } from "@aws-sdk/client-ssm";
import { awsErrorMessage, clientSettings } from "./client-config.js";

/** The values of SSM parameters by name; every name must exist. */
export async function readParameters(region: string, names: readonly string[], env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const client = new SSMClient(clientSettings("SSM", region, env));
  try {
    const values: Record<string, string> = {};
    // GetParameters takes at most 10 names per call.
    for (let start = 0; start < names.length; start += 10) {
      const result = await client.send(new GetParametersCommand({ Names: names.slice(start, start + 10) }));
      for (const parameter of result.Parameters ?? []) {
        if (parameter.Name !== undefined && parameter.Value !== undefined) values[parameter.Name] = parameter.Value;
      }
      const invalid = result.InvalidParameters ?? [];
      if (invalid.length > 0) throw new Error(`SSM parameters missing in ${region}: ${invalid.join(", ")}`);
    }
    return values;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("SSM parameters missing")) throw error;
    throw new Error(`could not read SSM parameters in ${region}: ${awsErrorMessage(error)}`, { cause: error });
  } finally {
    client.destroy();
  }
}
