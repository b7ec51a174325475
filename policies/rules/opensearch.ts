// OpenSearch: the product search domain. Every setting lives on aws.opensearch.Domain.
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { validateTyped } from "../lib/typed.js";
import { blockOf, blocksOf, isAwsManagedKey, isFalse, isTrue, numberOf, stringOf, stringsOf } from "../lib/values.js";

export const encryptionAtRest = resourcePolicy({
  name: "opensearch-encryption-at-rest",
  description: "Every OpenSearch domain encrypts data at rest with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "opensearch",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set encryptAtRest { enabled: true, kmsKeyId: <the search data class's KMS key> } on the domain (components/search.ts).",
  validateResource: validateTyped(aws.opensearch.Domain, (domain, _args, report) => {
    const encryption = blockOf(domain.encryptAtRest);
    const key = stringOf(encryption?.kmsKeyId);
    if (!isTrue(encryption?.enabled)) report("The domain does not encrypt data at rest.");
    else if (key === undefined || isAwsManagedKey(key)) report(`The domain encrypts at rest with ${key ?? "the AWS-managed aws/es key"}, not a customer-managed key.`);
  }),
});

export const nodeToNodeEncryption = resourcePolicy({
  name: "opensearch-node-to-node-encryption",
  description: "Every OpenSearch domain encrypts traffic between its nodes.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "opensearch",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set nodeToNodeEncryption { enabled: true } on the domain.",
  validateResource: validateTyped(aws.opensearch.Domain, (domain, _args, report) => {
    if (!isTrue(blockOf(domain.nodeToNodeEncryption)?.enabled)) report("The domain does not encrypt node-to-node traffic.");
  }),
});

export const httpsTls = resourcePolicy({
  name: "opensearch-https-tls",
  description: "Every OpenSearch domain enforces HTTPS with a TLS 1.2 security policy.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "opensearch",
  compliance: { pciDss: "4.2.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set domainEndpointOptions { enforceHttps: true, tlsSecurityPolicy: \"Policy-Min-TLS-1-2-PFS-2023-10\" } on the domain.",
  configSchema: {
    properties: {
      allowedTlsPolicies: { type: "array", items: { type: "string" }, default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"], description: "Accepted domain endpoint TLS policies." },
    },
  },
  validateResource: validateTyped(aws.opensearch.Domain, (domain, args, report) => {
    const { allowedTlsPolicies } = args.getConfig<{ allowedTlsPolicies: string[] }>();
    const endpoint = blockOf(domain.domainEndpointOptions);
    if (!isTrue(endpoint?.enforceHttps)) report("The domain does not enforce HTTPS.");
    const policy = stringOf(endpoint?.tlsSecurityPolicy);
    if (policy === undefined || !allowedTlsPolicies.includes(policy)) report(`The domain's TLS policy is ${policy ?? "the default Policy-Min-TLS-1-0-2019-07"}; allowed: ${allowedTlsPolicies.join(", ")}.`);
  }),
});

export const inVpc = resourcePolicy({
  name: "opensearch-in-vpc",
  description: "Every OpenSearch domain is reachable only inside the VPC.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "opensearch",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps: "Set vpcOptions { subnetIds: <private subnets>, securityGroupIds: [<the search security group>] } on the domain.",
  validateResource: validateTyped(aws.opensearch.Domain, (domain, _args, report) => {
    if (stringsOf(blockOf(domain.vpcOptions)?.subnetIds).length === 0) report("The domain has a public endpoint (no vpcOptions.subnetIds).");
  }),
});

export const fineGrainedAccess = resourcePolicy({
  name: "opensearch-fine-grained-access",
  description: "Every OpenSearch domain uses fine-grained access control without anonymous access.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "opensearch",
  compliance: { pciDss: "7.2.1", gdpr: "Art. 25(2)" },
  remediationSteps: "Set advancedSecurityOptions { enabled: true, anonymousAuthEnabled: false, masterUserOptions: { masterUserArn: <the operators' role> } } on the domain.",
  validateResource: validateTyped(aws.opensearch.Domain, (domain, _args, report) => {
    const security = blockOf(domain.advancedSecurityOptions);
    if (!isTrue(security?.enabled)) report("The domain does not use fine-grained access control.");
    else if (isTrue(security?.anonymousAuthEnabled)) report("The domain allows anonymous access.");
  }),
});

export const logs = resourcePolicy({
  name: "opensearch-logs",
  description: "Every OpenSearch domain publishes the required log types (by default audit and application logs) to CloudWatch Logs.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "opensearch",
  compliance: { pciDss: "10.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Add logPublishingOptions entries { logType, cloudwatchLogGroupArn, enabled: true } for each required log type (audit logs need fine-grained access control).",
  configSchema: {
    properties: {
      requiredLogTypes: { type: "array", items: { type: "string", enum: ["INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "ES_APPLICATION_LOGS", "AUDIT_LOGS"] }, default: ["AUDIT_LOGS", "ES_APPLICATION_LOGS"], description: "Log types every domain publishes." },
    },
  },
  validateResource: validateTyped(aws.opensearch.Domain, (domain, args, report) => {
    const { requiredLogTypes } = args.getConfig<{ requiredLogTypes: string[] }>();
    const published = blocksOf(domain.logPublishingOptions)
      .filter((option) => !isFalse(option.enabled) && stringOf(option.cloudwatchLogGroupArn) !== undefined)
      .map((option) => stringOf(option.logType));
    const missing = requiredLogTypes.filter((type) => !published.includes(type));
    if (missing.length > 0) report(`The domain does not publish ${missing.join(", ")} to CloudWatch Logs.`);
  }),
});

export const zoneAwareness = resourcePolicy({
  name: "opensearch-zone-awareness",
  description: "Every OpenSearch domain spreads at least two data nodes across availability zones.",
  enforcementLevel: "advisory",
  advisoryBecause: "Dev runs a single t3.small.search node (search.instanceCount is 1 for the dev tier); staging and prod raise this to mandatory in their policy config.",
  severity: "medium",
  service: "opensearch",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set search.instanceCount to a multiple of the zones used (2 or 3) so the Search component enables clusterConfig.zoneAwarenessEnabled with a zoneAwarenessConfig.",
  validateResource: validateTyped(aws.opensearch.Domain, (domain, _args, report) => {
    const cluster = blockOf(domain.clusterConfig);
    const nodes = numberOf(cluster?.instanceCount) ?? 1;
    if (!isTrue(cluster?.zoneAwarenessEnabled) || nodes < 2) report(`The domain runs ${nodes} data node(s) without zone awareness.`);
  }),
});

export const dedicatedMasters = resourcePolicy({
  name: "opensearch-dedicated-masters",
  description: "Every OpenSearch domain has at least three dedicated master nodes.",
  enforcementLevel: "advisory",
  advisoryBecause: "Dedicated masters are a production-scale control (search.dedicatedMasters is 0 below prod); prod raises this to mandatory in its policy config.",
  severity: "medium",
  service: "opensearch",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set search.dedicatedMasters to 3 (or 5) in the stack config.",
  configSchema: {
    properties: {
      drRegion: { type: "string", default: "", description: "The stack's DR region: its search domain is a small copy rebuilt by reindexing, exempt from this policy." },
    },
  },
  validateResource: validateTyped(aws.opensearch.Domain, (domain, args, report) => {
    const { drRegion } = args.getConfig<{ drRegion: string }>();
    if (drRegion !== "" && (stringOf(domain.region) ?? stringOf(args.provider?.props.region)) === drRegion) {
      args.notApplicable("the DR region's domain is a small copy rebuilt by reindexing");
    }
    const cluster = blockOf(domain.clusterConfig);
    const masters = isTrue(cluster?.dedicatedMasterEnabled) ? (numberOf(cluster?.dedicatedMasterCount) ?? 0) : 0;
    if (masters < 3) report(`The domain has ${masters} dedicated master node(s); at least 3 are required.`);
  }),
});

export const opensearchPolicies: readonly ShopPolicy[] = [
  encryptionAtRest, nodeToNodeEncryption, httpsTls, inVpc, fineGrainedAccess, logs, zoneAwareness, dedicatedMasters,
];
