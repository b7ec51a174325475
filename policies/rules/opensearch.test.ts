import { describe } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { opensearchPolicies } from "./opensearch.js";

const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/shop/search";

function domain(overrides: Record<string, unknown> = {}) {
  return resource("aws:opensearch/domain:Domain", "search", {
    domainName: "shop-search", engineVersion: "OpenSearch_2.19",
    clusterConfig: { instanceType: "r6g.large.search", instanceCount: 3, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 3 }, dedicatedMasterEnabled: true, dedicatedMasterCount: 3, dedicatedMasterType: "m6g.large.search" },
    encryptAtRest: { enabled: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/search" },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    vpcOptions: { subnetIds: ["subnet-a", "subnet-b", "subnet-c"], securityGroupIds: ["sg-search"] },
    advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: false, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: "arn:aws:iam::123456789012:role/ops" } },
    logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: LOG_GROUP, enabled: true }, { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: LOG_GROUP }],
    ...overrides,
  });
}

const DEV_CLUSTER = { instanceType: "t3.small.search", instanceCount: 1, zoneAwarenessEnabled: false, dedicatedMasterEnabled: false };

describe("OpenSearch policies", () => {
  describePolicies(opensearchPolicies, {
    "opensearch-encryption-at-rest": {
      passing: [{ label: "a customer key", resources: () => [domain()] }],
      violating: [
        { label: "not encrypted", resources: () => [domain({ encryptAtRest: { enabled: false } })], message: /does not encrypt data at rest/ },
        { label: "the AWS-managed key", resources: () => [domain({ encryptAtRest: { enabled: true } })], message: /AWS-managed aws\/es key/ },
      ],
    },
    "opensearch-node-to-node-encryption": {
      passing: [{ label: "on", resources: () => [domain()] }],
      violating: [{ label: "off", resources: () => [domain({ nodeToNodeEncryption: { enabled: false } })], message: /node-to-node/ }],
    },
    "opensearch-https-tls": {
      passing: [{ label: "HTTPS with the TLS 1.2 PFS policy", resources: () => [domain()] }],
      violating: [
        { label: "HTTP allowed", resources: () => [domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } })], message: /does not enforce HTTPS/ },
        { label: "the TLS 1.0 policy", resources: () => [domain({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } })], message: /TLS policy is Policy-Min-TLS-1-0-2019-07/ },
      ],
    },
    "opensearch-in-vpc": {
      passing: [{ label: "in private subnets", resources: () => [domain()] }],
      violating: [{ label: "a public endpoint", resources: () => [domain({ vpcOptions: undefined })], message: /public endpoint/ }],
    },
    "opensearch-fine-grained-access": {
      passing: [{ label: "enabled, no anonymous access", resources: () => [domain()] }],
      violating: [
        { label: "disabled", resources: () => [domain({ advancedSecurityOptions: { enabled: false } })], message: /does not use fine-grained access control/ },
        { label: "anonymous access", resources: () => [domain({ advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } })], message: /allows anonymous access/ },
      ],
    },
    "opensearch-logs": {
      passing: [
        { label: "audit and application logs", resources: () => [domain()] },
        { label: "a configured subset", resources: () => [domain({ logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: LOG_GROUP }] })], config: { requiredLogTypes: ["ES_APPLICATION_LOGS"] } },
      ],
      violating: [
        { label: "no logs", resources: () => [domain({ logPublishingOptions: [] })], message: /does not publish AUDIT_LOGS, ES_APPLICATION_LOGS/ },
        { label: "audit logs disabled", resources: () => [domain({ logPublishingOptions: [{ logType: "AUDIT_LOGS", cloudwatchLogGroupArn: LOG_GROUP, enabled: false }, { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: LOG_GROUP }] })], message: /does not publish AUDIT_LOGS to/ },
      ],
    },
    "opensearch-zone-awareness": {
      passing: [{ label: "three nodes across zones", resources: () => [domain()] }],
      violating: [{ label: "one node (the dev tier)", resources: () => [domain({ clusterConfig: DEV_CLUSTER })], message: /runs 1 data node\(s\) without zone awareness/ }],
    },
    "opensearch-dedicated-masters": {
      passing: [
        { label: "three masters", resources: () => [domain()] },
        { label: "not applicable to the DR region's small copy", resources: () => [domain({ clusterConfig: DEV_CLUSTER, region: "eu-central-1" })], config: { drRegion: "eu-central-1" } },
      ],
      violating: [
        { label: "none (dev and staging)", resources: () => [domain({ clusterConfig: DEV_CLUSTER })], message: /0 dedicated master node\(s\); at least 3/ },
        { label: "enabled with one", resources: () => [domain({ clusterConfig: { instanceCount: 2, dedicatedMasterEnabled: true, dedicatedMasterCount: 1 } })], message: /1 dedicated master/ },
        { label: "the primary region's domain of a DR stack", resources: () => [domain({ clusterConfig: DEV_CLUSTER })], config: { drRegion: "eu-central-1" }, message: /0 dedicated master/ },
      ],
    },
  });
});
