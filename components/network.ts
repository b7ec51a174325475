import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "./conventions.js";
import { encryptedLogGroup } from "./common/encrypted-log-group.js";
import { transform, type Transform } from "./common/transform.js";
import { type NatGatewayMode, type Settings, settingsOf } from "./network/settings.js";
import { subnetTransforms } from "./network/subnets.js";

export { INTERFACE_ENDPOINT_SERVICES, type NatGatewayMode, subnetLayout } from "./network/settings.js";

export interface NetworkArgs {
  /**
   * The VPC's IPv4 CIDR: private address space (10/8, 172.16/12, 192.168/16), /16 to /24, small
   * enough that the public subnets stay at /28 or larger.
   * @default "10.0.0.0/16"
   */
  cidr?: string;
  /** Availability zones used (the region's first ones), 2 to 6. @default 3 */
  azCount?: number;
  /** NAT gateways: one per AZ, or a single one for the VPC. @default "per-az" */
  nat?: NatGatewayMode;
  /** Interface endpoints (PrivateLink) for `interfaceEndpointServices`, in the private subnets. @default true */
  interfaceEndpoints?: boolean;
  /** The services (short names such as `ssm`, `logs`) that get an interface endpoint. @default INTERFACE_ENDPOINT_SERVICES */
  interfaceEndpointServices?: readonly string[];
  /** KMS key (ARN) that encrypts the flow log group: the `logs` data-class key. Its key policy must admit `logs.<region>.amazonaws.com`. */
  logsKmsKeyArn: pulumi.Input<string>;
  /**
   * Whether instances launched into the public subnets get a public IPv4 address. Nothing there
   * needs one: NAT gateways have Elastic IPs and the ALB its own addresses. awsx turns it on for
   * its public subnets; the component turns it off with a resource transform on awsx's Vpc, which
   * applies on the engine only (Pulumi's mocks register none of awsx's subnets).
   * @default false
   */
  mapPublicIpOnLaunch?: boolean;
  /** Flow log retention, one of CloudWatch Logs' periods. @default 365 */
  flowLogRetentionDays?: number;
  /** Which traffic the flow log records. @default "ALL" */
  flowLogTrafficType?: "ACCEPT" | "REJECT" | "ALL";
  /** The flow log group's name. @default "/shop/<stack>/<name>/vpc-flow-logs" */
  flowLogGroupName?: string;
  /** Changes to the children's args, options or names: an object merged over the args, or a function (see `Transform`). @default no changes */
  transforms?: {
    /** awsx's Vpc (subnets, route tables, NAT gateways). */
    vpc?: Transform<awsx.ec2.VpcArgs>;
    /** The VPC's default security group, stripped of every rule. */
    defaultSecurityGroup?: Transform<aws.ec2.DefaultSecurityGroupArgs>;
    /** The flow log group. */
    flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The role VPC flow logs assume. */
    flowLogRole?: Transform<aws.iam.RoleArgs>;
    /** The flow log role's inline policy (write to the flow log group). */
    flowLogPolicy?: Transform<aws.iam.RolePolicyArgs>;
    /** The VPC flow log. */
    flowLog?: Transform<aws.ec2.FlowLogArgs>;
    /** The S3 gateway endpoint. */
    s3Endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
    /** The interface endpoints' security group. */
    endpointSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** That group's HTTPS ingress from the VPC. */
    endpointIngressRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    /** Every interface endpoint; a function tells them apart by the name it gets (`<name>-vpce-<service>`). */
    interfaceEndpoint?: Transform<aws.ec2.VpcEndpointArgs>;
  };
}

/** Reads a list of awsx children (Resource instances on a real engine, plain objects under mocks) to their ids. */
function idsOf(resources: pulumi.Output<readonly { id: pulumi.Input<string> }[]>): pulumi.Output<string[]> {
  return resources.apply((list) => pulumi.all(list.map((resource) => resource.id)));
}

/** What the children need to know about the account and region they are created in. */
interface Environment {
  readonly region: pulumi.Output<string>;
  readonly partition: pulumi.Output<string>;
  readonly reverseDnsPrefix: pulumi.Output<string>;
  readonly account: pulumi.Output<string>;
}

/**
 * The VPC: awsx's Vpc (public, private and isolated subnets per AZ, NAT gateways), plus what a
 * production VPC needs around it: KMS-encrypted flow logs with retention, an S3 gateway
 * endpoint, interface endpoints for the AWS APIs the fleet calls, and a default security group
 * stripped of every rule.
 *
 * @example
 * ```ts
 * const network = new Network("prod-network", {
 *   cidr: "10.30.0.0/16",
 *   azCount: 3,
 *   nat: "per-az",
 *   logsKmsKeyArn: keys.keyArn("logs"),
 *   flowLogRetentionDays: 365,
 * });
 * ```
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly cidrBlock: pulumi.Output<string>;
  /** ALB and NAT gateways. */
  public readonly publicSubnetIds: pulumi.Output<string[]>;
  /** The web tier and the interface endpoints: out through NAT. */
  public readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Databases and search: no route to the internet. */
  public readonly isolatedSubnetIds: pulumi.Output<string[]>;
  public readonly routeTableIds: pulumi.Output<string[]>;
  public readonly natGatewayCount: number;
  public readonly flowLogGroupName: pulumi.Output<string>;
  public readonly flowLogGroupArn: pulumi.Output<string>;
  public readonly s3EndpointId: pulumi.Output<string>;
  /** The security group of the interface endpoints; `undefined` when they are off. */
  public readonly endpointSecurityGroupId: pulumi.Output<string> | undefined;
  /** Interface endpoint ids by service short name (empty when they are off). */
  public readonly interfaceEndpointIds: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    // Bad args fail before anything is registered.
    const settings = settingsOf(name, args);
    super("shop:network:Network", name, {}, opts);
    const environment = this.lookUpEnvironment();

    const vpc = this.createVpc(name, args, settings);
    const routeTableIds = idsOf(vpc.routeTables);
    this.stripDefaultSecurityGroup(name, args, vpc);
    const flowLogGroup = this.createFlowLogGroup(name, args, settings);
    const flowLogRole = this.createFlowLogRole(name, args, environment, flowLogGroup);
    this.createFlowLog(name, args, vpc, flowLogGroup, flowLogRole);
    const s3Endpoint = this.createS3Endpoint(name, args, environment, vpc, routeTableIds);
    const endpointSg = settings.interfaceEndpoints ? this.createEndpointSecurityGroup(name, args, settings, vpc) : undefined;
    const interfaceEndpoints = endpointSg === undefined ? {} : this.createInterfaceEndpoints(name, args, settings, environment, vpc, endpointSg);

    this.vpcId = vpc.vpcId;
    this.cidrBlock = pulumi.output(settings.cidr);
    this.publicSubnetIds = vpc.publicSubnetIds;
    this.privateSubnetIds = vpc.privateSubnetIds;
    this.isolatedSubnetIds = vpc.isolatedSubnetIds;
    this.routeTableIds = routeTableIds;
    this.natGatewayCount = settings.nat === "single" ? 1 : settings.azCount;
    this.flowLogGroupName = flowLogGroup.name;
    this.flowLogGroupArn = flowLogGroup.arn;
    this.s3EndpointId = s3Endpoint.id;
    this.endpointSecurityGroupId = endpointSg?.id;
    this.interfaceEndpointIds = interfaceEndpoints;
    this.registerOutputs({
      vpcId: this.vpcId,
      cidrBlock: this.cidrBlock,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      routeTableIds: this.routeTableIds,
      natGatewayCount: this.natGatewayCount,
      flowLogGroupName: this.flowLogGroupName,
      flowLogGroupArn: this.flowLogGroupArn,
      s3EndpointId: this.s3EndpointId,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
      interfaceEndpointIds: this.interfaceEndpointIds,
    });
  }

  private lookUpEnvironment(): Environment {
    const partition = aws.getPartitionOutput({}, { parent: this });
    return {
      region: aws.getRegionOutput({}, { parent: this }).region,
      partition: partition.partition,
      reverseDnsPrefix: partition.reverseDnsPrefix,
      account: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
    };
  }

  /** The endpoint service name of a short name such as `s3` in this region and partition. */
  private static serviceName(environment: Environment, service: string): pulumi.Output<string> {
    return pulumi.interpolate`${environment.reverseDnsPrefix}.${environment.region}.${service}`;
  }

  private createVpc(name: string, args: NetworkArgs, { cidr, azCount, layout, nat, mapPublicIpOnLaunch }: Settings): awsx.ec2.Vpc {
    const transforms = subnetTransforms(mapPublicIpOnLaunch);
    return new awsx.ec2.Vpc(
      ...transform(
        args.transforms?.vpc,
        childName(name, "vpc"),
        {
          cidrBlock: cidr,
          numberOfAvailabilityZones: azCount,
          availabilityZoneCidrMask: layout.zoneMask,
          subnetStrategy: "Auto",
          subnetSpecs: [
            { type: "Private", name: "private", cidrMask: layout.privateMask },
            { type: "Isolated", name: "isolated", cidrMask: layout.isolatedMask },
            { type: "Public", name: "public", cidrMask: layout.publicMask },
          ],
          natGateways: { strategy: nat === "single" ? "Single" : "OnePerAz" },
          // Interface endpoints with private DNS need both.
          enableDnsHostnames: true,
          enableDnsSupport: true,
        },
        { parent: this, ...(transforms.length > 0 ? { transforms } : {}) },
      ),
    );
  }

  /** Terraform's default security group resource removes every rule when it adopts the group. */
  private stripDefaultSecurityGroup(name: string, args: NetworkArgs, vpc: awsx.ec2.Vpc): aws.ec2.DefaultSecurityGroup {
    return new aws.ec2.DefaultSecurityGroup(
      ...transform(args.transforms?.defaultSecurityGroup, childName(name, "default-sg"), { vpcId: vpc.vpcId, ingress: [], egress: [] }, { parent: this }),
    );
  }

  private createFlowLogGroup(name: string, args: NetworkArgs, settings: Settings): aws.cloudwatch.LogGroup {
    return encryptedLogGroup(
      this,
      childName(name, "flow-logs"),
      { logGroupName: args.flowLogGroupName ?? `/shop/${pulumi.getStack()}/${name}/vpc-flow-logs`, kmsKeyArn: args.logsKmsKeyArn, retentionDays: settings.retentionDays },
      args.transforms?.flowLogGroup,
    );
  }

  /** The role VPC flow logs assume, allowed to write to the flow log group only. */
  private createFlowLogRole(name: string, args: NetworkArgs, { region, partition, account }: Environment, flowLogGroup: aws.cloudwatch.LogGroup): aws.iam.Role {
    const role = new aws.iam.Role(
      ...transform(
        args.transforms?.flowLogRole,
        childName(name, "flow-logs-role"),
        {
          description: `VPC flow logs of ${name} to CloudWatch Logs`,
          assumeRolePolicy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                // Confused-deputy guard: only this account's flow logs may assume the role.
                Condition: {
                  StringEquals: { "aws:SourceAccount": account },
                  ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:${partition}:ec2:${region}:${account}:vpc-flow-log/*` },
                },
              },
            ],
          }),
        },
        { parent: this },
      ),
    );
    const policy = pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "WriteFlowLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [flowLogGroup.arn, pulumi.interpolate`${flowLogGroup.arn}:*`],
        },
        {
          Sid: "FindLogGroups",
          Effect: "Allow",
          Action: "logs:DescribeLogGroups",
          Resource: pulumi.interpolate`arn:${partition}:logs:${region}:${account}:log-group:*`,
        },
      ],
    });
    new aws.iam.RolePolicy(...transform(args.transforms?.flowLogPolicy, childName(name, "flow-logs-write"), { role: role.id, policy }, { parent: this }));
    return role;
  }

  private createFlowLog(name: string, args: NetworkArgs, vpc: awsx.ec2.Vpc, flowLogGroup: aws.cloudwatch.LogGroup, role: aws.iam.Role): aws.ec2.FlowLog {
    return new aws.ec2.FlowLog(
      ...transform(
        args.transforms?.flowLog,
        childName(name, "flow-log"),
        {
          vpcId: vpc.vpcId,
          trafficType: args.flowLogTrafficType ?? "ALL",
          logDestinationType: "cloud-watch-logs",
          logDestination: flowLogGroup.arn,
          iamRoleArn: role.arn,
          maxAggregationInterval: 60,
        },
        { parent: this },
      ),
    );
  }

  /** S3 through a gateway endpoint: free, and package repositories and artifacts skip the NAT. */
  private createS3Endpoint(name: string, args: NetworkArgs, environment: Environment, vpc: awsx.ec2.Vpc, routeTableIds: pulumi.Output<string[]>): aws.ec2.VpcEndpoint {
    return new aws.ec2.VpcEndpoint(
      ...transform(
        args.transforms?.s3Endpoint,
        childName(name, "s3"),
        { vpcId: vpc.vpcId, serviceName: Network.serviceName(environment, "s3"), vpcEndpointType: "Gateway", routeTableIds },
        { parent: this },
      ),
    );
  }

  /** The interface endpoints' group: HTTPS from inside the VPC. */
  private createEndpointSecurityGroup(name: string, args: NetworkArgs, settings: Settings, vpc: awsx.ec2.Vpc): aws.ec2.SecurityGroup {
    const group = new aws.ec2.SecurityGroup(
      ...transform(
        args.transforms?.endpointSecurityGroup,
        childName(name, "endpoints-sg"),
        { vpcId: vpc.vpcId, description: `Interface endpoints of ${name}: HTTPS from inside the VPC` },
        { parent: this },
      ),
    );
    new aws.vpc.SecurityGroupIngressRule(
      ...transform(
        args.transforms?.endpointIngressRule,
        childName(name, "endpoints-https"),
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: settings.cidr, description: "HTTPS from the VPC" },
        { parent: this },
      ),
    );
    return group;
  }

  /** One interface endpoint per service, in the private subnets; their ids by service short name. */
  private createInterfaceEndpoints(
    name: string,
    args: NetworkArgs,
    settings: Settings,
    environment: Environment,
    vpc: awsx.ec2.Vpc,
    group: aws.ec2.SecurityGroup,
  ): Record<string, pulumi.Output<string>> {
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const service of settings.services) {
      const endpoint = new aws.ec2.VpcEndpoint(
        ...transform(
          args.transforms?.interfaceEndpoint,
          childName(name, `vpce-${service}`),
          {
            vpcId: vpc.vpcId,
            serviceName: Network.serviceName(environment, service),
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: vpc.privateSubnetIds,
            securityGroupIds: [group.id],
          },
          { parent: this },
        ),
      );
      ids[service] = endpoint.id;
    }
    return ids;
  }
}
