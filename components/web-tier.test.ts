import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { type CollectedResource, findResource, findResources, runUnderMocks } from "../local-cloud/index.js";
import type { WebTierArgs } from "./web-tier.js";
import { UNSCOPABLE_ACTIONS } from "./web-tier/instance-policy.js";

const KEYS = {
  volume: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-00000000000a",
  logs: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-00000000000b",
  secrets: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-00000000000c",
  artifact: "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-00000000000d",
};
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/prod/database-AbCdEf";
const ALB_SG = "sg-0aaaaaaaaaaaaaaaa";
const PARAMETERS = {
  databaseEndpoint: "/shop/prod/runtime/database-endpoint",
  databaseSecretArn: "/shop/prod/runtime/database-secret-arn",
  searchEndpoint: "/shop/prod/runtime/search-endpoint",
  searchIndexAlias: "/shop/prod/runtime/search-index-alias",
};
const BASE: WebTierArgs = {
  vpcId: "vpc-0123456789abcdef0",
  vpcCidr: "10.30.0.0/16",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2", "subnet-0aaaaaaaaaaaaaaa3"],
  albSecurityGroupId: ALB_SG,
  targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-web/0123456789abcdef",
  loadBalancerArnSuffix: "app/shop-alb/0123456789abcdef",
  targetGroupArnSuffix: "targetgroup/shop-web/0123456789abcdef",
  volumeKmsKeyArn: KEYS.volume,
  logsKmsKeyArn: KEYS.logs,
  secretsKmsKeyArn: KEYS.secrets,
  artifact: { bucket: "shop-prod-artifacts", key: "storefront/storefront.tar.gz", versionId: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", kmsKeyArn: KEYS.artifact },
  runtimeParameters: PARAMETERS,
  databaseSecretArn: SECRET_ARN,
  minSize: 3,
  maxSize: 12,
};

async function runWebTier(args: Partial<WebTierArgs> = {}, region = "eu-west-1") {
  return runUnderMocks(
    async () => {
      const { WebTier } = await import("./web-tier.js");
      const provider = new aws.Provider("primary", {
        region,
        defaultTags: { tags: { Project: "shop-platform", Environment: "prod", Owner: "platform-team" } },
      });
      const web = new WebTier("web", { ...BASE, ...args }, { provider });
      return {
        asgName: web.autoScalingGroupName,
        asgArn: web.autoScalingGroupArn,
        launchTemplateId: web.launchTemplateId,
        roleName: web.instanceRoleName,
        roleArn: web.instanceRoleArn,
        securityGroupId: web.securityGroupId,
        appLogGroupName: web.appLogGroupName,
      };
    },
    { stack: "prod" },
  );
}

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

function inlinePolicy(resources: readonly CollectedResource[]): Statement[] {
  const policy = findResource(resources, "aws:iam/rolePolicy:RolePolicy");
  return (JSON.parse(String(policy.inputs.policy)) as { Statement: Statement[] }).Statement;
}

function statement(statements: readonly Statement[], sid: string): Statement {
  const found = statements.find((candidate) => candidate.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}; have ${statements.map((s) => s.Sid).join(", ")}`);
  return found;
}

function userDataOf(resources: readonly CollectedResource[]): string {
  return Buffer.from(String(findResource(resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs.userData), "base64").toString("utf8");
}

interface CloudConfig {
  package_update: boolean;
  packages: string[];
  write_files: { path: string; content: string; permissions: string }[];
  runcmd: string[][];
}

function cloudConfigOf(text: string): CloudConfig {
  return JSON.parse(text.split("\n").filter((line) => !line.startsWith("#")).join("\n")) as CloudConfig;
}

function fileOf(config: CloudConfig, path: string): string {
  const file = config.write_files.find((candidate) => candidate.path === path);
  if (file === undefined) throw new Error(`user data writes no ${path}`);
  return file.content;
}

describe("WebTier: launch template", () => {
  it("IMDSv2 only with hop limit 1 and tags, no key pair, no public IP, encrypted gp3 root with the KMS key", async () => {
    const run = await runWebTier();
    const template = findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    const sg = findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup");
    const profile = findResource(run.resources, "aws:iam/instanceProfile:InstanceProfile");
    expect(template.inputs).toMatchObject({
      instanceType: "m7g.large",
      iamInstanceProfile: { arn: profile.outputs.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" },
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: [sg.id] }],
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", encrypted: "true", kmsKeyId: KEYS.volume, volumeSize: 20 } }],
      monitoring: { enabled: true },
      updateDefaultVersion: true,
    });
    expect(template.inputs.keyName).toBeUndefined();
    expect(template.inputs.vpcSecurityGroupIds).toBeUndefined();
    expect(template.inputs.imageId).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(template.region).toBe("eu-west-1");
    expect(run.outputs.launchTemplateId).toBe(template.id);
  });

  it("takes the AMI from the public AL2023 arm64 parameter, another parameter, or a fixed id", async () => {
    const byDefault = await runWebTier();
    const other = await runWebTier({ amiParameterName: "/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-arm64" });
    const fixed = await runWebTier({ amiId: "ami-0fedcba9876543210" });
    const imageOf = (run: typeof byDefault) => findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs.imageId;
    expect(imageOf(byDefault)).not.toBe(imageOf(other));
    expect(imageOf(fixed)).toBe("ami-0fedcba9876543210");
  });

  it("tags instances with the artifact revision and volumes with the provider's default tags", async () => {
    const run = await runWebTier();
    const template = findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.inputs.tagSpecifications).toEqual([
      { resourceType: "instance", tags: { ArtifactRevision: "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY" } },
      { resourceType: "volume", tags: { Project: "shop-platform", Environment: "prod", Owner: "platform-team", Name: "web" } },
    ]);
  });
});

describe("WebTier: security groups", () => {
  it("admits the app port from the ALB's group alone and gives the ALB its one egress rule", async () => {
    const run = await runWebTier({ appPort: 8080 });
    const sg = findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup");
    expect(sg.inputs.ingress).toBeUndefined();
    expect(sg.inputs.egress).toBeUndefined();
    const ingress = findResources(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((rule) => rule.inputs)).toEqual([
      expect.objectContaining({ securityGroupId: sg.id, referencedSecurityGroupId: ALB_SG, ipProtocol: "tcp", fromPort: 8080, toPort: 8080 }),
    ]);
    expect(ingress[0]!.inputs.cidrIpv4).toBeUndefined();
    const egress = findResources(run.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((rule) => rule.inputs);
    const albEgress = egress.filter((rule) => rule.securityGroupId === ALB_SG);
    expect(albEgress).toEqual([expect.objectContaining({ referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: 8080, toPort: 8080 })]);
    expect(albEgress[0]!.cidrIpv4).toBeUndefined();
    const webEgress = egress.filter((rule) => rule.securityGroupId === sg.id);
    expect(webEgress).toEqual([
      expect.objectContaining({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }),
      expect.objectContaining({ cidrIpv4: "10.30.0.0/16", ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }),
    ]);
    expect(run.outputs.securityGroupId).toBe(sg.id);
  });
});

describe("WebTier: instance profile", () => {
  it("trusts EC2 and attaches AWS's SSM core policy and nothing else managed", async () => {
    const run = await runWebTier();
    const role = findResource(run.resources, "aws:iam/role:Role");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    const attachments = findResources(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachments.map((a) => a.inputs.policyArn)).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    expect(attachments[0]!.inputs.role).toBe(role.outputs.name ?? role.id);
    expect(findResource(run.resources, "aws:iam/instanceProfile:InstanceProfile").inputs.role).toBe(role.id);
    expect(run.outputs).toMatchObject({ roleName: role.id, roleArn: role.outputs.arn });
  });

  it("reads exactly the artifact object, the runtime parameters and the database secret", async () => {
    const run = await runWebTier();
    const statements = inlinePolicy(run.resources);
    expect(statement(statements, "ReadAppArtifact")).toMatchObject({
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: "arn:aws:s3:::shop-prod-artifacts/storefront/storefront.tar.gz",
    });
    expect(statement(statements, "ReadRuntimeParameters")).toMatchObject({
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: Object.values(PARAMETERS).map((name) => `arn:aws:ssm:eu-west-1:123456789012:parameter${name}`),
    });
    expect(statement(statements, "ReadDatabaseSecret")).toMatchObject({
      Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
      Resource: SECRET_ARN,
    });
  });

  it("decrypts only with the keys those need, and only through the services that hold the data", async () => {
    const run = await runWebTier();
    const statements = inlinePolicy(run.resources);
    const decrypting = statements.filter((s) => s.Action.some((action) => action.startsWith("kms:")));
    expect(decrypting.map((s) => [s.Action, s.Resource])).toEqual([
      [["kms:Decrypt"], KEYS.secrets],
      [["kms:Decrypt"], KEYS.artifact],
    ]);
    expect(statement(statements, "DecryptSecrets").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["secretsmanager.eu-west-1.amazonaws.com", "ssm.eu-west-1.amazonaws.com"] },
    });
    expect(statement(statements, "DecryptAppArtifact").Condition).toEqual({ StringEquals: { "kms:ViaService": ["s3.eu-west-1.amazonaws.com"] } });
    expect(JSON.stringify(statements)).not.toContain(KEYS.volume);
  });

  it("writes only to its own log group, its metric namespace and X-Ray; no '*' beyond actions AWS cannot scope", async () => {
    const run = await runWebTier();
    const statements = inlinePolicy(run.resources);
    const group = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(statement(statements, "WriteAppLogs")).toMatchObject({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
      Resource: [group.outputs.arn, `${String(group.outputs.arn)}:*`],
    });
    expect(statement(statements, "PutAgentMetrics")).toMatchObject({
      Action: ["cloudwatch:PutMetricData"],
      Resource: "*",
      Condition: { StringEquals: { "cloudwatch:namespace": "Shop/WebTier" } },
    });
    expect(statement(statements, "WriteTraces").Action).toEqual(expect.arrayContaining(["xray:PutTraceSegments", "xray:PutTelemetryRecords"]));
    for (const s of statements) {
      const resources = [s.Resource].flat();
      if (resources.includes("*")) expect(s.Action.filter((action) => !UNSCOPABLE_ACTIONS.includes(action))).toEqual([]);
      for (const action of s.Action) expect(action).not.toMatch(/\*/);
    }
  });

  it("without a pinned version or customer-managed keys: no GetObjectVersion, no kms statements", async () => {
    const run = await runWebTier({
      artifact: { bucket: "shop-dev-artifacts", key: "storefront.tar.gz", versionId: "" },
      secretsKmsKeyArn: undefined,
    });
    const statements = inlinePolicy(run.resources);
    expect(statement(statements, "ReadAppArtifact").Action).toEqual(["s3:GetObject"]);
    expect(statements.some((s) => s.Action.includes("kms:Decrypt"))).toBe(false);
  });

  it("follows the partition in China", async () => {
    const run = await runWebTier(
      {
        secretsKmsKeyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/00000000-0000-4000-8000-00000000000c",
        artifact: { bucket: "shop-cn-artifacts", key: "storefront.tar.gz" },
        databaseSecretArn: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:db-AbCdEf",
      },
      "cn-north-1",
    );
    const role = findResource(run.resources, "aws:iam/role:Role");
    expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toMatchObject({ Statement: [{ Principal: { Service: "ec2.amazonaws.com.cn" } }] });
    expect(findResource(run.resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn).toBe(
      "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
    );
    const statements = inlinePolicy(run.resources);
    expect(statement(statements, "ReadAppArtifact").Resource).toBe("arn:aws-cn:s3:::shop-cn-artifacts/storefront.tar.gz");
    expect(statement(statements, "DecryptSecrets").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["secretsmanager.cn-north-1.amazonaws.com.cn", "ssm.cn-north-1.amazonaws.com.cn"] },
    });
    expect(userDataOf(run.resources)).toContain("https://s3.cn-north-1.amazonaws.com.cn/aws-xray-assets.cn-north-1/xray-daemon/aws-xray-daemon-arm64-3.x.rpm");
  });
});

describe("WebTier: user data", () => {
  it("installs Node.js 20, fetches the pinned artifact and runs it under a hardened unit fed by the runtime parameters", async () => {
    const run = await runWebTier({ appPort: 8080 });
    const text = userDataOf(run.resources);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
    const config = cloudConfigOf(text);
    expect(config.packages).toEqual(["nodejs20", "amazon-cloudwatch-agent"]);
    expect(config.runcmd).toEqual([["/usr/local/libexec/shop/bootstrap"]]);

    const install = fileOf(config, "/usr/local/libexec/shop/install-artifact");
    expect(install).toContain(
      "aws s3api get-object --bucket 'shop-prod-artifacts' --key 'storefront/storefront.tar.gz' --version-id '3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY'",
    );

    const unit = fileOf(config, "/etc/systemd/system/storefront.service");
    expect(unit).toContain("ExecStartPre=+/usr/local/libexec/shop/fetch-runtime-env");
    expect(unit).toContain("EnvironmentFile=-/run/storefront/runtime.env");
    expect(unit).toContain("ExecStart=/usr/bin/node-20 /opt/storefront/app/server.js");
    expect(unit).toContain("Environment=PORT=8080");
    expect(unit).toContain("User=storefront");
    expect(unit).toContain("NoNewPrivileges=yes");

    const fetch = fileOf(config, "/usr/local/libexec/shop/fetch-runtime-env");
    expect(fetch).toContain("read_parameter '/shop/prod/runtime/database-endpoint' DATABASE_ENDPOINT");
    expect(fetch).toContain("read_parameter '/shop/prod/runtime/database-secret-arn' DATABASE_SECRET_ARN");
    expect(fetch).toContain("read_parameter '/shop/prod/runtime/search-endpoint' SEARCH_ENDPOINT");
    expect(fetch).toContain("read_parameter '/shop/prod/runtime/search-index-alias' SEARCH_INDEX_ALIAS");
    expect(fetch).toContain("export AWS_REGION='eu-west-1'");
  });

  it("configures the CloudWatch agent (app logs to its group, memory, disk) and installs the X-Ray daemon", async () => {
    const run = await runWebTier();
    const config = cloudConfigOf(userDataOf(run.resources));
    const agent = JSON.parse(fileOf(config, "/etc/shop/cloudwatch-agent.json")) as {
      logs: { logs_collected: { files: { collect_list: { file_path: string; log_group_name: string }[] } } };
      metrics: { namespace: string; metrics_collected: Record<string, unknown> };
    };
    expect(agent.logs.logs_collected.files.collect_list.map((file) => [file.file_path, file.log_group_name])).toEqual([
      ["/var/log/storefront/app.log", "/shop/prod/web/app"],
      ["/var/log/cloud-init-output.log", "/shop/prod/web/app"],
    ]);
    expect(agent.metrics.namespace).toBe("Shop/WebTier");
    expect(Object.keys(agent.metrics.metrics_collected)).toEqual(["mem", "disk"]);
    const bootstrap = fileOf(config, "/usr/local/libexec/shop/bootstrap");
    expect(bootstrap).toContain("dnf install -y 'https://s3.eu-west-1.amazonaws.com/aws-xray-assets.eu-west-1/xray-daemon/aws-xray-daemon-arm64-3.x.rpm'");
    expect(bootstrap).toContain("amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/etc/shop/cloudwatch-agent.json");
    expect(bootstrap).toContain("systemctl enable --now xray.service storefront.service");
  });

  it("carries no secret: names only, nothing secret-marked, no secret value", async () => {
    const sentinel = "db-password-that-must-never-leak";
    const run = await runUnderMocks(
      async () => {
        const { WebTier } = await import("./web-tier.js");
        const provider = new aws.Provider("primary", { region: "eu-west-1" });
        // A secret ARN that arrives as a Pulumi secret must still stay out of the user data.
        new WebTier("web", { ...BASE, databaseSecretArn: pulumi.secret(`${SECRET_ARN}-${sentinel}`) }, { provider });
      },
      { stack: "prod" },
    );
    const template = findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(template.secretProperties).not.toContain("userData");
    const text = userDataOf(run.resources);
    expect(text).not.toContain(sentinel);
    expect(text).not.toContain("secretsmanager");
    expect(text).not.toMatch(/password|get-secret-value/i);
    expect(text).not.toContain(SECRET_ARN);
  });

  it("a new artifact version changes the user data and the launch template, which rolls the fleet", async () => {
    const before = userDataOf((await runWebTier()).resources);
    const after = userDataOf((await runWebTier({ artifact: { ...BASE.artifact, versionId: "4xYz.nextVersion" } })).resources);
    expect(after).not.toBe(before);
    expect(after).toContain("--version-id '4xYz.nextVersion'");
    const revised = await runWebTier({ artifact: { bucket: "shop-dev-artifacts", key: "storefront.tar.gz", revision: "build-1842" } });
    const text = userDataOf(revised.resources);
    expect(text).toContain('artifact revision "build-1842"');
    expect(text).not.toContain("--version-id");
  });
});

describe("WebTier: TLS to the targets", () => {
  it("off by default: no certificate is generated and the environment file carries no TLS paths", async () => {
    const config = cloudConfigOf(userDataOf((await runWebTier()).resources));
    expect(fileOf(config, "/usr/local/libexec/shop/bootstrap")).not.toContain("openssl");
    expect(fileOf(config, "/usr/local/libexec/shop/fetch-runtime-env")).not.toContain("TLS_");
    expect(config.packages).not.toContain("openssl");
  });

  it("on: generates a self-signed certificate at first boot and passes its paths through the environment file, on the same port", async () => {
    const run = await runWebTier({ tlsToTargets: true });
    const config = cloudConfigOf(userDataOf(run.resources));
    const bootstrap = fileOf(config, "/usr/local/libexec/shop/bootstrap");
    expect(bootstrap).toContain("install -d -o root -g storefront -m 0750 /etc/shop/tls");
    expect(bootstrap).toMatch(/openssl req -x509 -newkey rsa:2048 -nodes .*-keyout \/etc\/shop\/tls\/key\.pem -out \/etc\/shop\/tls\/cert\.pem/);
    expect(bootstrap.indexOf("openssl req")).toBeLessThan(bootstrap.indexOf("systemctl enable --now"));
    const fetch = fileOf(config, "/usr/local/libexec/shop/fetch-runtime-env");
    expect(fetch).toContain("TLS_CERT_FILE=/etc/shop/tls/cert.pem TLS_KEY_FILE=/etc/shop/tls/key.pem");
    expect(fileOf(config, "/etc/systemd/system/storefront.service")).toContain("Environment=PORT=8080");
    const ingress = findResources(run.resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find((rule) => rule.inputs.referencedSecurityGroupId !== undefined);
    expect(ingress?.inputs).toMatchObject({ fromPort: 8080, toPort: 8080 });
  });
});

describe("WebTier: Auto Scaling group", () => {
  it("spreads across the private subnets behind the target group with ELB health checks and rolling refreshes", async () => {
    const run = await runWebTier();
    const group = findResource(run.resources, "aws:autoscaling/group:Group");
    const template = findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate");
    expect(group.inputs).toMatchObject({
      vpcZoneIdentifiers: BASE.subnetIds,
      minSize: 3,
      maxSize: 12,
      desiredCapacity: 3,
      launchTemplate: { id: template.id, version: "1" },
      targetGroupArns: [BASE.targetGroupArn],
      healthCheckType: "ELB",
      healthCheckGracePeriod: 300,
      capacityRebalance: true,
      metricsGranularity: "1Minute",
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: 90, instanceWarmup: "300", skipMatching: true },
        triggers: ["tag"],
      },
    });
    expect(group.inputs.enabledMetrics).toEqual(expect.arrayContaining(["GroupInServiceInstances", "GroupDesiredCapacity", "GroupTotalInstances"]));
    expect(group.ignoreChanges).toEqual(["desiredCapacity"]);
    expect(group.inputs.tags).toEqual(
      expect.arrayContaining([
        { key: "Project", value: "shop-platform", propagateAtLaunch: true },
        { key: "Owner", value: "platform-team", propagateAtLaunch: true },
        { key: "Name", value: "web", propagateAtLaunch: true },
      ]),
    );
    expect(run.outputs.asgName).toBe(group.id);
    expect(run.outputs.asgArn).toMatch(/^arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:/);
  });

  it("tracks CPU, and ALB requests per target when asked", async () => {
    const run = await runWebTier({ cpuTarget: 55, requestsPerTarget: 800 });
    const group = findResource(run.resources, "aws:autoscaling/group:Group");
    const policies = findResources(run.resources, "aws:autoscaling/policy:Policy").map((policy) => policy.inputs);
    expect(policies).toEqual([
      expect.objectContaining({
        autoscalingGroupName: group.id,
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: { predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" }, targetValue: 55 },
      }),
      expect.objectContaining({
        targetTrackingConfiguration: {
          predefinedMetricSpecification: {
            predefinedMetricType: "ALBRequestCountPerTarget",
            resourceLabel: "app/shop-alb/0123456789abcdef/targetgroup/shop-web/0123456789abcdef",
          },
          targetValue: 800,
        },
      }),
    ]);
  });

  it("dev sizing and a pilot-light DR fleet of zero", async () => {
    const dev = await runWebTier({ instanceType: "t4g.small", minSize: 1, maxSize: 2, desiredCapacity: 1, cpuTarget: 60, detailedMonitoring: false });
    expect(findResource(dev.resources, "aws:autoscaling/group:Group").inputs).toMatchObject({ minSize: 1, maxSize: 2, desiredCapacity: 1 });
    expect(findResource(dev.resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs).toMatchObject({ instanceType: "t4g.small", monitoring: { enabled: false } });
    expect(findResources(dev.resources, "aws:autoscaling/policy:Policy")).toHaveLength(1);

    const pilot = await runWebTier({ minSize: 0, maxSize: 4, desiredCapacity: 0 }, "eu-central-1");
    const group = findResource(pilot.resources, "aws:autoscaling/group:Group");
    expect(group.inputs).toMatchObject({ minSize: 0, maxSize: 4, desiredCapacity: 0 });
    expect(group.region).toBe("eu-central-1");
  });
});

describe("WebTier: app log group", () => {
  it("is KMS-encrypted with retention and tagged as logs", async () => {
    const run = await runWebTier({ appLogRetentionDays: 90 });
    const group = findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup");
    expect(group.inputs).toMatchObject({ name: "/shop/prod/web/app", kmsKeyId: KEYS.logs, retentionInDays: 90, tags: { DataClass: "logs" } });
    expect(run.outputs.appLogGroupName).toBe("/shop/prod/web/app");
  });
});

describe("WebTier: preview", () => {
  it("plans in a preview: the user data is known, the template's version is not", async () => {
    const run = await runUnderMocks(
      async () => {
        const { WebTier } = await import("./web-tier.js");
        new WebTier("web", BASE);
      },
      { stack: "prod", preview: true },
    );
    expect(cloudConfigOf(userDataOf(run.resources)).packages).toEqual(["nodejs20", "amazon-cloudwatch-agent"]);
    expect(findResource(run.resources, "aws:autoscaling/group:Group").unknownProperties).toContain("launchTemplate");
  });
});

describe("WebTier: overrides", () => {
  it("an object transform merges into the child's args", async () => {
    const run = await runWebTier({
      requestsPerTarget: 500,
      transforms: {
        launchTemplate: { ebsOptimized: "true", metadataOptions: { httpPutResponseHopLimit: 2 } },
        autoScalingGroup: { maxInstanceLifetime: 1_209_600 },
        securityGroup: { description: "custom" },
        instanceRole: { maxSessionDuration: 7200 },
        appLogGroup: { retentionInDays: 30 },
        cpuScalingPolicy: { enabled: false },
        requestScalingPolicy: { name: "requests" },
        httpsEgress: { description: "HTTPS out" },
      },
    });
    const template = findResource(run.resources, "aws:ec2/launchTemplate:LaunchTemplate").inputs;
    expect(template.ebsOptimized).toBe("true");
    // Plain objects merge key by key: the rest of the metadata options stay.
    expect(template.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 2 });
    expect(findResource(run.resources, "aws:autoscaling/group:Group").inputs.maxInstanceLifetime).toBe(1_209_600);
    expect(findResource(run.resources, "aws:ec2/securityGroup:SecurityGroup").inputs.description).toBe("custom");
    expect(findResource(run.resources, "aws:iam/role:Role").inputs.maxSessionDuration).toBe(7200);
    expect(findResource(run.resources, "aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(30);
    expect(findResource(run.resources, "aws:autoscaling/policy:Policy", "web-cpu-target").inputs.enabled).toBe(false);
    expect(findResource(run.resources, "aws:autoscaling/policy:Policy", "web-requests-target").inputs.name).toBe("requests");
    expect(findResource(run.resources, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "web-https-out").inputs.description).toBe("HTTPS out");
  });

  it("a function transform can rename a child and set its options", async () => {
    let protect: boolean | undefined;
    const run = await runWebTier({
      transforms: {
        instanceProfile: (args, opts, name) => {
          args.path = "/web/";
          opts.protect = true;
          opts.ignoreChanges = ["tags"];
          protect = opts.protect;
          return `${name}-v2`;
        },
        // The group's own options survive a transform that adds to them.
        autoScalingGroup: (_args, opts) => {
          opts.ignoreChanges = [...(opts.ignoreChanges ?? []), "maxSize"];
        },
      },
    });
    const profile = findResource(run.resources, "aws:iam/instanceProfile:InstanceProfile", "web-instance-profile-v2");
    expect(profile.inputs.path).toBe("/web/");
    expect(profile.ignoreChanges).toEqual(["tags"]);
    expect(protect).toBe(true);
    expect(run.resources.some((resource) => resource.name === "web-instance-profile")).toBe(false);
    expect(findResource(run.resources, "aws:autoscaling/group:Group").ignoreChanges).toEqual(["desiredCapacity", "maxSize"]);
  });

  it("every child has its own transform key", async () => {
    const seen: string[] = [];
    const record = (_args: object, _opts: pulumi.CustomResourceOptions, name: string): void => {
      seen.push(name);
    };
    const keys = [
      "securityGroup", "ingressFromAlb", "albEgressToWeb", "httpsEgress", "databaseEgress", "appLogGroup", "instanceRole",
      "ssmCoreAttachment", "instancePolicy", "instanceProfile", "launchTemplate", "autoScalingGroup", "cpuScalingPolicy", "requestScalingPolicy",
    ] as const;
    const run = await runWebTier({ requestsPerTarget: 500, transforms: Object.fromEntries(keys.map((key) => [key, record])) });
    const children = run.resources.filter((resource) => resource.custom && resource.parent?.endsWith("shop:web:WebTier::web")).map((resource) => resource.name);
    expect(seen.sort()).toEqual(children.sort());
    expect(seen).toHaveLength(keys.length);
  });
});

describe("WebTier: bad args", () => {
  it.each<[Partial<WebTierArgs>, RegExp]>([
    [{ instanceType: "m5.large" }, /instanceType is "m5\.large"; expected a Graviton \(arm64\) type/],
    [{ minSize: 4, maxSize: 3 }, /minSize <= desiredCapacity <= maxSize; got 4 <= 4 <= 3/],
    [{ minSize: 2, desiredCapacity: 1 }, /minSize <= desiredCapacity <= maxSize; got 2 <= 1 <= 12/],
    [{ minSize: -1 }, /minSize is -1; expected an integer from 0 to 1000\./],
    [{ appPort: 80 }, /appPort is 80; expected an integer from 1024 to 65535\./],
    [{ cpuTarget: 0 }, /cpuTarget is 0; expected an integer from 1 to 100\./],
    [{ requestsPerTarget: 100, targetGroupArnSuffix: undefined }, /requestsPerTarget needs loadBalancerArnSuffix and targetGroupArnSuffix/],
    [{ minHealthyPercentage: 101 }, /minHealthyPercentage is 101; expected an integer from 0 to 100/],
    [{ rootVolumeSizeGb: 4 }, /rootVolumeSizeGb is 4; expected an integer from 8 to 16384\./],
    [{ appLogRetentionDays: 10 }, /appLogRetentionDays is 10; expected one of 1, 3, 5, 7, 14, 30/],
    [{ appEntrypoint: "../etc/passwd" }, /appEntrypoint is "\.\.\/etc\/passwd"; expected a relative path inside the artifact/],
    [{ appEntrypoint: "/srv/server.js" }, /appEntrypoint is "\/srv\/server\.js"; expected a relative path inside the artifact/],
    [{ metricsNamespace: "AWS/EC2" }, /metricsNamespace is "AWS\/EC2"; expected .* outside AWS\//],
    [{ artifact: { bucket: "Shop_Artifacts", key: "a.tgz" } }, /artifact\.bucket is "Shop_Artifacts"; expected an S3 bucket name\./],
    [{ artifact: { bucket: "shop-artifacts", key: "/a.tgz" } }, /artifact\.key is "\/a\.tgz"; expected an S3 object key/],
    [{ runtimeParameters: { ...PARAMETERS, searchEndpoint: "shop prod search" } }, /runtimeParameters\.searchEndpoint is "shop prod search"; expected an SSM parameter name/],
    [{ runtimeParameters: { ...PARAMETERS, searchEndpoint: "/aws/reserved" } }, /runtimeParameters\.searchEndpoint is "\/aws\/reserved"; expected an SSM parameter name/],
    [{ runtimeParameters: { databaseEndpoint: "/a", databaseSecretArn: "/b", searchEndpoint: "/c" } as WebTierArgs["runtimeParameters"] }, /runtimeParameters\.searchIndexAlias is missing: the app reads SEARCH_INDEX_ALIAS from it/],
  ])("refuses %j with a clear error and declares nothing", async (bad, message) => {
    let caught: unknown;
    const run = await runUnderMocks(
      async () => {
        const { WebTier } = await import("./web-tier.js");
        try {
          new WebTier("web", { ...BASE, ...bad });
        } catch (error) {
          caught = error;
        }
      },
      { stack: "prod" },
    );
    expect((caught as Error).name).toBe("InvalidArgsError");
    expect((caught as Error).message).toMatch(/^WebTier "web": /);
    expect((caught as Error).message).toMatch(message);
    expect(run.resources.filter((resource) => resource.type !== "pulumi:pulumi:Stack")).toEqual([]);
  });
});
