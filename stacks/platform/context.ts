import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { awsName } from "../../components/conventions.js";
import { runtimeParameterNames } from "../../components/runtime-config.js";
import type { LogRetentionDays } from "../../components/common/log-retention.js";
import type { StackConfig } from "../config/index.js";
import { createProviders, type PlatformProviders, type StackIdentity } from "../providers.js";

/** Where an object lives: the account and partition, read once from the primary provider. */
export interface Account {
  id: pulumi.Output<string>;
  partition: pulumi.Output<string>;
}

/** Everything the region builders share. */
export interface PlatformContext {
  config: StackConfig;
  identity: StackIdentity;
  providers: PlatformProviders;
  account: Account;
  names: PlatformNames;
  /** CloudWatch log retention everywhere: PCI DSS 10.5.1 keeps 12 months of audit logs in prod. */
  logRetentionDays: LogRetentionDays;
  /** The storefront's domain and its hosted zone; absent in a dev stack without one. */
  domain: Domain | undefined;
}

export interface Domain {
  name: string;
  zoneId: string;
}

/** The providers, names and account every builder works from. */
export function platformContext(config: StackConfig, identity: StackIdentity): PlatformContext {
  const providers = createProviders(config, identity);
  return {
    config,
    identity,
    providers,
    account: accountOf(providers.primary),
    names: platformNames(identity),
    logRetentionDays: logRetentionFor(config.tier),
    domain: config.domain && config.hostedZoneId ? { name: config.domain, zoneId: config.hostedZoneId } : undefined,
  };
}

export interface PlatformNames {
  /** `<project>-<stack>`: prefixes physical names that must be unique in an account. */
  prefix: string;
  /** Logical name of a component: stack-prefixed so alarms, vaults and buckets never collide across stacks. */
  component(role: string): string;
  databaseIdentifier: string;
  replicaIdentifier: string;
  searchDomain(region: "primary" | "dr"): string;
  /** SSM path of the app's runtime parameters (the same path in both regions). */
  runtimePrefix: string;
  /** Where `npm run build:app` uploads the storefront artifact in the asset bucket. */
  artifactKey: string;
}

export function platformNames(identity: StackIdentity): PlatformNames {
  const prefix = awsName(`${identity.project}-${identity.stack}`, 40).toLowerCase();
  return {
    prefix,
    component: (role) => `${identity.stack}-${role}`,
    databaseIdentifier: awsName(`${prefix}-db`, 63).toLowerCase(),
    replicaIdentifier: awsName(`${prefix}-db-replica`, 63).toLowerCase(),
    // OpenSearch domain names: 3 to 28 characters, lower case, starting with a letter.
    searchDomain: (region) => awsName(`${prefix}-search${region === "dr" ? "-dr" : ""}`, 28).toLowerCase(),
    runtimePrefix: `/${identity.project}/${identity.stack}/runtime`,
    artifactKey: "releases/storefront.tar.gz",
  };
}

export function accountOf(provider: aws.Provider): Account {
  return {
    id: aws.getCallerIdentityOutput({}, { provider }).accountId,
    partition: aws.getPartitionOutput({}, { provider }).partition,
  };
}

export function logRetentionFor(tier: StackConfig["tier"]): LogRetentionDays {
  return tier === "prod" ? 400 : tier === "staging" ? 90 : 30;
}

export { runtimeParameterNames };
