import { GetParametersCommand, PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { clientSettings } from "./client-config.js";

// The runtime parameters failover repoints: plain String parameters holding endpoints and ARNs.

/** The values of the named parameters; a name that does not exist maps to undefined. */
export async function parameterValues(region: string, names: readonly string[], env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  const client = new SSMClient(clientSettings("SSM", region, env));
  try {
    const values: Record<string, string | undefined> = Object.fromEntries(names.map((name) => [name, undefined]));
    // GetParameters takes at most 10 names per call.
    for (let start = 0; start < names.length; start += 10) {
      const result = await client.send(new GetParametersCommand({ Names: names.slice(start, start + 10) }));
      for (const parameter of result.Parameters ?? []) {
        if (parameter.Name !== undefined) values[parameter.Name] = parameter.Value;
      }
    }
    return values;
  } finally {
    client.destroy();
  }
}

/** Overwrite a String parameter (the type the stack created it with). */
export async function putStringParameter(region: string, name: string, value: string, env: NodeJS.ProcessEnv): Promise<void> {
  const client = new SSMClient(clientSettings("SSM", region, env));
  try {
    await client.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }));
  } finally {
    client.destroy();
  }
}
