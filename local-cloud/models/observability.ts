import type { ModelTable } from "../resource-model.js";
import { parseArn } from "./shared.js";

// CloudWatch (logs, alarms, dashboards, EventBridge rules), SNS and X-Ray.

export const observabilityModels: ModelTable = {
  "aws:cloudwatch/logGroup:LogGroup": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 512 },
    defaults: { logGroupClass: "STANDARD", retentionInDays: 0, skipDestroy: false },
    create(r) {
      // The provider strips the ":*" that the API appends to log group ARNs.
      return { id: r.physicalName, outputs: { arn: r.arn("logs", `log-group:${r.physicalName}`) } };
    },
  },
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": {
    autoName: { property: "policyName", maxLength: 255 },
    create(r) {
      return { id: r.physicalName };
    },
  },
  // Vended log delivery (CloudFront standard logging v2 and others): source → delivery → destination.
  "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
    tagged: true,
    autoName: { property: "name", maxLength: 60 },
    create(r) {
      const service = parseArn(r.inputs.string("resourceArn"))?.service ?? "";
      return { id: r.physicalName, outputs: { arn: r.arn("logs", `delivery-source:${r.physicalName}`), service } };
    },
  },
  "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
    tagged: true,
    autoName: { property: "name", maxLength: 60 },
    create(r) {
      const service = parseArn(r.inputs.record("deliveryDestinationConfiguration")?.string("destinationResourceArn"))?.service;
      const type = service === "s3" ? "S3" : service === "firehose" ? "FH" : service === "xray" ? "XRAY" : "CWL";
      return { id: r.physicalName, outputs: { arn: r.arn("logs", `delivery-destination:${r.physicalName}`), deliveryDestinationType: type } };
    },
  },
  "aws:cloudwatch/logDelivery:LogDelivery": {
    tagged: true,
    create(r) {
      const id = r.upper(16, "delivery-id");
      return { id, outputs: { arn: r.arn("logs", `delivery:${id}`) } };
    },
  },
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": {
    autoName: { property: "name", maxLength: 512 },
    create(r) {
      return { id: r.physicalName };
    },
  },
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": {
    autoName: { property: "name", maxLength: 512 },
    create(r) {
      return { id: `cwlsf-${r.digits(10)}` };
    },
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    tagged: true,
    autoName: { property: "name", maxLength: 255 },
    defaults: { actionsEnabled: true, treatMissingData: "missing" },
    create(r) {
      return { id: r.physicalName, outputs: { arn: r.arn("cloudwatch", `alarm:${r.physicalName}`) } };
    },
  },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": {
    tagged: true,
    defaults: { actionsEnabled: true },
    create(r) {
      const name = r.inputs.string("alarmName") ?? r.name;
      return { id: name, outputs: { arn: r.arn("cloudwatch", `alarm:${name}`) } };
    },
  },
  "aws:cloudwatch/dashboard:Dashboard": {
    create(r) {
      const name = r.inputs.string("dashboardName") ?? r.name;
      // Dashboards are global within the account: no region in the ARN.
      return { id: name, outputs: { dashboardArn: r.arn("cloudwatch", `dashboard/${name}`, { region: "" }) } };
    },
  },
  "aws:cloudwatch/eventRule:EventRule": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 64 },
    defaults: { eventBusName: "default", state: "ENABLED" },
    create(r) {
      return { id: r.physicalName, outputs: { arn: r.arn("events", `rule/${r.physicalName}`) } };
    },
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    create(r) {
      const targetId = r.inputs.string("targetId") ?? `terraform-${r.digits(26)}`;
      return { id: `${r.inputs.string("rule") ?? ""}-${targetId}`, outputs: { targetId } };
    },
  },

  "aws:sns/topic:Topic": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 256 },
    defaults: { contentBasedDeduplication: false, fifoTopic: false },
    create(r) {
      const name = r.inputs.boolean("fifoTopic") === true && !r.physicalName.endsWith(".fifo") ? `${r.physicalName}.fifo` : r.physicalName;
      const arn = r.arn("sns", name);
      return { id: arn, outputs: { arn, name, owner: r.accountId } };
    },
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    defaults: { confirmationTimeoutInMinutes: 1, endpointAutoConfirms: false, rawMessageDelivery: false },
    create(r) {
      const arn = `${r.inputs.string("topic") ?? r.arn("sns", "topic")}:${r.uuid("subscription")}`;
      const protocol = r.inputs.string("protocol") ?? "";
      return {
        id: arn,
        outputs: {
          arn,
          confirmationWasAuthenticated: false,
          ownerId: r.accountId,
          // Email and HTTP(S) endpoints must confirm; AWS-internal endpoints (SQS, Lambda) need not.
          pendingConfirmation: ["email", "email-json", "http", "https"].includes(protocol),
        },
      };
    },
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    create(r) {
      return { id: r.required("arn"), outputs: { owner: r.accountId } };
    },
  },

  "aws:xray/samplingRule:SamplingRule": {
    tagged: true,
    autoName: { property: "ruleName", maxLength: 32 },
    create(r) {
      return { id: r.physicalName, outputs: { arn: r.arn("xray", `sampling-rule/${r.physicalName}`) } };
    },
  },
  "aws:xray/group:Group": {
    tagged: true,
    create(r) {
      const name = r.inputs.string("groupName") ?? r.name;
      const arn = r.arn("xray", `group/${name}/${r.upper(26, "group")}`);
      return { id: arn, outputs: { arn } };
    },
  },
  "aws:xray/encryptionConfig:EncryptionConfig": {
    create(r) {
      // One encryption configuration per account and region: the region is its id.
      return { id: r.region };
    },
  },
};
