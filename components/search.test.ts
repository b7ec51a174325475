import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";
import {
  ACCOUNT,
  childOf,
  childrenOf,
  DEFAULT_TAGS,
  DR_NETWORK,
  DR_REGION,
  keysIn,
  parsePolicy,
  PRIMARY_NETWORK,
  PRIMARY_REGION,
  providerUrn,
  regionalProviders,
} from "./database/test-fixtures.js";
import { InvalidArgsError, type SearchDomainArgs, searchZones, standbySearchSizing } from "./search.js";

const DOMAIN = "aws:opensearch/domain:Domain";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEYS = keysIn(PRIMARY_REGION);
const WEB_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-web`;
const OPS_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-ops`;
const MASTER_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-search-master`;

function searchArgs(overrides: Partial<SearchDomainArgs> = {}): SearchDomainArgs {
  return {
    vpcId: PRIMARY_NETWORK.vpcId,
    subnetIds: PRIMARY_NETWORK.privateSubnetIds,
    webSecurityGroupId: PRIMARY_NETWORK.webSecurityGroupId,
    kmsKeyArn: KEYS.search,
    logsKmsKeyArn: KEYS.logs,
    webRoleArn: WEB_ROLE,
    opsRoleArn: OPS_ROLE,
    masterRoleArn: MASTER_ROLE,
    ...overrides,
  };
}

/** Declares one SearchDomain named `catalog-search` with the primary provider. */
async function declare(overrides: Partial<SearchDomainArgs> = {}, stack = "prod", preview = false) {
  return runUnderMocks(
    async () => {
      const { SearchDomain } = await import("./search.js");
      const { primary } = regionalProviders();
      const search = new SearchDomain("catalog-search", searchArgs(overrides), { provider: primary });
      return {
        domainName: search.domainName,
        arn: search.arn,
        endpoint: search.endpoint,
        securityGroupId: search.securityGroupId,
        logGroupNames: search.logGroupNames,
      };
    },
    { stack, preview },
  );
}

/** The dev sizing the lead maps from config: one small node, no masters. */
const DEV: Partial<SearchDomainArgs> = { instanceType: "t3.small.search", instanceCount: 1, dedicatedMasters: 0, volumeGb: 10, azCount: 2, auditLogs: false };

interface ClusterConfig {
  instanceType: string;
  instanceCount: number;
  dedicatedMasterEnabled: boolean;
  dedicatedMasterCount?: number;
  dedicatedMasterType?: string;
  zoneAwarenessEnabled: boolean;
  zoneAwarenessConfig?: { availabilityZoneCount: number };
}

describe("SearchDomain defaults (the production choice)", () => {
  it("runs OpenSearch 2.19 in the VPC: private subnets one per AZ, zone awareness over 3 AZs, 3 dedicated masters, gp3", async () => {
    const run = await declare();
    const domain = childOf(run.resources, "catalog-search", DOMAIN);
    expect(domain.region).toBe(PRIMARY_REGION);
    expect(domain.inputs.domainName).toBe("catalog-search");
    expect(domain.inputs.engineVersion).toBe("OpenSearch_2.19");
    expect(domain.inputs.clusterConfig).toEqual({
      instanceType: "r6g.large.search",
      instanceCount: 3,
      dedicatedMasterEnabled: true,
      dedicatedMasterCount: 3,
      dedicatedMasterType: "m6g.large.search",
      zoneAwarenessEnabled: true,
      zoneAwarenessConfig: { availabilityZoneCount: 3 },
    } satisfies ClusterConfig);
    expect(domain.inputs.ebsOptions).toEqual({ ebsEnabled: true, volumeType: "gp3", volumeSize: 100 });
    const group = childOf(run.resources, "catalog-search", "aws:ec2/securityGroup:SecurityGroup");
    expect(domain.inputs.vpcOptions).toEqual({ subnetIds: PRIMARY_NETWORK.privateSubnetIds, securityGroupIds: [group.id] });
    expect(domain.inputs.tags).toEqual({ DataClass: "search" });
    expect(domain.outputs.tagsAll).toEqual({ ...DEFAULT_TAGS, DataClass: "search" });
  });

  it("encrypts at rest with the search key, node to node, and in transit with HTTPS and TLS 1.2 PFS", async () => {
    const run = await declare();
    const inputs = childOf(run.resources, "catalog-search", DOMAIN).inputs;
    expect(inputs.encryptAtRest).toEqual({ enabled: true, kmsKeyId: KEYS.search });
    expect(inputs.nodeToNodeEncryption).toEqual({ enabled: true });
    expect(inputs.domainEndpointOptions).toEqual({ enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" });
  });

  it("uses fine-grained access control with an IAM master role and no internal user or password", async () => {
    const run = await declare();
    const security = childOf(run.resources, "catalog-search", DOMAIN).inputs.advancedSecurityOptions;
    expect(security).toEqual({ enabled: true, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: MASTER_ROLE } });
  });

  it("limits the access policy to the web tier role and the operators (ops and master roles) on this domain", async () => {
    const run = await declare();
    const policy = parsePolicy(childOf(run.resources, "catalog-search", DOMAIN).inputs.accessPolicies);
    const resource = `arn:aws:es:${PRIMARY_REGION}:${ACCOUNT}:domain/catalog-search/*`;
    expect(policy.Statement).toEqual([
      { Sid: "WebTier", Effect: "Allow", Principal: { AWS: WEB_ROLE }, Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"], Resource: resource },
      { Sid: "Operators", Effect: "Allow", Principal: { AWS: [OPS_ROLE, MASTER_ROLE] }, Action: "es:ESHttp*", Resource: resource },
    ]);
    // The ARN the policy names is the one AWS gives the domain.
    expect(run.outputs.arn).toBe(resource.replace(/\/\*$/, ""));
  });

  it("names the master role once when it is also the ops role, and works without an ops role", async () => {
    const same = await declare({ masterRoleArn: OPS_ROLE });
    expect(parsePolicy(childOf(same.resources, "catalog-search", DOMAIN).inputs.accessPolicies).Statement[1]?.Principal).toEqual({ AWS: [OPS_ROLE] });
    const noOps = await declare({ opsRoleArn: undefined });
    expect(parsePolicy(childOf(noOps.resources, "catalog-search", DOMAIN).inputs.accessPolicies).Statement[1]?.Principal).toEqual({ AWS: [MASTER_ROLE] });
  });

  it("publishes slow, application and audit logs to log groups that each have a retention and the logs key", async () => {
    const run = await declare();
    const groups = childrenOf(run.resources, "catalog-search", LOG_GROUP);
    expect(groups.map((group) => group.inputs.name).sort()).toEqual([
      "/aws/opensearch/domains/catalog-search/application",
      "/aws/opensearch/domains/catalog-search/audit",
      "/aws/opensearch/domains/catalog-search/index-slow",
      "/aws/opensearch/domains/catalog-search/search-slow",
    ]);
    for (const group of groups) expect(group.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: KEYS.logs, tags: { DataClass: "logs" } });

    const publishing = childOf(run.resources, "catalog-search", DOMAIN).inputs.logPublishingOptions as { logType: string; cloudwatchLogGroupArn: string; enabled: boolean }[];
    const arnOf = (suffix: string) => groups.find((group) => String(group.inputs.name).endsWith(`/${suffix}`))?.outputs.arn;
    expect(publishing).toEqual([
      { logType: "INDEX_SLOW_LOGS", cloudwatchLogGroupArn: arnOf("index-slow"), enabled: true },
      { logType: "SEARCH_SLOW_LOGS", cloudwatchLogGroupArn: arnOf("search-slow"), enabled: true },
      { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: arnOf("application"), enabled: true },
      { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: arnOf("audit"), enabled: true },
    ]);
    expect(run.outputs.logGroupNames).toEqual({
      INDEX_SLOW_LOGS: "/aws/opensearch/domains/catalog-search/index-slow",
      SEARCH_SLOW_LOGS: "/aws/opensearch/domains/catalog-search/search-slow",
      ES_APPLICATION_LOGS: "/aws/opensearch/domains/catalog-search/application",
      AUDIT_LOGS: "/aws/opensearch/domains/catalog-search/audit",
    });
  });

  it("lets es.amazonaws.com write to exactly those log groups, for this account and domain only", async () => {
    const run = await declare();
    const resourcePolicy = childOf(run.resources, "catalog-search", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
    expect(resourcePolicy.inputs.policyName).toBe("opensearch-catalog-search");
    const [statement, ...others] = parsePolicy(resourcePolicy.inputs.policyDocument).Statement;
    expect(others).toEqual([]);
    const groupArns = childrenOf(run.resources, "catalog-search", LOG_GROUP).map((group) => `${String(group.outputs.arn)}:*`);
    expect(statement).toEqual({
      Sid: "OpenSearchPublishesLogs",
      Effect: "Allow",
      Principal: { Service: "es.amazonaws.com" },
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: groupArns,
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:es:${PRIMARY_REGION}:${ACCOUNT}:domain/catalog-search` },
      },
    });
  });

  it("turns on Auto-Tune in the off-peak window and automatic software updates", async () => {
    const run = await declare();
    expect(childOf(run.resources, "catalog-search", DOMAIN).inputs).toMatchObject({
      autoTuneOptions: { desiredState: "ENABLED", rollbackOnDisable: "NO_ROLLBACK", useOffPeakWindow: true },
      offPeakWindowOptions: { enabled: true },
      softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
    });
  });

  it("admits 443 from the web tier and operators only", async () => {
    const run = await declare({ opsSecurityGroupIds: ["sg-0ops0000000000001"], opsCidrBlocks: ["10.99.0.0/16"] });
    const group = childOf(run.resources, "catalog-search", "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs).not.toHaveProperty("ingress");
    expect(group.inputs).not.toHaveProperty("egress");
    const rules = childrenOf(run.resources, "catalog-search", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((rule) => rule.inputs);
    for (const rule of rules) expect(rule).toMatchObject({ securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    expect(rules.map((rule) => rule.referencedSecurityGroupId ?? rule.cidrIpv4)).toEqual([PRIMARY_NETWORK.webSecurityGroupId, "sg-0ops0000000000001", "10.99.0.0/16"]);
    expect(run.outputs.securityGroupId).toBe(group.id);
  });

  it("previews offline: the domain's policies are known before it exists", async () => {
    const run = await declare({}, "prod", true);
    const domain = childOf(run.resources, "catalog-search", DOMAIN);
    expect(domain.inputs.domainName).toBe("catalog-search");
    // The access policy names the domain's ARN, built from known parts, so it is in the plan.
    expect(parsePolicy(domain.inputs.accessPolicies).Statement[0]?.Resource).toBe(`arn:aws:es:${PRIMARY_REGION}:${ACCOUNT}:domain/catalog-search/*`);
    expect(run.outputs.endpoint).toBeUndefined();
  });

  it("exposes the domain's name, ARN, VPC endpoint and security group", async () => {
    const run = await declare();
    expect(run.outputs.domainName).toBe("catalog-search");
    expect(run.outputs.endpoint).toMatch(new RegExp(`^vpc-catalog-search-[a-z0-9]{26}\\.${PRIMARY_REGION}\\.es\\.amazonaws\\.com$`));
    const component = findResource(run.resources, "shop:data:SearchDomain", "catalog-search");
    expect(component.outputs).toMatchObject({ domainName: "catalog-search", endpoint: run.outputs.endpoint, arn: run.outputs.arn });
  });
});

describe("SearchDomain as dev and staging turn it down", () => {
  it("dev: one small node in one subnet, no zone awareness, no masters, no audit logs, no Auto-Tune on T3", async () => {
    const run = await declare(DEV, "dev");
    const domain = childOf(run.resources, "catalog-search", DOMAIN);
    expect(domain.inputs.clusterConfig).toEqual({
      instanceType: "t3.small.search",
      instanceCount: 1,
      dedicatedMasterEnabled: false,
      zoneAwarenessEnabled: false,
    } satisfies ClusterConfig);
    expect((domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds).toEqual([PRIMARY_NETWORK.privateSubnetIds[0]]);
    expect(domain.inputs.ebsOptions).toEqual({ ebsEnabled: true, volumeType: "gp3", volumeSize: 10 });
    expect(domain.inputs).not.toHaveProperty("autoTuneOptions");
    expect(childrenOf(run.resources, "catalog-search", LOG_GROUP).map((group) => group.inputs.name)).not.toContain("/aws/opensearch/domains/catalog-search/audit");
    expect((domain.inputs.logPublishingOptions as unknown[]).length).toBe(3);
    // What dev never turns down.
    expect(domain.inputs).toMatchObject({ encryptAtRest: { enabled: true }, nodeToNodeEncryption: { enabled: true }, advancedSecurityOptions: { enabled: true } });
  });

  it("staging: two nodes across two AZs of a two-AZ network, no masters", async () => {
    const run = await declare({ instanceType: "m6g.large.search", instanceCount: 2, dedicatedMasters: 0, volumeGb: 20, azCount: 2 });
    const domain = childOf(run.resources, "catalog-search", DOMAIN);
    expect(domain.inputs.clusterConfig).toMatchObject({ instanceCount: 2, dedicatedMasterEnabled: false, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 2 } });
    expect((domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds).toEqual(PRIMARY_NETWORK.privateSubnetIds.slice(0, 2));
  });
});

describe("SearchDomain in the DR region", () => {
  it("a smaller domain with the DR provider, the DR keys and the DR network", async () => {
    const drKeys = keysIn(DR_REGION);
    const run = await runUnderMocks(
      async () => {
        const { SearchDomain, standbySearchSizing: standby } = await import("./search.js");
        const { dr } = regionalProviders();
        const search = new SearchDomain(
          "catalog-search-dr",
          {
            ...standby({ instanceType: "r6g.large.search", instanceCount: 3, dedicatedMasters: 3, volumeGb: 100, azCount: 3 }),
            vpcId: DR_NETWORK.vpcId,
            subnetIds: DR_NETWORK.privateSubnetIds,
            webSecurityGroupId: DR_NETWORK.webSecurityGroupId,
            kmsKeyArn: drKeys.search,
            logsKmsKeyArn: drKeys.logs,
            webRoleArn: WEB_ROLE,
            opsRoleArn: OPS_ROLE,
            masterRoleArn: MASTER_ROLE,
          },
          { provider: dr },
        );
        return { arn: search.arn };
      },
      { stack: "prod" },
    );
    const domain = childOf(run.resources, "catalog-search-dr", DOMAIN);
    expect(domain.region).toBe(DR_REGION);
    expect(providerUrn(domain)).toBe(findResource(run.resources, "pulumi:providers:aws", "dr").urn);
    expect(domain.inputs.clusterConfig).toMatchObject({ instanceCount: 2, dedicatedMasterEnabled: false, zoneAwarenessConfig: { availabilityZoneCount: 2 } });
    expect(domain.inputs.encryptAtRest).toEqual({ enabled: true, kmsKeyId: drKeys.search });
    for (const group of childrenOf(run.resources, "catalog-search-dr", LOG_GROUP)) {
      expect(group.region).toBe(DR_REGION);
      expect(group.inputs).toMatchObject({ kmsKeyId: drKeys.logs, retentionInDays: 365 });
    }
    const logPolicy = childOf(run.resources, "catalog-search-dr", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
    expect(logPolicy.region).toBe(DR_REGION);
    expect(parsePolicy(logPolicy.inputs.policyDocument).Statement[0]?.Condition?.ArnLike).toEqual({
      "aws:SourceArn": `arn:aws:es:${DR_REGION}:${ACCOUNT}:domain/catalog-search-dr`,
    });
    expect(run.outputs.arn).toBe(`arn:aws:es:${DR_REGION}:${ACCOUNT}:domain/catalog-search-dr`);
  });
});

describe("search sizing helpers", () => {
  it("searchZones: one zone for one node, else the AZs up to three", () => {
    expect(searchZones(1, 3)).toBe(1);
    expect(searchZones(2, 2)).toBe(2);
    expect(searchZones(6, 3)).toBe(3);
    expect(searchZones(6, 6)).toBe(3);
  });

  it("standbySearchSizing keeps the node type and volume, drops the masters and halves to two zones", () => {
    expect(standbySearchSizing({ instanceType: "r6g.xlarge.search", instanceCount: 6, dedicatedMasters: 5, volumeGb: 500, azCount: 3 })).toEqual({
      instanceType: "r6g.xlarge.search",
      instanceCount: 2,
      dedicatedMasters: 0,
      masterInstanceType: "m6g.large.search",
      volumeGb: 500,
      azCount: 2,
    });
    expect(standbySearchSizing({ instanceType: "t3.small.search", instanceCount: 1, volumeGb: 10 })).toMatchObject({ instanceCount: 1, azCount: 1, dedicatedMasters: 0 });
  });
});

describe("SearchDomain transforms", () => {
  it("merge objects into the domain, security group, its rules, log groups and log policy", async () => {
    const run = await declare({
      transforms: {
        domain: { advancedOptions: { "indices.fielddata.cache.size": "20" }, clusterConfig: { warmEnabled: false } },
        securityGroup: { tags: { Team: "search" } },
        securityGroupRule: { tags: { Team: "search" } },
        logGroup: { retentionInDays: 90 },
        logResourcePolicy: { policyName: "custom-search-logs" },
      },
    });
    const domain = childOf(run.resources, "catalog-search", DOMAIN).inputs;
    expect(domain.advancedOptions).toEqual({ "indices.fielddata.cache.size": "20" });
    // Plain objects merge key by key: the sizing stays.
    expect(domain.clusterConfig).toMatchObject({ warmEnabled: false, instanceType: "r6g.large.search", instanceCount: 3 });
    expect(childOf(run.resources, "catalog-search", "aws:ec2/securityGroup:SecurityGroup").inputs.tags).toEqual({ Name: "catalog-search-sg", Team: "search" });
    const rules = childrenOf(run.resources, "catalog-search", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) expect(rule.inputs).toMatchObject({ tags: { Team: "search" }, fromPort: 443 });
    for (const group of childrenOf(run.resources, "catalog-search", LOG_GROUP)) expect(group.inputs.retentionInDays).toBe(90);
    expect(childOf(run.resources, "catalog-search", "aws:cloudwatch/logResourcePolicy:LogResourcePolicy").inputs.policyName).toBe("custom-search-logs");
  });

  it("let a function edit a child's args, rename it and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await declare({
      transforms: {
        domain: (args, opts, name) => {
          args.advancedOptions = { "rest.action.multi.allow_explicit_index": "false" };
          opts.protect = true;
          opts.ignoreChanges = ["engineVersion"];
          seen.push(opts);
          return `${name}-blue`;
        },
      },
    });
    const domain = childOf(run.resources, "catalog-search", DOMAIN);
    expect(domain.name).toBe("catalog-search-domain-blue");
    expect(domain.inputs.advancedOptions).toEqual({ "rest.action.multi.allow_explicit_index": "false" });
    expect(domain.ignoreChanges).toEqual(["engineVersion"]);
    expect(seen[0]?.protect).toBe(true);
  });
});

describe("SearchDomain refuses bad args with a clear error", () => {
  const cases: [string, Partial<SearchDomainArgs>, string][] = [
    ["Elasticsearch", { engineVersion: "Elasticsearch_7.10" }, 'engineVersion is "Elasticsearch_7.10"; expected an OpenSearch 2.x version'],
    ["OpenSearch 1.x", { engineVersion: "OpenSearch_1.3" }, 'engineVersion is "OpenSearch_1.3"'],
    ["an EC2 instance type", { instanceType: "r6g.large" }, 'instanceType is "r6g.large"; expected an OpenSearch instance type'],
    ["no nodes", { instanceCount: 0 }, "instanceCount is 0; expected an integer from 1 to 80"],
    ["a node count that does not fill the zones", { instanceCount: 4, azCount: 3 }, "instanceCount is 4; expected a multiple of the 3 zones the domain spans"],
    ["three nodes on a two-AZ network", { instanceCount: 3, azCount: 2 }, "instanceCount is 3; expected a multiple of the 2 zones the domain spans"],
    ["two dedicated masters (no quorum)", { dedicatedMasters: 2 as never }, "dedicatedMasters is 2; expected one of 0, 3, 5"],
    ["a master type that is not OpenSearch's", { masterInstanceType: "m6g.large" }, 'masterInstanceType is "m6g.large"'],
    ["a volume below 10 GiB", { volumeGb: 5 }, "volumeGb is 5; expected an integer from 10 to 24576"],
    ["Auto-Tune asked for on T3", { ...DEV, autoTune: true }, "autoTune is true; expected false for t3.small.search: T2/T3 instance types cannot use Auto-Tune"],
    ["a log retention CloudWatch refuses", { logRetentionDays: 10 }, "logRetentionDays is 10; expected one of 1, 3, 5, 7, 14"],
    ["a domain name with capitals", { domainName: "Catalog" }, 'domainName is "Catalog"; expected 3 to 28 characters'],
    ["a domain name that is too long", { domainName: "shop-platform-production-catalog" }, 'domainName is "shop-platform-production-catalog"'],
    ["fewer subnets than zones", { subnetIds: ["subnet-0prv0000000000001", "subnet-0prv0000000000002"] }, 'subnetIds is "2 subnet(s)"; expected at least 3 private subnets, one per zone the domain spans'],
    ["a public operator CIDR", { opsCidrBlocks: ["0.0.0.0/0"] }, 'opsCidrBlocks[0] is "0.0.0.0/0"; expected a private IPv4 CIDR'],
  ];

  it.each(cases)("%s", async (_what, overrides, message) => {
    const failure = declare(overrides);
    await expect(failure).rejects.toBeInstanceOf(InvalidArgsError);
    await expect(failure).rejects.toThrow(`SearchDomain "catalog-search": ${message}`);
  });

  it("a component name that cannot be a domain name asks for domainName", async () => {
    await expect(
      runUnderMocks(
        async () => {
          const { SearchDomain } = await import("./search.js");
          new SearchDomain("9-search", searchArgs());
          return {};
        },
        { stack: "prod" },
      ),
    ).rejects.toThrow('SearchDomain "9-search": domainName (derived from the component name) is "9-search"; expected 3 to 28 characters');
  });
});
