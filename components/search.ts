import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { domainAccessPolicy, logPublishingPolicy } from "./search/policies.js";
import { type SearchSettings, validateSearchArgs } from "./search/settings.js";
import { dataStoreSecurityGroup } from "./common/data-store-access.js";
import { encryptedLogGroup } from "./common/encrypted-log-group.js";
import { transform, type Transform } from "./common/transform.js";

export { InvalidArgsError } from "./common/args.js";
export { searchZones } from "./search/settings.js";

/** The OpenSearch log types the domain publishes, and the log group suffix of each. */
export const SEARCH_LOG_TYPES = {
  INDEX_SLOW_LOGS: "index-slow",
  SEARCH_SLOW_LOGS: "search-slow",
  ES_APPLICATION_LOGS: "application",
  AUDIT_LOGS: "audit",
} as const;
export type SearchLogType = keyof typeof SEARCH_LOG_TYPES;

/** HTTPS with TLS 1.2 and forward secrecy only. */
export const SEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** Sizing of a domain; `standbySearchSizing` derives the DR region's from the primary's. */
export interface SearchSizing {
  /** Data node type. @default "r6g.large.search" */
  instanceType?: string;
  /** Data nodes, a multiple of the zones used (1 means one node, no zone awareness). @default 3 */
  instanceCount?: number;
  /** Dedicated master nodes: 0 (none), 3 or 5. @default 3 */
  dedicatedMasters?: 0 | 3 | 5;
  /** Dedicated master node type. @default "m6g.large.search" */
  masterInstanceType?: string;
  /** gp3 volume per data node, GiB. @default 100 */
  volumeGb?: number;
  /** AZs of the VPC; the domain spreads over min(azCount, 3) of them when it has more than one node. @default 3 */
  azCount?: number;
}

export interface SearchDomainArgs extends SearchSizing {
  /** The VPC the domain's endpoint lives in. */
  vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ, in AZ order; the domain uses as many as the zones it spans. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The web tier's security group: the only application source admitted on 443. */
  webSecurityGroupId: pulumi.Input<string>;
  /** Operator security groups also admitted on 443. @default [] */
  opsSecurityGroupIds?: pulumi.Input<string>[];
  /** Operator CIDRs (private ranges only) also admitted on 443. @default [] */
  opsCidrBlocks?: string[];
  /** KMS key (ARN) for encryption at rest: the `search` data class key. */
  kmsKeyArn: pulumi.Input<string>;
  /** KMS key (ARN) for the log groups: the `logs` data class key (its policy must admit logs.<region>.amazonaws.com). */
  logsKmsKeyArn: pulumi.Input<string>;
  /** The web tier's role: may search and index (GET, HEAD, POST, PUT). */
  webRoleArn: pulumi.Input<string>;
  /** The operators' role: may call every HTTP method. @default undefined (only the master role operates) */
  opsRoleArn?: pulumi.Input<string>;
  /** The fine-grained access control master: an IAM role (no internal user, no password); also in the access policy. */
  masterRoleArn: pulumi.Input<string>;
  /** 3 to 28 characters: a lower-case letter, then lower-case letters, digits or hyphens. @default the component name, lower-cased and cut to 28 characters */
  domainName?: string;
  /** The engine: OpenSearch 2.x. @default "OpenSearch_2.19" */
  engineVersion?: string;
  /** Publish audit logs (fine-grained access control's audit log must also be turned on in the domain). @default true */
  auditLogs?: boolean;
  /** Auto-Tune, in the off-peak window. T2/T3 types cannot have it. @default true, false for T2/T3 types */
  autoTune?: boolean;
  /** Retention of the log groups (a CloudWatch Logs value). @default 365 */
  logRetentionDays?: number;
  /**
   * Changes to the children's args and options (an object merged over the args, or a function).
   * @default {} (no changes)
   */
  transforms?: {
    /** The OpenSearch domain. */
    domain?: Transform<aws.opensearch.DomainArgs>;
    /** The domain's security group. */
    securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** Each ingress rule of the security group (web tier, operator groups, operator CIDRs). */
    securityGroupRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    /** Each log type's log group (the function form gets the child's name to tell them apart). */
    logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The CloudWatch Logs resource policy that lets OpenSearch publish to the log groups. */
    logResourcePolicy?: Transform<aws.cloudwatch.LogResourcePolicyArgs>;
  };
}

/**
 * The DR region's smaller domain: the same node type and volume (it must hold the whole index),
 * no dedicated masters, and two nodes in two zones (one when the primary has one).
 */
export function standbySearchSizing(primary: SearchSizing): Required<SearchSizing> {
  const instanceCount = (primary.instanceCount ?? 3) > 1 ? 2 : 1;
  return {
    instanceType: primary.instanceType ?? "r6g.large.search",
    instanceCount,
    dedicatedMasters: 0,
    masterInstanceType: primary.masterInstanceType ?? "m6g.large.search",
    volumeGb: primary.volumeGb ?? 100,
    azCount: instanceCount > 1 ? 2 : 1,
  };
}

/**
 * An Amazon OpenSearch Service domain for product search: inside the VPC, spread over up to
 * three AZs, encrypted at rest (search key), node to node and in transit (HTTPS, TLS 1.2 with
 * forward secrecy), fine-grained access control with an IAM master role, an access policy for
 * the web tier and operators only, logs in encrypted log groups, Auto-Tune.
 *
 * @example
 * ```ts
 * new SearchDomain("catalog-search", {
 *   vpcId: network.vpcId,
 *   subnetIds: network.privateSubnetIds,
 *   webSecurityGroupId: web.securityGroupId,
 *   kmsKeyArn: keys.keyArn("search"),
 *   logsKmsKeyArn: keys.keyArn("logs"),
 *   webRoleArn: web.instanceRoleArn,
 *   masterRoleArn: ops.roleArn,
 *   instanceCount: 3,
 * }, { provider: primaryProvider });
 * ```
 */
export class SearchDomain extends pulumi.ComponentResource {
  public readonly domainName: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;
  /** The VPC endpoint's host name (HTTPS on 443). */
  public readonly endpoint: pulumi.Output<string>;
  public readonly dashboardEndpoint: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** The log group of each published log type. */
  public readonly logGroupNames: pulumi.Output<Partial<Record<SearchLogType, string>>>;

  constructor(name: string, args: SearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("shop:data:SearchDomain", name, {}, opts);
    const settings = validateSearchArgs(name, args);
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const domainArn = this.domainArn(settings.domainName, account);

    const securityGroup = this.createSecurityGroup(name, args, settings);
    const logGroups = this.createLogGroups(name, args, settings);
    const logPolicy = this.createLogPolicy(name, args, settings, logPublishingPolicy(logGroups.map(({ group }) => group.arn), account, domainArn));
    const domain = this.createDomain(name, args, settings, {
      securityGroup,
      logGroups,
      logPolicy,
      accessPolicy: domainAccessPolicy(domainArn, args),
    });

    this.domainName = domain.domainName;
    this.arn = domain.arn;
    this.endpoint = domain.endpoint;
    this.dashboardEndpoint = domain.dashboardEndpoint;
    this.securityGroupId = securityGroup.id;
    this.logGroupNames = pulumi
      .all(logGroups.map(({ type, group }) => group.name.apply((groupName) => [type, groupName] as const)))
      .apply((entries) => Object.fromEntries(entries));
    this.registerOutputs({
      domainName: this.domainName,
      arn: this.arn,
      endpoint: this.endpoint,
      dashboardEndpoint: this.dashboardEndpoint,
      securityGroupId: this.securityGroupId,
      logGroupNames: this.logGroupNames,
    });
  }

  /** Known before the domain exists: the log policy and the access policy must be in place when it is created. */
  private domainArn(domainName: string, account: pulumi.Output<string>): pulumi.Output<string> {
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    return pulumi.interpolate`arn:${partition}:es:${region}:${account}:domain/${domainName}`;
  }

  /** HTTPS (443) from the web tier and the operators only. */
  private createSecurityGroup(name: string, args: SearchDomainArgs, settings: SearchSettings): aws.ec2.SecurityGroup {
    return dataStoreSecurityGroup(
      this,
      name,
      443,
      `OpenSearch ${settings.domainName}: web tier and operators only`,
      { vpcId: args.vpcId, webSecurityGroupId: args.webSecurityGroupId, opsSecurityGroupIds: args.opsSecurityGroupIds ?? [], opsCidrBlocks: args.opsCidrBlocks ?? [] },
      args.transforms?.securityGroup,
      args.transforms?.securityGroupRule,
    );
  }

  /** One encrypted log group per published log type (audit logs only when asked for). */
  private createLogGroups(name: string, args: SearchDomainArgs, settings: SearchSettings): { type: SearchLogType; group: aws.cloudwatch.LogGroup }[] {
    const logTypes = (Object.keys(SEARCH_LOG_TYPES) as SearchLogType[]).filter((type) => type !== "AUDIT_LOGS" || (args.auditLogs ?? true));
    return logTypes.map((type) => ({
      type,
      group: encryptedLogGroup(
        this,
        childName(name, `log-${SEARCH_LOG_TYPES[type]}`),
        { logGroupName: `/aws/opensearch/domains/${settings.domainName}/${SEARCH_LOG_TYPES[type]}`, kmsKeyArn: args.logsKmsKeyArn, retentionDays: settings.logRetentionDays },
        args.transforms?.logGroup,
      ),
    }));
  }

  /** OpenSearch writes to CloudWatch Logs under this account-level policy, for this domain only. */
  private createLogPolicy(name: string, args: SearchDomainArgs, settings: SearchSettings, policyDocument: pulumi.Output<string>): aws.cloudwatch.LogResourcePolicy {
    return new aws.cloudwatch.LogResourcePolicy(...transform(args.transforms?.logResourcePolicy, childName(name, "log-policy"), {
      policyName: `opensearch-${settings.domainName}`,
      policyDocument,
    }, { parent: this }));
  }

  private createDomain(name: string, args: SearchDomainArgs, settings: SearchSettings, parts: DomainParts): aws.opensearch.Domain {
    const masters = settings.dedicatedMasters;
    const zones = settings.zones;
    return new aws.opensearch.Domain(...transform(args.transforms?.domain, childName(name, "domain"), {
      domainName: settings.domainName,
      engineVersion: settings.engineVersion,
      clusterConfig: {
        instanceType: settings.instanceType,
        instanceCount: settings.instanceCount,
        dedicatedMasterEnabled: masters > 0,
        ...(masters > 0 ? { dedicatedMasterCount: masters, dedicatedMasterType: settings.masterInstanceType } : {}),
        zoneAwarenessEnabled: zones > 1,
        ...(zones > 1 ? { zoneAwarenessConfig: { availabilityZoneCount: zones } } : {}),
      },
      ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: settings.volumeGb },
      vpcOptions: { subnetIds: settings.subnetIds, securityGroupIds: [parts.securityGroup.id] },
      encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: SEARCH_TLS_POLICY },
      advancedSecurityOptions: {
        enabled: true,
        internalUserDatabaseEnabled: false,
        masterUserOptions: { masterUserArn: args.masterRoleArn },
      },
      accessPolicies: parts.accessPolicy,
      logPublishingOptions: parts.logGroups.map(({ type, group }) => ({ logType: type, cloudwatchLogGroupArn: group.arn, enabled: true })),
      ...(settings.autoTune ? { autoTuneOptions: { desiredState: "ENABLED", rollbackOnDisable: "NO_ROLLBACK", useOffPeakWindow: true } } : {}),
      offPeakWindowOptions: { enabled: true },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
      tags: { DataClass: "search" },
    }, { parent: this, dependsOn: [parts.logPolicy] }));
  }
}

/** What the domain is wired to. */
interface DomainParts {
  securityGroup: aws.ec2.SecurityGroup;
  logGroups: readonly { type: SearchLogType; group: aws.cloudwatch.LogGroup }[];
  logPolicy: aws.cloudwatch.LogResourcePolicy;
  accessPolicy: pulumi.Output<string>;
}
