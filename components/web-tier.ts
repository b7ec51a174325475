import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { encryptedLogGroup } from "./common/encrypted-log-group.js";
import { transform, type Transform } from "./common/transform.js";
import { instancePolicyDocument } from "./web-tier/instance-policy.js";
import { type Settings, settingsOf } from "./web-tier/settings.js";
import { renderUserData, type RuntimeParameter } from "./web-tier/user-data.js";

export { RUNTIME_ENVIRONMENT, type RuntimeParameter } from "./web-tier/user-data.js";

/** AWS's public parameter with the latest Amazon Linux 2023 arm64 AMI. */
export const AL2023_ARM64_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";

/** Every Auto Scaling group metric (the warm pool ones aside: there is no warm pool). */
const GROUP_METRICS: aws.types.enums.autoscaling.Metric[] = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupInServiceCapacity",
  "GroupPendingInstances",
  "GroupPendingCapacity",
  "GroupStandbyInstances",
  "GroupStandbyCapacity",
  "GroupTerminatingInstances",
  "GroupTerminatingCapacity",
  "GroupTotalInstances",
  "GroupTotalCapacity",
];

export interface WebTierArtifact {
  /** The bucket that holds the app artifact: a `.tar.gz` of the built app, `node_modules` included. */
  bucket: pulumi.Input<string>;
  /** The artifact's object key. */
  key: pulumi.Input<string>;
  /** The S3 version to run. Instances fetch exactly it, and a new one rolls the fleet. @default none: the object's current version (then set `revision`) */
  versionId?: pulumi.Input<string>;
  /** For an unversioned bucket: any label that changes with the artifact (ETag, build id); a change rolls the fleet. @default none: `versionId` labels the fleet */
  revision?: pulumi.Input<string>;
  /** The bucket's KMS key (SSE-KMS): instances may decrypt with it through S3 only. @default none: no KMS permission (an SSE-S3 bucket) */
  kmsKeyArn?: pulumi.Input<string>;
}

export interface WebTierArgs {
  /** The VPC of the fleet. */
  vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the only place the fleet may reach the database port. */
  vpcCidr: pulumi.Input<string>;
  /** The private subnets the Auto Scaling group spreads across. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The LoadBalancer's security group: the web group admits it alone, and it gets its one egress rule here. */
  albSecurityGroupId: pulumi.Input<string>;
  /** The LoadBalancer's target group. */
  targetGroupArn: pulumi.Input<string>;
  /** The ALB's ARN suffix (`app/...`); needed with `requestsPerTarget`. @default none */
  loadBalancerArnSuffix?: pulumi.Input<string>;
  /** The target group's ARN suffix (`targetgroup/...`); needed with `requestsPerTarget`. @default none */
  targetGroupArnSuffix?: pulumi.Input<string>;
  /** The app's port, 1024 to 65535 (it runs unprivileged). @default 8080 */
  appPort?: number;
  /**
   * Serve HTTPS on `appPort`: at first boot each instance generates a self-signed key and
   * certificate with openssl (the ALB does not validate target certificates) and the app gets
   * their paths as TLS_CERT_FILE and TLS_KEY_FILE. Pair it with the LoadBalancer's
   * `targetProtocol: "HTTPS"`.
   * @default false
   */
  tlsToTargets?: boolean;
  /** A Graviton (arm64) instance type. @default "m7g.large" */
  instanceType?: string;
  /** The fewest instances the group runs, 0 to 1000. No default: the stack's tier sets it. */
  minSize: number;
  /** The most instances the group runs, 0 to 1000, at least `minSize`. No default: the stack's tier sets it. */
  maxSize: number;
  /** Only at creation: later updates leave it to the scaling policies. @default minSize */
  desiredCapacity?: number;
  /** Target tracking on average CPU, in percent. @default 50 */
  cpuTarget?: number;
  /** Also track ALB requests per target at this value. @default no request tracking */
  requestsPerTarget?: number;
  /** The SSM parameter that names the AMI. @default "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" */
  amiParameterName?: string;
  /** A fixed AMI (arm64, AL2023) instead of the parameter's. @default the AMI that `amiParameterName` names */
  amiId?: pulumi.Input<string>;
  /** Root volume size (gp3, encrypted). @default 20 */
  rootVolumeSizeGb?: number;
  /** The KMS key of the root volumes. Its key policy must let the Auto Scaling service-linked role use it. */
  volumeKmsKeyArn: pulumi.Input<string>;
  /** The KMS key of the app log group (the `logs` data-class key). */
  logsKmsKeyArn: pulumi.Input<string>;
  /** App log retention, one of CloudWatch Logs' periods. @default 365 */
  appLogRetentionDays?: number;
  /** The app log group's name. @default "/shop/<stack>/<name>/app" */
  appLogGroupName?: string;
  /** The app artifact in S3. */
  artifact: WebTierArtifact;
  /** The app's entry script, relative to the artifact's root. @default "server.js" */
  appEntrypoint?: string;
  /**
   * The runtime SSM parameters (names, created by the stack) that the app's environment is read
   * from at every start: `DATABASE_ENDPOINT`, `DATABASE_SECRET_ARN`, `SEARCH_ENDPOINT`, `SEARCH_INDEX_ALIAS`.
   */
  runtimeParameters: Record<RuntimeParameter, pulumi.Input<string>>;
  /** The database secret the app reads (its ARN in this region). */
  databaseSecretArn: pulumi.Input<string>;
  /** The KMS key of that secret and of SecureString runtime parameters (the `secrets` data-class key), if customer-managed. @default none: AWS-managed keys need no grant */
  secretsKmsKeyArn?: pulumi.Input<string>;
  /** The database port the fleet may reach inside the VPC. @default 5432 */
  databasePort?: number;
  /** Seconds before ELB health checks count for a new instance. @default 300 */
  healthCheckGracePeriodSeconds?: number;
  /** Seconds until a new instance counts in metrics and refreshes. @default 300 */
  instanceWarmupSeconds?: number;
  /** Share of the desired capacity kept healthy during an instance refresh. @default 90 */
  minHealthyPercentage?: number;
  /**
   * Group properties whose change also starts an instance refresh (a launch template change always
   * does). `tag`: propagated tags reach only new instances, so a tag change rolls the fleet.
   * @default ["tag"]
   */
  refreshTriggers?: string[];
  /** One-minute EC2 metrics. @default true */
  detailedMonitoring?: boolean;
  /** The CloudWatch agent's metric namespace; the instances may put metrics there only. @default "Shop/WebTier" */
  metricsNamespace?: string;
  /** Changes to the children's args, options or names: an object merged over the args, or a function (see `Transform`). @default no changes */
  transforms?: {
    /** The web security group. */
    securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The web group's ingress from the ALB's group on the app port. */
    ingressFromAlb?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    /** The ALB group's egress to the web group on the app port. */
    albEgressToWeb?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
    /** The fleet's HTTPS egress. */
    httpsEgress?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
    /** The fleet's egress to the database port inside the VPC. */
    databaseEgress?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
    /** The app log group. */
    appLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The instances' role. */
    instanceRole?: Transform<aws.iam.RoleArgs>;
    /** The attachment of AmazonSSMManagedInstanceCore (Session Manager). */
    ssmCoreAttachment?: Transform<aws.iam.RolePolicyAttachmentArgs>;
    /** The instances' inline least-privilege policy. */
    instancePolicy?: Transform<aws.iam.RolePolicyArgs>;
    /** The instance profile. */
    instanceProfile?: Transform<aws.iam.InstanceProfileArgs>;
    /** The launch template. */
    launchTemplate?: Transform<aws.ec2.LaunchTemplateArgs>;
    /** The Auto Scaling group. */
    autoScalingGroup?: Transform<aws.autoscaling.GroupArgs>;
    /** The CPU target tracking policy. */
    cpuScalingPolicy?: Transform<aws.autoscaling.PolicyArgs>;
    /** The requests-per-target tracking policy (only with `requestsPerTarget`). */
    requestScalingPolicy?: Transform<aws.autoscaling.PolicyArgs>;
  };
}

/** `undefined` for an absent or empty value/** `undefined` for an absent or empty value (an unversioned BucketObjectv2 reports versionId ""). */
function optional(value: pulumi.Input<string> | undefined): pulumi.Output<string | undefined> {
  return pulumi.output(value).apply((known) => (known === undefined || known === "" ? undefined : known));
}

/** What the children need to know about the account and region they are created in. */
interface Environment {
  readonly region: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly dnsSuffix: pulumi.Output<string>;
  readonly account: pulumi.Output<string>;
  readonly defaultTags: pulumi.Output<Record<string, string>>;
}

/** The artifact revision as the fleet sees it: absent or empty values are `undefined`. */
interface ArtifactRevision {
  readonly versionId: pulumi.Output<string | undefined>;
  readonly revision: pulumi.Output<string | undefined>;
}

function artifactRevisionOf(artifact: WebTierArtifact): ArtifactRevision {
  return { versionId: optional(artifact.versionId), revision: optional(artifact.revision) };
}

/** What every step of the constructor reads. */
interface Scope {
  readonly name: string;
  readonly args: WebTierArgs;
  readonly settings: Settings;
  readonly environment: Environment;
  readonly artifact: ArtifactRevision;
}

/**
 * The autoscaled web fleet: a launch template (AL2023 arm64, IMDSv2 only, no public IP, no key
 * pair, encrypted gp3 root), a least-privilege instance profile (Session Manager, CloudWatch
 * agent, X-Ray, the artifact, the runtime parameters and the database secret, nothing else),
 * cloud-init user data that carries no secret, and an Auto Scaling group in the private subnets
 * behind the ALB's target group that rolls itself whenever the template or the artifact changes.
 *
 * It also owns the pair of rules between the ALB's group and its own: web ingress from the ALB
 * group on the app port, ALB egress to the web group on the app port.
 *
 * @example
 * ```ts
 * const web = new WebTier("prod-web", {
 *   vpcId: network.vpcId,
 *   vpcCidr: network.cidrBlock,
 *   subnetIds: network.privateSubnetIds,
 *   albSecurityGroupId: lb.securityGroupId,
 *   targetGroupArn: lb.targetGroupArn,
 *   volumeKmsKeyArn: keys.keyArn("logs"),
 *   logsKmsKeyArn: keys.keyArn("logs"),
 *   artifact: { bucket: assets.bucketName, key: "storefront/app.tar.gz", kmsKeyArn: keys.keyArn("assets") },
 *   runtimeParameters: runtimeParameterNames("/shop/prod/runtime"),
 *   databaseSecretArn: database.masterUserSecretArn,
 *   secretsKmsKeyArn: keys.keyArn("secrets"),
 *   minSize: 3,
 *   maxSize: 12,
 * });
 * ```
 */
export class WebTier extends pulumi.ComponentResource {
  public readonly autoScalingGroupName: pulumi.Output<string>;
  public readonly autoScalingGroupArn: pulumi.Output<string>;
  public readonly launchTemplateId: pulumi.Output<string>;
  public readonly launchTemplateLatestVersion: pulumi.Output<number>;
  public readonly instanceRoleName: pulumi.Output<string>;
  public readonly instanceRoleArn: pulumi.Output<string>;
  public readonly instanceProfileArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly appLogGroupName: pulumi.Output<string>;

  constructor(name: string, args: WebTierArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const settings = settingsOf(name, args);
    super("shop:web:WebTier", name, {}, opts);
    const scope: Scope = { name, args, settings, environment: this.lookUpEnvironment(), artifact: artifactRevisionOf(args.artifact) };

    const securityGroup = this.createSecurityGroup(scope);
    const rules = this.createSecurityGroupRules(scope, securityGroup);
    const appLogGroup = this.createAppLogGroup(scope);
    const role = this.createInstanceRole(scope);
    const permissions = this.grantInstancePermissions(scope, role, appLogGroup);
    const profile = this.createInstanceProfile(scope, role);
    const userData = this.renderUserData(scope, appLogGroup);
    const launchTemplate = this.createLaunchTemplate(scope, profile, securityGroup, userData);
    const group = this.createAutoScalingGroup(scope, launchTemplate, [...rules, ...permissions]);
    this.createScalingPolicies(scope, group);

    this.securityGroupId = securityGroup.id;
    this.appLogGroupName = appLogGroup.name;
    this.instanceRoleName = role.name;
    this.instanceRoleArn = role.arn;
    this.instanceProfileArn = profile.arn;
    this.launchTemplateId = launchTemplate.id;
    this.launchTemplateLatestVersion = launchTemplate.latestVersion;
    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      autoScalingGroupArn: this.autoScalingGroupArn,
      launchTemplateId: this.launchTemplateId,
      launchTemplateLatestVersion: this.launchTemplateLatestVersion,
      instanceRoleName: this.instanceRoleName,
      instanceRoleArn: this.instanceRoleArn,
      instanceProfileArn: this.instanceProfileArn,
      securityGroupId: this.securityGroupId,
      appLogGroupName: this.appLogGroupName,
    });
  }

  private lookUpEnvironment(): Environment {
    const partition = aws.getPartitionOutput({}, { parent: this });
    return {
      region: aws.getRegionOutput({}, { parent: this }).region,
      partition: partition.partition,
      dnsSuffix: partition.dnsSuffix,
      account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
      defaultTags: aws.getDefaultTagsOutput({}, { parent: this }).tags,
    };
  }

  /** The web group admits the ALB alone (see the rules). */
  private createSecurityGroup({ name, args }: Scope): aws.ec2.SecurityGroup {
    return new aws.ec2.SecurityGroup(
      ...transform(
        args.transforms?.securityGroup,
        childName(name, "sg"),
        { vpcId: args.vpcId, description: `Web tier ${name}: app port from the ALB only` },
        { parent: this },
      ),
    );
  }

  /** The app port from the ALB's group, the ALB's one egress to this group, and the fleet's own egress. */
  private createSecurityGroupRules({ name, args, settings }: Scope, securityGroup: aws.ec2.SecurityGroup): pulumi.Resource[] {
    const port = { ipProtocol: "tcp", fromPort: settings.appPort, toPort: settings.appPort };
    return [
      new aws.vpc.SecurityGroupIngressRule(
        ...transform(
          args.transforms?.ingressFromAlb,
          childName(name, "from-alb"),
          { securityGroupId: securityGroup.id, referencedSecurityGroupId: args.albSecurityGroupId, ...port, description: "App port from the ALB" },
          { parent: this },
        ),
      ),
      new aws.vpc.SecurityGroupEgressRule(
        ...transform(
          args.transforms?.albEgressToWeb,
          childName(name, "alb-to-web"),
          { securityGroupId: args.albSecurityGroupId, referencedSecurityGroupId: securityGroup.id, ...port, description: `ALB to the web tier ${name}` },
          { parent: this },
        ),
      ),
      new aws.vpc.SecurityGroupEgressRule(
        ...transform(
          args.transforms?.httpsEgress,
          childName(name, "https-out"),
          {
            securityGroupId: securityGroup.id,
            cidrIpv4: "0.0.0.0/0",
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS: AWS APIs, package repositories, OpenSearch",
          },
          { parent: this },
        ),
      ),
      new aws.vpc.SecurityGroupEgressRule(
        ...transform(
          args.transforms?.databaseEgress,
          childName(name, "database-out"),
          {
            securityGroupId: securityGroup.id,
            cidrIpv4: args.vpcCidr,
            ipProtocol: "tcp",
            fromPort: settings.databasePort,
            toPort: settings.databasePort,
            description: "The database, inside the VPC",
          },
          { parent: this },
        ),
      ),
    ];
  }

  /** Created before the instances, so the CloudWatch agent writes to an encrypted group with a retention. */
  private createAppLogGroup({ name, args, settings }: Scope): aws.cloudwatch.LogGroup {
    return encryptedLogGroup(
      this,
      childName(name, "app-logs"),
      { logGroupName: args.appLogGroupName ?? `/shop/${pulumi.getStack()}/${name}/app`, kmsKeyArn: args.logsKmsKeyArn, retentionDays: settings.retentionDays },
      args.transforms?.appLogGroup,
    );
  }

  private createInstanceRole({ name, args, environment }: Scope): aws.iam.Role {
    return new aws.iam.Role(
      ...transform(
        args.transforms?.instanceRole,
        childName(name, "instance-role"),
        {
          description: `Web tier ${name} instances`,
          assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: pulumi.interpolate`ec2.${environment.dnsSuffix}` }, Action: "sts:AssumeRole" }],
          }),
        },
        { parent: this },
      ),
    );
  }

  /** Session Manager through the managed policy; everything else through the least-privilege inline policy. */
  private grantInstancePermissions({ name, args, settings, environment, artifact }: Scope, role: aws.iam.Role, appLogGroup: aws.cloudwatch.LogGroup): pulumi.Resource[] {
    const policy = pulumi
      .output({
        region: environment.region,
        account: environment.account,
        partition: environment.partition,
        dnsSuffix: environment.dnsSuffix,
        bucket: args.artifact.bucket,
        key: args.artifact.key,
        versionId: artifact.versionId,
        artifactKey: args.artifact.kmsKeyArn,
        parameterNames: pulumi.all(Object.values(args.runtimeParameters)),
        databaseSecretArn: args.databaseSecretArn,
        secretsKey: args.secretsKmsKeyArn,
        appLogGroupArn: appLogGroup.arn,
      })
      .apply((known) =>
        JSON.stringify(
          instancePolicyDocument({
            partition: known.partition,
            region: known.region,
            account: known.account,
            dnsSuffix: known.dnsSuffix,
            artifact: { bucket: known.bucket, key: known.key, versioned: known.versionId !== undefined, kmsKeyArn: known.artifactKey },
            parameterNames: known.parameterNames,
            databaseSecretArn: known.databaseSecretArn,
            secretsKmsKeyArn: known.secretsKey,
            appLogGroupArn: known.appLogGroupArn,
            metricsNamespace: settings.metricsNamespace,
          }),
        ),
      );
    return [
      new aws.iam.RolePolicyAttachment(
        ...transform(
          args.transforms?.ssmCoreAttachment,
          childName(name, "ssm-core"),
          { role: role.name, policyArn: pulumi.interpolate`arn:${environment.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
          { parent: this },
        ),
      ),
      new aws.iam.RolePolicy(...transform(args.transforms?.instancePolicy, childName(name, "instance-permissions"), { role: role.id, policy }, { parent: this })),
    ];
  }

  private createInstanceProfile({ name, args }: Scope, role: aws.iam.Role): aws.iam.InstanceProfile {
    return new aws.iam.InstanceProfile(...transform(args.transforms?.instanceProfile, childName(name, "instance-profile"), { role: role.name }, { parent: this }));
  }

  /** The cloud-init user data, base64: it fetches the artifact and reads the runtime parameters at every start. */
  private renderUserData({ name, args, settings, environment, artifact }: Scope, appLogGroup: aws.cloudwatch.LogGroup): pulumi.Output<string> {
    return pulumi
      .output({
        region: environment.region,
        dnsSuffix: environment.dnsSuffix,
        bucket: args.artifact.bucket,
        key: args.artifact.key,
        versionId: artifact.versionId,
        revision: artifact.revision,
        parameters: pulumi.output(args.runtimeParameters),
        appLogGroupName: appLogGroup.name,
      })
      .apply((known) => {
        // Values that were Outputs at construction are not checked again here: a throw inside an
        // apply would leave the resources that wait on it unresolved. Every value is shell-quoted.
        const text = renderUserData({
          name,
          region: known.region,
          dnsSuffix: known.dnsSuffix,
          appPort: settings.appPort,
          tlsToTargets: settings.tlsToTargets,
          appEntrypoint: settings.appEntrypoint,
          artifact: { bucket: known.bucket, key: known.key, versionId: known.versionId, revision: known.revision },
          runtimeParameters: known.parameters,
          appLogGroupName: known.appLogGroupName,
          metricsNamespace: settings.metricsNamespace,
        });
        return Buffer.from(text, "utf8").toString("base64");
      });
  }

  private createLaunchTemplate(
    { name, args, settings, environment, artifact }: Scope,
    profile: aws.iam.InstanceProfile,
    securityGroup: aws.ec2.SecurityGroup,
    userData: pulumi.Output<string>,
  ): aws.ec2.LaunchTemplate {
    const imageId = args.amiId ?? aws.ssm.getParameterOutput({ name: args.amiParameterName ?? AL2023_ARM64_AMI_PARAMETER }, { parent: this }).insecureValue;
    const artifactRevision = pulumi.all([artifact.revision, artifact.versionId]).apply(([label, version]) => (label ?? version ?? "unversioned").slice(0, 256));
    return new aws.ec2.LaunchTemplate(
      ...transform(
        args.transforms?.launchTemplate,
        childName(name, "lt"),
        {
          description: `Web tier ${name}`,
          imageId,
          instanceType: settings.instanceType,
          iamInstanceProfile: { arn: profile.arn },
          networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [securityGroup.id] }],
          metadataOptions: {
            httpEndpoint: "enabled",
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
            httpProtocolIpv6: "disabled",
            instanceMetadataTags: "enabled",
          },
          blockDeviceMappings: [
            {
              deviceName: "/dev/xvda",
              ebs: { volumeType: "gp3", volumeSize: settings.rootVolumeSizeGb, encrypted: "true", kmsKeyId: args.volumeKmsKeyArn, deleteOnTermination: "true" },
            },
          ],
          monitoring: { enabled: args.detailedMonitoring ?? true },
          userData,
          updateDefaultVersion: true,
          tagSpecifications: [
            { resourceType: "instance", tags: { ArtifactRevision: artifactRevision } },
            { resourceType: "volume", tags: pulumi.all([environment.defaultTags]).apply(([tags]) => ({ ...tags, Name: name })) },
          ],
        },
        { parent: this },
      ),
    );
  }

  private createAutoScalingGroup({ name, args, settings, environment }: Scope, launchTemplate: aws.ec2.LaunchTemplate, dependsOn: pulumi.Resource[]): aws.autoscaling.Group {
    return new aws.autoscaling.Group(
      ...transform(
        args.transforms?.autoScalingGroup,
        childName(name, "asg"),
        {
          vpcZoneIdentifiers: args.subnetIds,
          minSize: settings.minSize,
          maxSize: settings.maxSize,
          desiredCapacity: settings.desiredCapacity,
          // An explicit version (not $Latest): a new template version changes the group and starts a refresh.
          launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((version) => version.toString()) },
          targetGroupArns: [args.targetGroupArn],
          healthCheckType: "ELB",
          healthCheckGracePeriod: settings.gracePeriod,
          defaultInstanceWarmup: settings.warmup,
          capacityRebalance: true,
          enabledMetrics: GROUP_METRICS,
          metricsGranularity: "1Minute",
          instanceRefresh: {
            strategy: "Rolling",
            preferences: { minHealthyPercentage: settings.minHealthyPercentage, instanceWarmup: settings.warmup.toString(), skipMatching: true },
            triggers: args.refreshTriggers ?? ["tag"],
          },
          // The group's tag blocks get no provider default tags: add them, propagated to instances.
          tags: pulumi.all([environment.defaultTags]).apply(([tags]) =>
            Object.entries({ ...tags, Name: name }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
          ),
        },
        // Scaling policies own the desired capacity after creation; an update must not reset it.
        { parent: this, ignoreChanges: ["desiredCapacity"], dependsOn },
      ),
    );
  }

  /** Target tracking on CPU, and on ALB requests per target when asked. */
  private createScalingPolicies({ name, args, settings }: Scope, group: aws.autoscaling.Group): void {
    new aws.autoscaling.Policy(
      ...transform(
        args.transforms?.cpuScalingPolicy,
        childName(name, "cpu-target"),
        {
          autoscalingGroupName: group.name,
          policyType: "TargetTrackingScaling",
          targetTrackingConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
            targetValue: settings.cpuTarget,
          },
        },
        { parent: this },
      ),
    );
    if (settings.requestsPerTarget === undefined) return;
    new aws.autoscaling.Policy(
      ...transform(
        args.transforms?.requestScalingPolicy,
        childName(name, "requests-target"),
        {
          autoscalingGroupName: group.name,
          policyType: "TargetTrackingScaling",
          targetTrackingConfiguration: {
            predefinedMetricSpecification: {
              predefinedMetricType: "ALBRequestCountPerTarget",
              resourceLabel: pulumi.interpolate`${args.loadBalancerArnSuffix}/${args.targetGroupArnSuffix}`,
            },
            targetValue: settings.requestsPerTarget,
          },
        },
        { parent: this },
      ),
    );
  }
}
