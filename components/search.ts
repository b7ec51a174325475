import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, awsName, childName, type Transform } from "./conventions.js";
import { checkOpsCidrs, dataStoreSecurityGroup } from "./shared/data-store-access.js";
import { ArgsChecker } from "./shared/args.js";
import { encryptedLogGroup } from "./shared/encrypted-log-group.js";
import { checkLogRetention } from "./shared/log-retention.js";

export { InvalidArgsError } from "./shared/args.js";

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

/** The web tier searches and indexes; deleting indices and changing the cluster is for operators. */
const WEB_TIER_ACTIONS = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"];

/** Sizing of a domain; `standbySearchSizing` derives the DR region's from the primary's. */
export interface SearchSizing {
  /** Data node type. @default "r6g.large.search" */
  instanceType?: string;
  /** Data nodes, a multiple of the zones used (1 means one node, no zone awareness). @default 3 */
  instanceCount?: number;
  /** Dedicated master nodes: 0 (none), 3 or 5. @default 3 */
  dedicatedMasters?: 0 | 3 | 5;
  /** @default "m6g.large.search" */
  masterInstanceType?: string;
  /** gp3 volume per data node, GiB. @default 100 */
  volumeGb?: number;
  /** AZs of the VPC; the domain spreads over min(azCount, 3) of them when it has more than one node. @default 3 */
  azCount?: number;
}

export interface SearchDomainArgs extends SearchSizing {
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
  /** The operators' role: may call every HTTP method. @default none */
  opsRoleArn?: pulumi.Input<string>;
  /** The fine-grained access control master: an IAM role (no internal user, no password); also in the access policy. */
  masterRoleArn: pulumi.Input<string>;
  /** 3 to 28 characters: a lower-case letter, then lower-case letters, digits or hyphens. @default the component name, lower-cased and cut to 28 characters */
  domainName?: string;
  /** @default "OpenSearch_2.19" */
  engineVersion?: string;
  /** Publish audit logs (fine-grained access control's audit log must also be turned on in the domain). @default true */
  auditLogs?: boolean;
  /** Auto-Tune, in the off-peak window. T2/T3 types cannot have it. @default true, false for T2/T3 types */
  autoTune?: boolean;
  /** Retention of the log groups (a CloudWatch Logs value). @default 365 */
  logRetentionDays?: number;
  transforms?: {
    domain?: Transform<aws.opensearch.DomainArgs>;
    securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    logResourcePolicy?: Transform<aws.cloudwatch.LogResourcePolicyArgs>;
  };
}

const SEARCH_INSTANCE = /^[a-z][a-z0-9]*\.[a-z0-9]+\.search$/;
const BURSTABLE = /^t[23]\./;
const DOMAIN_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** The zones a domain spans: one for a single node, else min(azCount, 3). */
export function searchZones(instanceCount: number, azCount: number): number {
  return instanceCount > 1 ? Math.min(azCount, 3) : 1;
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

/** The subnets the domain uses: one per zone, checked when the list is plain and again once known. */
function domainSubnets(check: ArgsChecker, subnetIds: SearchDomainArgs["subnetIds"], zones: number): pulumi.Output<string[]> {
  const enough = (count: number) => {
    if (count < zones) check.fail("subnetIds", `${count} subnet(s)`, `at least ${zones} private subnets, one per zone the domain spans`);
  };
  if (Array.isArray(subnetIds)) enough(subnetIds.length);
  return pulumi.output(subnetIds).apply((ids) => {
    enough(ids.length);
    return ids.slice(0, zones);
  });
}

/**
 * An Amazon OpenSearch Service domain for product search: inside the VPC, spread over up to
 * three AZs, encrypted at rest (search key), node to node and in transit (HTTPS, TLS 1.2 with
 * forward secrecy), fine-grained access control with an IAM master role, an access policy for
 * the web tier and operators only, logs in encrypted log groups, Auto-Tune.
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
    const check = new ArgsChecker(`SearchDomain "${name}"`);
    const domainName = check.matches(
      args.domainName === undefined ? "domainName (derived from the component name)" : "domainName",
      args.domainName ?? awsName(name.toLowerCase(), 28),
      DOMAIN_NAME,
      "3 to 28 characters: a lower-case letter, then lower-case letters, digits or hyphens",
    );
    const engineVersion = check.matches("engineVersion", args.engineVersion ?? "OpenSearch_2.19", /^OpenSearch_2\.\d+$/, "an OpenSearch 2.x version such as OpenSearch_2.19");
    const instanceType = check.matches("instanceType", args.instanceType ?? "r6g.large.search", SEARCH_INSTANCE, "an OpenSearch instance type such as r6g.large.search");
    const instanceCount = check.integer("instanceCount", args.instanceCount ?? 3, 1, 80);
    const masters = check.oneOf<number>("dedicatedMasters", args.dedicatedMasters ?? 3, [0, 3, 5]);
    const masterType = check.matches("masterInstanceType", args.masterInstanceType ?? "m6g.large.search", SEARCH_INSTANCE, "an OpenSearch instance type such as m6g.large.search");
    const volumeGb = check.integer("volumeGb", args.volumeGb ?? 100, 10, 24_576);
    const azCount = check.integer("azCount", args.azCount ?? 3, 1, 6);
    const zones = searchZones(instanceCount, azCount);
    if (instanceCount % zones !== 0) check.fail("instanceCount", instanceCount, `a multiple of the ${zones} zones the domain spans`);
    const burstable = BURSTABLE.test(instanceType);
    const autoTune = args.autoTune ?? !burstable;
    if (autoTune && burstable) check.fail("autoTune", true, `false for ${instanceType}: T2/T3 instance types cannot use Auto-Tune`);
    const logRetentionDays = checkLogRetention(check, args.logRetentionDays ?? 365);
    checkOpsCidrs(check, args.opsCidrBlocks);
    const subnetIds = domainSubnets(check, args.subnetIds, zones);

    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    // Known before the domain exists: the log policy and the access policy must be in place when it is created.
    const domainArn = pulumi.interpolate`arn:${partition}:es:${region}:${account}:domain/${domainName}`;

    const securityGroup = dataStoreSecurityGroup(
      this,
      name,
      443,
      `OpenSearch ${domainName}: web tier and operators only`,
      { vpcId: args.vpcId, webSecurityGroupId: args.webSecurityGroupId, opsSecurityGroupIds: args.opsSecurityGroupIds ?? [], opsCidrBlocks: args.opsCidrBlocks ?? [] },
      args.transforms?.securityGroup,
    );

    const logTypes = (Object.keys(SEARCH_LOG_TYPES) as SearchLogType[]).filter((type) => type !== "AUDIT_LOGS" || (args.auditLogs ?? true));
    const logGroups = logTypes.map((type) => ({
      type,
      group: encryptedLogGroup(
        this,
        childName(name, `log-${SEARCH_LOG_TYPES[type]}`),
        { logGroupName: `/aws/opensearch/domains/${domainName}/${SEARCH_LOG_TYPES[type]}`, kmsKeyArn: args.logsKmsKeyArn, retentionDays: logRetentionDays },
        args.transforms?.logGroup,
      ),
    }));

    // OpenSearch writes to CloudWatch Logs under this account-level policy, for this domain only.
    const logPolicy = new aws.cloudwatch.LogResourcePolicy(
      childName(name, "log-policy"),
      applyTransform<aws.cloudwatch.LogResourcePolicyArgs>(
        {
          policyName: `opensearch-${domainName}`,
          policyDocument: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "OpenSearchPublishesLogs",
                Effect: "Allow",
                Principal: { Service: "es.amazonaws.com" },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: logGroups.map(({ group }) => pulumi.interpolate`${group.arn}:*`),
                Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": domainArn } },
              },
            ],
          }),
        },
        args.transforms?.logResourcePolicy,
      ),
      { parent: this },
    );

    const operators = pulumi.all([args.opsRoleArn, args.masterRoleArn]).apply(([ops, master]) => [...new Set([ops, master].filter((arn) => arn !== undefined))]);
    const accessPolicy = pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        { Sid: "WebTier", Effect: "Allow", Principal: { AWS: args.webRoleArn }, Action: WEB_TIER_ACTIONS, Resource: pulumi.interpolate`${domainArn}/*` },
        { Sid: "Operators", Effect: "Allow", Principal: { AWS: operators }, Action: "es:ESHttp*", Resource: pulumi.interpolate`${domainArn}/*` },
      ],
    });

    const domain = new aws.opensearch.Domain(
      childName(name, "domain"),
      applyTransform<aws.opensearch.DomainArgs>(
        {
          domainName,
          engineVersion,
          clusterConfig: {
            instanceType,
            instanceCount,
            dedicatedMasterEnabled: masters > 0,
            ...(masters > 0 ? { dedicatedMasterCount: masters, dedicatedMasterType: masterType } : {}),
            zoneAwarenessEnabled: zones > 1,
            ...(zones > 1 ? { zoneAwarenessConfig: { availabilityZoneCount: zones } } : {}),
          },
          ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: volumeGb },
          vpcOptions: { subnetIds, securityGroupIds: [securityGroup.id] },
          encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
          nodeToNodeEncryption: { enabled: true },
          domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: SEARCH_TLS_POLICY },
          advancedSecurityOptions: {
            enabled: true,
            internalUserDatabaseEnabled: false,
            masterUserOptions: { masterUserArn: args.masterRoleArn },
          },
          accessPolicies: accessPolicy,
          logPublishingOptions: logGroups.map(({ type, group }) => ({ logType: type, cloudwatchLogGroupArn: group.arn, enabled: true })),
          ...(autoTune ? { autoTuneOptions: { desiredState: "ENABLED", rollbackOnDisable: "NO_ROLLBACK", useOffPeakWindow: true } } : {}),
          offPeakWindowOptions: { enabled: true },
          softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
          tags: { DataClass: "search" },
        },
        args.transforms?.domain,
      ),
      { parent: this, dependsOn: [logPolicy] },
    );

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
}
