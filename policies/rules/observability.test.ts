import { describe } from "vitest";
import { describePolicies, provider, resource } from "../testing.js";
import { observabilityPolicies } from "./observability.js";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:shop-alarms";
const logGroup = (props: Record<string, unknown>) => resource("aws:cloudwatch/logGroup:LogGroup", "app-logs", { name: "/shop/app", ...props });
const alarm = (props: Record<string, unknown>) => resource("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu-high", { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 3, threshold: 80, ...props });
const edge = provider("edge", "us-east-1");

describe("observability policies", () => {
  describePolicies(observabilityPolicies, {
    "log-group-retention": {
      passing: [
        { label: "a year", resources: () => [logGroup({ retentionInDays: 365, kmsKeyId: "k" })] },
        { label: "30 days when the config allows it (dev)", resources: () => [logGroup({ retentionInDays: 30 })], config: { minimumDays: 30 } },
      ],
      violating: [
        { label: "forever", resources: () => [logGroup({})], message: /keeps events forever/ },
        { label: "too short for prod", resources: () => [logGroup({ retentionInDays: 90 })], message: /90 day\(s\); at least 365/ },
      ],
    },
    "log-group-kms": {
      passing: [{ label: "a KMS key", resources: () => [logGroup({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/logs" })] }],
      violating: [{ label: "no key", resources: () => [logGroup({ retentionInDays: 365 })], message: /not encrypted with a KMS key/ }],
    },
    "alarm-actions": {
      passing: [
        { label: "an alarm notifying the topic", resources: () => [alarm({ alarmActions: [TOPIC] })] },
        { label: "a composite alarm notifying the topic", resources: () => [resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", "site-down", { alarmName: "site-down", alarmRule: "ALARM(a)", alarmActions: [TOPIC] })] },
      ],
      violating: [
        { label: "no actions", resources: () => [alarm({})], message: /has no alarm action/ },
        { label: "actions disabled", resources: () => [alarm({ alarmActions: [TOPIC], actionsEnabled: false })], message: /actions are disabled/ },
        { label: "a composite alarm without actions", resources: () => [resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", "site-down", { alarmName: "site-down", alarmRule: "ALARM(a)" })], message: /composite alarm has no alarm action/ },
      ],
    },
    "sns-topic-encryption": {
      passing: [{ label: "a customer key", resources: () => [resource("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/alarms" })] }],
      violating: [
        { label: "unencrypted", resources: () => [resource("aws:sns/topic:Topic", "alarms", {})], message: /not encrypted/ },
        { label: "the AWS-managed key", resources: () => [resource("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: "alias/aws/sns" })], message: /AWS-managed key alias\/aws\/sns/ },
      ],
    },
    "xray-encryption-kms": {
      passing: [
        { label: "a KMS config where the groups are", resources: () => [resource("aws:xray/group:Group", "shop", { groupName: "shop", filterExpression: "service(\"storefront\")" }), resource("aws:xray/encryptionConfig:EncryptionConfig", "xray", { type: "KMS", keyId: "arn:aws:kms:eu-west-1:123456789012:key/telemetry" })] },
        { label: "not applicable without X-Ray", resources: () => [] },
      ],
      violating: [
        { label: "groups without an encryption config", resources: () => [resource("aws:xray/samplingRule:SamplingRule", "shop", { ruleName: "shop" })], message: /uses X-Ray in eu-west-1 without a KMS encryption config/ },
        { label: "the default encryption type", resources: () => [resource("aws:xray/encryptionConfig:EncryptionConfig", "xray", { type: "NONE" })], message: /does not use a KMS key \(type NONE\)/ },
        {
          label: "a KMS config in another region only",
          resources: () => [resource("aws:xray/group:Group", "shop", { groupName: "shop" }), resource("aws:xray/encryptionConfig:EncryptionConfig", "xray", { type: "KMS", keyId: "k" }, { provider: edge })],
          message: /in eu-west-1 without/,
        },
      ],
    },
  });
});
