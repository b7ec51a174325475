// The web tier: launch templates and Auto Scaling groups (and any stray aws.ec2.Instance).
import * as aws from "@pulumi/aws";
import { resourcePolicy, stackPolicy, type ShopPolicy } from "../lib/define.js";
import { identifiersOf, refersTo } from "../lib/references.js";
import { resourcesOf, validateTyped } from "../lib/typed.js";
import { blockOf, blocksOf, isTrue, numberOf, stringOf, stringsOf } from "../lib/values.js";

function metadataIssue(options: { httpTokens?: unknown; httpEndpoint?: unknown } | undefined): string | undefined {
  if (options?.httpEndpoint === "disabled") return undefined;
  return options?.httpTokens === "required" ? undefined : `metadataOptions.httpTokens is ${stringOf(options?.httpTokens) ?? "unset (optional)"}, so IMDSv1 stays reachable`;
}

export const imdsV2 = resourcePolicy({
  name: "ec2-imdsv2-required",
  description: "Launch templates and instances require IMDSv2 (session tokens) for the instance metadata service.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "compute",
  compliance: { pciDss: "2.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set metadataOptions { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 } on the launch template (components/web-tier.ts).",
  validateResource: [
    validateTyped(aws.ec2.LaunchTemplate, (template, _args, report) => {
      const issue = metadataIssue(blockOf(template.metadataOptions));
      if (issue !== undefined) report(`The launch template's ${issue}.`);
    }),
    validateTyped(aws.ec2.Instance, (instance, _args, report) => {
      const issue = metadataIssue(blockOf(instance.metadataOptions));
      if (issue !== undefined) report(`The instance's ${issue}.`);
    }),
  ],
});

export const encryptedVolumes = resourcePolicy({
  name: "launch-template-encrypted-volumes",
  description: "A launch template declares its EBS volumes, and every one is encrypted.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "compute",
  compliance: { pciDss: "3.5.1", gdpr: "Art. 32(1)(a)" },
  remediationSteps:
    "Add blockDeviceMappings for the root device (/dev/xvda on Amazon Linux 2023) with ebs { encrypted: \"true\", kmsKeyId: <the " +
    "platform's EBS key>, volumeType: \"gp3\" }; without a mapping the root volume is only encrypted if the account enables EBS encryption by default.",
  validateResource: validateTyped(aws.ec2.LaunchTemplate, (template, _args, report) => {
    const volumes = blocksOf(template.blockDeviceMappings).filter((mapping) => blockOf(mapping.ebs) !== undefined);
    if (volumes.length === 0) report("The launch template declares no EBS volume, so the root volume's encryption is left to the account default.");
    for (const mapping of volumes) {
      if (!isTrue(blockOf(mapping.ebs)?.encrypted)) report(`The volume ${stringOf(mapping.deviceName) ?? "?"} is not encrypted.`);
    }
  }),
});

export const noPublicIp = resourcePolicy({
  name: "launch-template-no-public-ip",
  description: "Web instances get no public IP address: they sit in private subnets behind the ALB.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "compute",
  compliance: { pciDss: "1.4.4", gdpr: "Art. 25(2)" },
  remediationSteps: "Remove associatePublicIpAddress (or set it to \"false\") from the launch template's networkInterfaces and place the Auto Scaling group in private subnets.",
  validateResource: validateTyped(aws.ec2.LaunchTemplate, (template, _args, report) => {
    for (const nic of blocksOf(template.networkInterfaces)) {
      if (isTrue(nic.associatePublicIpAddress)) report(`Network interface ${numberOf(nic.deviceIndex) ?? 0} associates a public IP address.`);
    }
  }),
});

/** Secrets that must never be baked into user data (which anyone with ec2:DescribeInstanceAttribute can read). */
const SECRET_PATTERNS: readonly { label: string; pattern: RegExp }[] = [
  { label: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { label: "an AWS secret access key", pattern: /aws_secret_access_key\s*[=:]/i },
  { label: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { label: "credentials in a URL", pattern: /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@$]+@/i },
  // A literal value after password=, secret: ... (not a variable or command substitution).
  { label: "a literal password or token", pattern: /\b[A-Z_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY)[A-Z_]*\s*[=:]\s*["']?(?![$"'{(<])[^\s"']{6,}/i },
];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Launch templates take user data base64-encoded; judge the decoded text (and plain text as given). */
function userDataText(userData: string, base64: boolean): string {
  const compact = userData.replace(/\s/g, "");
  if (!base64 || compact.length % 4 !== 0 || !BASE64.test(compact)) return userData;
  return `${Buffer.from(compact, "base64").toString("utf8")}\n${userData}`;
}

function secretsIn(text: string): string[] {
  return SECRET_PATTERNS.filter(({ pattern }) => pattern.test(text)).map(({ label }) => label);
}

export const noSecretsInUserData = resourcePolicy({
  name: "ec2-no-secrets-in-user-data",
  description: "User data holds no credentials: instances fetch secrets from Secrets Manager or SSM at boot.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "compute",
  compliance: { pciDss: "8.6.2", gdpr: "Art. 5(1)(f)" },
  remediationSteps:
    "Remove the secret from the user data; give the instance role read access to the Secrets Manager secret (or SSM SecureString) " +
    "and fetch it at boot, e.g. $(aws secretsmanager get-secret-value --secret-id ...). Rotate the exposed credential.",
  validateResource: [
    validateTyped(aws.ec2.LaunchTemplate, (template, _args, report) => {
      const userData = stringOf(template.userData);
      if (userData === undefined) return;
      const found = secretsIn(userDataText(userData, true));
      if (found.length > 0) report(`The launch template's user data contains ${found.join(", ")}.`);
    }),
    validateTyped(aws.ec2.Instance, (instance, _args, report) => {
      const userData = stringOf(instance.userData) ?? stringOf(instance.userDataBase64);
      if (userData === undefined) return;
      const found = secretsIn(userDataText(userData, instance.userDataBase64 !== undefined));
      if (found.length > 0) report(`The instance's user data contains ${found.join(", ")}.`);
    }),
  ],
});

export const elbHealthCheck = stackPolicy({
  name: "asg-elb-health-check",
  description: "An Auto Scaling group behind a load balancer replaces instances the load balancer finds unhealthy (ELB health checks).",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "compute",
  compliance: { pciDss: "2.2.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set healthCheckType: \"ELB\" and a healthCheckGracePeriod on the aws.autoscaling.Group.",
  validateStack: (args, report) => {
    const groups = resourcesOf<aws.autoscaling.Group>(args.resources, aws.autoscaling.Group);
    if (groups.length === 0) args.notApplicable("the stack declares no Auto Scaling group");
    const attachments = [
      ...resourcesOf<aws.autoscaling.Attachment>(args.resources, aws.autoscaling.Attachment),
      ...resourcesOf<aws.autoscaling.TrafficSourceAttachment>(args.resources, aws.autoscaling.TrafficSourceAttachment),
    ];
    for (const group of groups) {
      const ids = identifiersOf(group.resource, "name");
      const balanced = stringsOf(group.props.targetGroupArns).length > 0 || stringsOf(group.props.loadBalancers).length > 0
        || blocksOf(group.props.trafficSources).length > 0
        || attachments.some((attachment) => refersTo(attachment.resource, "autoscalingGroupName", group.resource, ids));
      if (!balanced) continue;
      const healthCheck = stringOf(group.props.healthCheckType) ?? "EC2";
      if (!healthCheck.split(",").map((kind) => kind.trim()).includes("ELB")) {
        report(`Auto Scaling group ${group.resource.name} serves a load balancer but checks health with ${healthCheck} only.`, group.resource.urn);
      }
    }
  },
});

export const multiAz = resourcePolicy({
  name: "asg-multi-az",
  description: "Every Auto Scaling group spans at least two availability zones.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "compute",
  compliance: { pciDss: "12.10.1", gdpr: "Art. 32(1)(b)" },
  remediationSteps: "Set vpcZoneIdentifiers to the private subnets of at least two availability zones (network.azCount is at least 2 in every tier).",
  configSchema: {
    properties: { minimumZones: { type: "integer", minimum: 1, default: 2, description: "Fewest subnets (one per zone) an Auto Scaling group may span." } },
  },
  validateResource: validateTyped(aws.autoscaling.Group, (group, args, report) => {
    const { minimumZones } = args.getConfig<{ minimumZones: number }>();
    const zones = Math.max(new Set(stringsOf(group.vpcZoneIdentifiers)).size, new Set(stringsOf(group.availabilityZones)).size);
    if (zones < minimumZones) report(`The group spans ${zones} subnet(s) or zone(s); at least ${minimumZones} are required.`);
  }),
});

export const computePolicies: readonly ShopPolicy[] = [imdsV2, encryptedVolumes, noPublicIp, noSecretsInUserData, elbHealthCheck, multiAz];
