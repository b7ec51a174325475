import { describe } from "vitest";
import { describePolicies, provider, resource, urnOf } from "../testing.js";
import { governancePolicies } from "./governance.js";

const TAGS = { Project: "shop-platform", Environment: "prod", Owner: "platform-team", CostCenter: "CC-1001" };
const primary = provider("primary", "eu-west-1", TAGS);
const dr = provider("dr", "eu-central-1", TAGS);
const edge = provider("edge", "us-east-1", TAGS);
const EDGE_TOPIC = "arn:aws:sns:us-east-1:123456789012:shop-edge-alarms";
const EU = { allowedRegions: ["eu-west-1", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2"] };

const bucket = (name: string, props: Record<string, unknown> = {}, owner = primary) => resource("aws:s3/bucket:Bucket", name, { bucket: name, tags: { DataClass: "assets" }, ...props }, { provider: owner });

describe("governance policies", () => {
  describePolicies(governancePolicies, {
    "data-residency": {
      passing: [
        {
          label: "EU data in EU regions; edge config and the WAF log group in us-east-1",
          resources: () => [
            bucket("shop-assets"),
            resource("aws:rds/instance:Instance", "catalog-replica", { region: "eu-central-1" }, { provider: dr }),
            resource("aws:wafv2/webAcl:WebAcl", "edge-acl", { scope: "CLOUDFRONT", region: "us-east-1" }, { provider: edge }),
            resource("aws:cloudwatch/logGroup:LogGroup", "waf-logs", { name: "aws-waf-logs-shop-prod", region: "us-east-1" }, { provider: edge }),
            resource("aws:iam/role:Role", "web", { name: "web" }, { provider: edge }),
          ],
          config: EU,
        },
        {
          label: "the topic that only CloudFront alarms notify stays in us-east-1",
          resources: () => [
            resource("aws:sns/topic:Topic", "edge-alarms", { arn: EDGE_TOPIC, region: "us-east-1" }, { provider: edge }),
            resource("aws:cloudwatch/metricAlarm:MetricAlarm", "cdn-5xx", { namespace: "AWS/CloudFront", metricName: "5xxErrorRate", alarmActions: [EDGE_TOPIC], okActions: [EDGE_TOPIC] }, { provider: edge }),
          ],
          config: EU,
        },
        { label: "not applicable with residency any", resources: () => [bucket("shop-assets", {}, edge)] },
      ],
      violating: [
        { label: "a bucket in us-east-1 (from its provider)", resources: () => [bucket("shop-assets", {}, edge)], config: EU, message: /aws:s3\/bucket:Bucket "shop-assets" is in us-east-1, outside the allowed regions/, urn: urnOf("aws:s3/bucket:Bucket", "shop-assets") },
        { label: "a resource's own region argument wins over its provider", resources: () => [resource("aws:cloudwatch/logGroup:LogGroup", "app", { name: "/shop/app", region: "us-west-2" }, { provider: primary })], config: EU, message: /is in us-west-2/ },
        {
          label: "a us-east-1 topic that other alarms notify too",
          resources: () => [
            resource("aws:sns/topic:Topic", "edge-alarms", { arn: EDGE_TOPIC, region: "us-east-1" }, { provider: edge }),
            resource("aws:cloudwatch/metricAlarm:MetricAlarm", "cdn-5xx", { namespace: "AWS/CloudFront", alarmActions: [EDGE_TOPIC] }, { provider: edge }),
            resource("aws:cloudwatch/metricAlarm:MetricAlarm", "db-cpu", { metricQueries: [{ id: "m", metric: { namespace: "AWS/RDS", metricName: "CPUUtilization" } }], alarmActions: [EDGE_TOPIC] }, { provider: edge }),
          ],
          config: EU,
          message: /aws:sns\/topic:Topic "edge-alarms" is in us-east-1/,
        },
        { label: "London is outside the EU", resources: () => [resource("aws:opensearch/domain:Domain", "search", { region: "eu-west-2" }, { provider: primary })], config: EU, message: /is in eu-west-2/ },
      ],
    },
    "required-tags": {
      passing: [
        { label: "provider default tags", resources: () => [bucket("shop-assets")], config: { tags: ["Project", "Environment", "Owner", "CostCenter"] } },
        { label: "tagsAll in the state", resources: () => [resource("aws:sns/topic:Topic", "alarms", { tagsAll: TAGS })] },
      ],
      violating: [
        { label: "no default tags and no tags", resources: () => [resource("aws:sns/topic:Topic", "alarms", { tags: {} })], message: /aws:sns\/topic:Topic "alarms" lacks the tag\(s\) Owner, CostCenter/ },
        { label: "an empty owner", resources: () => [resource("aws:sns/topic:Topic", "alarms", { tagsAll: { ...TAGS, Owner: " " } })], message: /lacks the tag\(s\) Owner\.$/ },
      ],
    },
    "data-class-tag": {
      passing: [{ label: "a DataClass tag", resources: () => [bucket("shop-assets")] }],
      violating: [
        { label: "none", resources: () => [bucket("shop-assets", { tags: {} })], message: /has no DataClass tag/ },
        { label: "an unknown class", resources: () => [bucket("shop-assets", { tags: { DataClass: "misc" } })], message: /has DataClass "misc"/ },
      ],
    },
  });
});
