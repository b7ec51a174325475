import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { ArgsChecker } from "./common/args.js";
import { transform, type Transform } from "./common/transform.js";

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
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** Each of the four parameters (the function form gets the child's name to tell them apart). */
    parameter?: Transform<aws.ssm.ParameterArgs>;
  };
}

export const RUNTIME_PARAMETER_KEYS = ["databaseEndpoint", "databaseSecretArn", "searchEndpoint", "indexAlias"] as const;
export type RuntimeParameterKey = (typeof RUNTIME_PARAMETER_KEYS)[number];

const PARAMETER_SUFFIX: Record<RuntimeParameterKey, string> = {
  databaseEndpoint: "database-endpoint",
  databaseSecretArn: "database-secret-arn",
  searchEndpoint: "search-endpoint",
  indexAlias: "index-alias",
};

/** The parameters `shopctl failover` rewrites. */
const FAILOVER_KEYS: readonly RuntimeParameterKey[] = ["databaseEndpoint", "databaseSecretArn"];

/** The parameter names for a prefix: the web tier needs them before the parameters exist. */
export function runtimeParameterNames(prefix: string): Record<RuntimeParameterKey, string> {
  const clean = prefix.replace(/\/+$/, "");
  return Object.fromEntries(RUNTIME_PARAMETER_KEYS.map((key) => [key, `${clean}/${PARAMETER_SUFFIX[key]}`])) as Record<RuntimeParameterKey, string>;
}

/**
 * The app's runtime configuration as SSM parameters, one set per region. The fleet reads them at
 * start, so after a failover the DR fleet finds the promoted database without a redeploy.
 * Plain String parameters: they hold endpoints and an ARN, never a secret.
 *
 * @example
 * ```ts
 * new RuntimeConfig("primary-runtime", {
 *   prefix: "/shop-platform/prod/runtime",
 *   databaseEndpoint: database.endpoint,
 *   databaseSecretArn: database.masterUserSecretArn,
 *   searchEndpoint: pulumi.interpolate`https://${search.endpoint}`,
 * }, { provider: primaryProvider });
 * ```
 */
export class RuntimeConfig extends pulumi.ComponentResource {
  public readonly parameterNames: Record<RuntimeParameterKey, string>;
  public readonly parameterArns: pulumi.Output<string>[];

  constructor(name: string, args: RuntimeConfigArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:app:RuntimeConfig", name, {}, opts);
    new ArgsChecker(`RuntimeConfig "${name}"`).matches("prefix", args.prefix, /^\/[A-Za-z0-9_.\-/]+$/, "an SSM path such as /shop-platform/prod/runtime");
    this.parameterNames = runtimeParameterNames(args.prefix);
    this.parameterArns = RUNTIME_PARAMETER_KEYS.map((key) => this.createParameter(name, key, args).arn);
    this.registerOutputs({ parameterNames: this.parameterNames, parameterArns: this.parameterArns });
  }

  private createParameter(name: string, key: RuntimeParameterKey, args: RuntimeConfigArgs): aws.ssm.Parameter {
    const values: Record<RuntimeParameterKey, pulumi.Input<string>> = {
      databaseEndpoint: args.databaseEndpoint,
      databaseSecretArn: args.databaseSecretArn,
      searchEndpoint: args.searchEndpoint,
      indexAlias: args.indexAlias ?? "products",
    };
    return new aws.ssm.Parameter(...transform(args.transforms?.parameter, childName(name, PARAMETER_SUFFIX[key]), {
      name: this.parameterNames[key],
      type: "String",
      tier: "Standard",
      value: values[key],
      description: `shop-platform runtime configuration: ${key}`,
    }, {
      parent: this,
      ignoreChanges: args.failoverManaged && FAILOVER_KEYS.includes(key) ? ["value"] : [],
    }));
  }
}
