import { describe } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { computePolicies } from "./compute.js";

const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const BOOT = "#!/bin/bash\nset -euo pipefail\nDB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id shop/db --query SecretString --output text)\nexport DB_PASSWORD\nsystemctl start storefront\n";

function launchTemplate(overrides: Record<string, unknown> = {}) {
  return resource("aws:ec2/launchTemplate:LaunchTemplate", "web-lt", {
    imageId: "ami-0123", instanceType: "t4g.small",
    metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/ebs", volumeType: "gp3", volumeSize: 20 } }],
    networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-web"] }],
    userData: base64(BOOT),
    ...overrides,
  });
}

function group(props: Record<string, unknown> = {}) {
  return resource("aws:autoscaling/group:Group", "web-asg", {
    name: "shop-web", minSize: 2, maxSize: 4, vpcZoneIdentifiers: ["subnet-a", "subnet-b"], healthCheckType: "ELB", targetGroupArns: ["arn:tg"], ...props,
  });
}

describe("compute policies", () => {
  describePolicies(computePolicies, {
    "ec2-imdsv2-required": {
      passing: [
        { label: "httpTokens required", resources: () => [launchTemplate()] },
        { label: "an instance with the metadata service disabled", resources: () => [resource("aws:ec2/instance:Instance", "bastion", { metadataOptions: { httpEndpoint: "disabled" } })] },
      ],
      violating: [
        { label: "httpTokens optional", resources: () => [launchTemplate({ metadataOptions: { httpTokens: "optional" } })], message: /httpTokens is optional, so IMDSv1 stays reachable/ },
        { label: "no metadata options", resources: () => [launchTemplate({ metadataOptions: undefined })], message: /unset \(optional\)/ },
        { label: "an instance without IMDSv2", resources: () => [resource("aws:ec2/instance:Instance", "bastion", { instanceType: "t4g.nano" })], message: /The instance's metadataOptions/ },
      ],
    },
    "launch-template-encrypted-volumes": {
      passing: [{ label: "an encrypted root volume", resources: () => [launchTemplate()] }],
      violating: [
        { label: "an unencrypted volume", resources: () => [launchTemplate({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false", volumeSize: 20 } }] })], message: /volume \/dev\/xvda is not encrypted/ },
        { label: "no volumes declared", resources: () => [launchTemplate({ blockDeviceMappings: undefined })], message: /declares no EBS volume/ },
      ],
    },
    "launch-template-no-public-ip": {
      passing: [
        { label: "no public IP", resources: () => [launchTemplate()] },
        { label: "no network interfaces at all", resources: () => [launchTemplate({ networkInterfaces: undefined })] },
      ],
      violating: [{ label: "a public IP", resources: () => [launchTemplate({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] })], message: /Network interface 0 associates a public IP/ }],
    },
    "ec2-no-secrets-in-user-data": {
      passing: [
        { label: "a secret fetched at boot", resources: () => [launchTemplate()] },
        { label: "no user data", resources: () => [launchTemplate({ userData: undefined })] },
      ],
      violating: [
        { label: "an access key in base64 user data", resources: () => [launchTemplate({ userData: base64("#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n") })], message: /an AWS access key id/ },
        { label: "a literal database password", resources: () => [launchTemplate({ userData: base64("#!/bin/bash\nDB_PASSWORD=hunter2hunter2\n") })], message: /a literal password or token/ },
        { label: "a connection string with credentials", resources: () => [launchTemplate({ userData: base64("DATABASE_URL=postgres://shop:s3cret-pw@db.internal:5432/shop\n") })], message: /credentials in a URL/ },
        { label: "a private key in an instance's plain user data", resources: () => [resource("aws:ec2/instance:Instance", "bastion", { userData: "-----BEGIN RSA PRIVATE KEY-----\nMIIE..." })], message: /a private key/ },
      ],
    },
    "asg-elb-health-check": {
      passing: [
        { label: "ELB health checks behind a target group", resources: () => [group()] },
        { label: "a group behind no load balancer keeps EC2 checks", resources: () => [group({ targetGroupArns: [], healthCheckType: "EC2" })] },
      ],
      violating: [
        { label: "EC2 checks behind a target group", resources: () => [group({ healthCheckType: "EC2" })], message: /web-asg serves a load balancer but checks health with EC2 only/ },
        {
          label: "attached through aws.autoscaling.Attachment without ELB checks",
          resources: () => [group({ targetGroupArns: [], healthCheckType: undefined }), resource("aws:autoscaling/attachment:Attachment", "web-attach", { autoscalingGroupName: "shop-web", lbTargetGroupArn: "arn:tg" })],
          message: /checks health with EC2 only/,
        },
      ],
    },
    "asg-multi-az": {
      passing: [{ label: "two subnets", resources: () => [group()] }],
      violating: [
        { label: "one subnet", resources: () => [group({ vpcZoneIdentifiers: ["subnet-a"] })], message: /spans 1 subnet\(s\) or zone\(s\); at least 2/ },
        { label: "two subnets when three are required", resources: () => [group()], config: { minimumZones: 3 }, message: /at least 3/ },
      ],
    },
  });
});
