import { GetParametersCommand, type SSMClient } from "@aws-sdk/client-ssm";

/**
 * The runtime parameters the stack writes under its prefix (components/runtime-config.ts): the
 * names are a contract between the stack and this app, which imports nothing from the stack.
 */
export const RUNTIME_PARAMETER_SUFFIXES = {
  databaseEndpoint: "database-endpoint",
  databaseSecretArn: "database-secret-arn",
  searchEndpoint: "search-endpoint",
  indexAlias: "index-alias",
} as const;

export type RuntimeParameter = keyof typeof RUNTIME_PARAMETER_SUFFIXES;

export function runtimeParameterName(prefix: string, parameter: RuntimeParameter): string {
  return `${prefix.replace(/\/+$/, "")}/${RUNTIME_PARAMETER_SUFFIXES[parameter]}`;
}

/** Reads SSM parameters by name; a name that does not exist is absent from the result. */
export interface ParameterReader {
  read(names: readonly string[]): Promise<Map<string, string>>;
}

/** GetParameters by exact name: the instance role may read these names and nothing by path. */
export class SsmParameterReader implements ParameterReader {
  constructor(private readonly ssm: SSMClient) {}

  async read(names: readonly string[]): Promise<Map<string, string>> {
    const values = new Map<string, string>();
    // GetParameters takes at most 10 names.
    for (let start = 0; start < names.length; start += 10) {
      const output = await this.ssm.send(new GetParametersCommand({ Names: names.slice(start, start + 10), WithDecryption: true }));
      for (const parameter of output.Parameters ?? []) {
        if (parameter.Name !== undefined && parameter.Value !== undefined) values.set(parameter.Name, parameter.Value);
      }
    }
    return values;
  }
}
