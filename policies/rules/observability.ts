// Observability: log groups, alarms, the alarm topic and X-Ray.
import * as aws from "@pulumi/aws";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { regionOf } from "../lib/references.js";
import { resourcesOf, validateTyped } from "../lib/typed.js";
import { isAwsManagedKey, isFalse, numberOf, stringOf, stringsOf } from "../lib/values.js";

export const logGroupRetention = resourcePolicy({
  name: "log-group-retention",
  description: "Every CloudWatch log group has a retention of at least the configured days (365 in prod), and none keeps logs forever.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "observability",
  compliance: { pciDss: "10.5.1", gdpr: "Art. 5(1)(e)" },
  remediationSteps: "Set retentionInDays on the aws.cloudwatch.LogGroup to at least the configured minimum (365 for prod stacks: a year of audit history).",
  configSchema: {
    properties: { minimumDays: { type: "integer", minimum: 1, default: 365, description: "Fewest days a log group keeps events." } },
  },
  validateResource: validateTyped(aws.cloudwatch.LogGroup, (group, args, report) => {
    const { minimumDays } = args.getConfig<{ minimumDays: number }>();
    const days = numberOf(group.retentionInDays) ?? 0;
    if (days === 0) report("The log group keeps events forever (no retentionInDays).");
    else if (days < minimumDays) report(`The log group keeps events for ${days} day(s); at least ${minimumDays} are required.`);
  }),
});

export const logGroupEncryption = resourcePolicy({
  name: "log-group-kms",
  description: "Every CloudWatch log group is encrypted with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "observability",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set kmsKeyId to the logs data class's KMS key; its key policy must allow logs.<region>.amazonaws.com with an aws:SourceArn condition.",
  validateResource: validateTyped(aws.cloudwatch.LogGroup, (group, _args, report) => {
    if (stringOf(group.kmsKeyId) === undefined) report("The log group is not encrypted with a KMS key.");
  }),
});

export const alarmActions = resourcePolicy({
  name: "alarm-actions",
  description: "Every CloudWatch alarm notifies someone when it fires (an enabled alarm action).",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "observability",
  compliance: { pciDss: "10.7.2", gdpr: "Art. 33(1)" },
  remediationSteps: "Set alarmActions to the stack's alarm SNS topic (and okActions), and leave actionsEnabled true.",
  validateResource: [
    validateTyped(aws.cloudwatch.MetricAlarm, (alarm, _args, report) => {
      if (stringsOf(alarm.alarmActions).length === 0) report("The alarm has no alarm action: nobody is told when it fires.");
      else if (isFalse(alarm.actionsEnabled)) report("The alarm's actions are disabled.");
    }),
    validateTyped(aws.cloudwatch.CompositeAlarm, (alarm, _args, report) => {
      if (stringsOf(alarm.alarmActions).length === 0) report("The composite alarm has no alarm action: nobody is told when it fires.");
      else if (isFalse(alarm.actionsEnabled)) report("The composite alarm's actions are disabled.");
    }),
  ],
});

export const topicEncryption = resourcePolicy({
  name: "sns-topic-encryption",
  description: "Every SNS topic is encrypted with a customer-managed KMS key (CloudWatch cannot publish to a topic under the AWS-managed key).",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "observability",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set kmsMasterKeyId to a customer-managed key whose policy lets cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*).",
  validateResource: validateTyped(aws.sns.Topic, (topic, _args, report) => {
    const key = stringOf(topic.kmsMasterKeyId);
    if (key === undefined) report("The topic is not encrypted.");
    else if (isAwsManagedKey(key)) report(`The topic uses the AWS-managed key ${key}, which CloudWatch alarms cannot publish with.`);
  }),
});

export const xrayEncryption = stackPolicy({
  name: "xray-encryption-kms",
  description: "Where a stack uses X-Ray, traces are encrypted with a customer-managed KMS key in that region.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "observability",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Declare an aws.xray.EncryptionConfig { type: \"KMS\", keyId: <the telemetry data class's key ARN> } in each region with X-Ray groups or sampling rules.",
  validateStack: (args, report) => {
    const xray = [
      ...resourcesOf<aws.xray.Group>(args.resources, aws.xray.Group),
      ...resourcesOf<aws.xray.SamplingRule>(args.resources, aws.xray.SamplingRule),
    ];
    const configs = resourcesOf<aws.xray.EncryptionConfig>(args.resources, aws.xray.EncryptionConfig);
    if (xray.length === 0 && configs.length === 0) args.notApplicable("the stack declares no X-Ray resources");
    for (const config of configs) {
      if (config.props.type !== "KMS" || stringOf(config.props.keyId) === undefined) report(`X-Ray encryption config ${config.resource.name} does not use a KMS key (type ${stringOf(config.props.type) ?? "unset"}).`, config.resource.urn);
    }
    const encryptedRegions = new Set(configs.filter((config) => config.props.type === "KMS").map((config) => regionOf(config.resource)));
    const regions = new Set(xray.map((item) => regionOf(item.resource)));
    for (const region of regions) {
      if (!encryptedRegions.has(region)) report(`The stack uses X-Ray in ${region ?? "an unknown region"} without a KMS encryption config there.`);
    }
  },
});

export const observabilityPolicies: readonly ShopPolicy[] = [logGroupRetention, logGroupEncryption, alarmActions, topicEncryption, xrayEncryption];
