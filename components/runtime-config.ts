import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, childName, type Transform } from "./conventions.js";

export interface RuntimeConfigArgs {
  /** Parameter path prefix, e.g. `/shop-platform/prod/runtime`. */
  prefix: string;
  /** `host:port` of the writer database the app in this region uses. */
  databaseEndpoint: pulumi.Input<string>;
  /** ARN of the Secrets Manager secret with the database credentials. */
  databaseSecretArn: pulumi.Input<string>;
  /** `https://` endpoint of this region's OpenSearch domain. */
  searchEndpoint: pulumi.Input<string>;
  /**
   * The alias the app searches.
   * @default "products"
   */
  indexAlias?: pulumi.Input<string>;
  /**
   * The database parameters belong to `shopctl failover` after the first deploy: a later
   * `pulumi up` must not point a failed-over fleet back at the old primary.
   * @default false
   */
  failoverManaged?: boolean;
  transform?: Transform<aws.ssm.ParameterArgs>;
}

export const RUNTIME_PARAMETER_KEYS = ["databaseEndpoint", "databaseSecretArn", "searchEndpoint", "indexAlias"] as const;
export type RuntimeParameterKey = (typeof RUNTIME_PARAMETER_KEYS)[number];

const PARAMETER_SUFFIX: Record<RuntimeParameterKey, string> = {
  databaseEndpoint: "database-endpoint",
  databaseSecretArn: "database-secret-arn",
  searchEndpoint: "search-endpoint",
  indexAlias: "index-alias",
};

/** The parameter names for a prefix: the web tier needs them before the parameters exist. */
export function runtimeParameterNames(prefix: string): Record<RuntimeParameterKey, string> {
  const clean = prefix.replace(/\/+$/, "");
  return Object.fromEntries(RUNTIME_PARAMETER_KEYS.map((key) => [key, `${clean}/${PARAMETER_SUFFIX[key]}`])) as Record<RuntimeParameterKey, string>;
}

/**
 * The app's runtime configuration as SSM parameters, one set per region. The fleet reads them at
 * start, so after a failover the DR fleet finds the promoted database without a redeploy.
 * Plain String parameters: they hold endpoints and an ARN, never a secret.
 */
export class RuntimeConfig extends pulumi.ComponentResource {
  public readonly parameterNames: Record<RuntimeParameterKey, string>;
  public readonly parameterArns: pulumi.Output<string>[];

  constructor(name: string, args: RuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:app:RuntimeConfig", name, {}, opts);
    if (!/^\/[A-Za-z0-9_.\-/]+$/.test(args.prefix)) {
      throw new Error(`RuntimeConfig ${name}: prefix "${args.prefix}" must be an SSM path such as /shop-platform/prod/runtime`);
    }
    this.parameterNames = runtimeParameterNames(args.prefix);
    const values: Record<RuntimeParameterKey, pulumi.Input<string>> = {
      databaseEndpoint: args.databaseEndpoint,
      databaseSecretArn: args.databaseSecretArn,
      searchEndpoint: args.searchEndpoint,
      indexAlias: args.indexAlias ?? "products",
    };
    const failoverKeys: RuntimeParameterKey[] = ["databaseEndpoint", "databaseSecretArn"];
    this.parameterArns = RUNTIME_PARAMETER_KEYS.map((key) => new aws.ssm.Parameter(childName(name, PARAMETER_SUFFIX[key]), applyTransform<aws.ssm.ParameterArgs>({
      name: this.parameterNames[key],
      type: "String",
      tier: "Standard",
      value: values[key],
      description: `shop-platform runtime configuration: ${key}`,
    }, args.transform), {
      parent: this,
      ignoreChanges: args.failoverManaged && failoverKeys.includes(key) ? ["value"] : [],
    }).arn);
    this.registerOutputs({ parameterNames: this.parameterNames, parameterArns: this.parameterArns });
  }
}
