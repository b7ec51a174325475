// A two-region stack built in moto (the test services' AWS imitation on 127.0.0.1) through the
// SDK, and the outputs that name it: what the DR integration tests run shopctl against.
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { BackupClient, CreateBackupVaultCommand } from "@aws-sdk/client-backup";
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateLaunchTemplateCommand, CreateSecurityGroupCommand, DescribeImagesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { CreateDomainCommand, OpenSearchClient } from "@aws-sdk/client-opensearch";
import { CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, CreateDBSubnetGroupCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { ChangeResourceRecordSetsCommand, CreateHealthCheckCommand, CreateHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PutParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { StackOutputs } from "../../../stacks/outputs.js";
import { regionOutputs, stackOutputs } from "../../../test/stack-outputs.js";

export const PRIMARY = "eu-west-1";
export const DR = "eu-central-1";
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

export interface MotoWorld {
  id: string;
  outputs: StackOutputs;
  healthCheckId: string;
  zoneId: string;
  secretArn: string;
  drLaunchTemplateId: string;
}

interface WorldOptions {
  motoUrl: string;
  siteUrl: string;
  /** The DR launch template's user data (the drill rewrites it). */
  drUserData: string;
  /** ReplicaLag datapoints to publish for the replica: seconds at an offset from now. */
  lag: { offsetMs: number; seconds: number }[];
}

function clients(motoUrl: string, region: string) {
  const config = { region, endpoint: motoUrl, credentials };
  return {
    rds: new RDSClient(config), ec2: new EC2Client(config), elb: new ElasticLoadBalancingV2Client(config), asg: new AutoScalingClient(config),
    cloudwatch: new CloudWatchClient(config), ssm: new SSMClient(config), kms: new KMSClient(config), opensearch: new OpenSearchClient(config),
    backup: new BackupClient(config), secrets: new SecretsManagerClient(config),
  };
}

async function network(c: ReturnType<typeof clients>, name: string) {
  const vpc = (await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "isDefault", Values: ["true"] }] }))).Vpcs?.[0]?.VpcId ?? "";
  const subnets = ((await c.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpc] }] }))).Subnets ?? []).map((subnet) => subnet.SubnetId ?? "").slice(0, 2);
  const group = async (suffix: string) => (await c.ec2.send(new CreateSecurityGroupCommand({ GroupName: `${name}-${suffix}`, Description: `${name} ${suffix}`, VpcId: vpc }))).GroupId ?? "";
  return { vpc, subnets, webGroup: await group("web"), dbGroup: await group("db") };
}

async function webTier(c: ReturnType<typeof clients>, name: string, net: Awaited<ReturnType<typeof network>>, size: number, userData: string) {
  const balancer = (await c.elb.send(new CreateLoadBalancerCommand({ Name: `${name}-alb`, Subnets: net.subnets, SecurityGroups: [net.webGroup] }))).LoadBalancers?.[0];
  const targetGroup = (await c.elb.send(new CreateTargetGroupCommand({ Name: `${name}-tg`, Protocol: "HTTP", Port: 8080, VpcId: net.vpc, TargetType: "instance" }))).TargetGroups?.[0]?.TargetGroupArn ?? "";
  const image = (await c.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images?.[0]?.ImageId ?? "ami-12c6146b";
  const template = (await c.ec2.send(new CreateLaunchTemplateCommand({
    LaunchTemplateName: `${name}-lt`,
    LaunchTemplateData: { ImageId: image, InstanceType: "t4g.small", UserData: Buffer.from(userData).toString("base64"), SecurityGroupIds: [net.webGroup] },
  }))).LaunchTemplate?.LaunchTemplateId ?? "";
  await c.asg.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: `${name}-web`, LaunchTemplate: { LaunchTemplateId: template, Version: "1" }, MinSize: size, MaxSize: 12, DesiredCapacity: size,
    VPCZoneIdentifier: net.subnets.join(","), TargetGroupARNs: [targetGroup],
  }));
  return { albArn: balancer?.LoadBalancerArn ?? "", albDnsName: balancer?.DNSName ?? "", canonicalZone: balancer?.CanonicalHostedZoneId ?? "Z32O12XQLNTSW2", targetGroup, template };
}

/** Build the world; every name carries `id`, so runs against a long-lived moto never collide. */
export async function buildMotoWorld(id: string, options: WorldOptions): Promise<MotoWorld> {
  const primary = clients(options.motoUrl, PRIMARY);
  const dr = clients(options.motoUrl, DR);
  const project = `shop-${id}`;
  const [pNet, dNet] = await Promise.all([network(primary, `${id}-p`), network(dr, `${id}-d`)]);

  // One subnet group name in both regions: moto resolves a cross-region replica's group in either.
  for (const [c, net] of [[primary, pNet], [dr, dNet]] as const) {
    await c.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: `${id}-db-subnets`, DBSubnetGroupDescription: id, SubnetIds: net.subnets }));
  }
  const primaryDb = (await primary.rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: `${id}-db`, DBInstanceClass: "db.t4g.micro", Engine: "postgres", EngineVersion: "16.4", AllocatedStorage: 20, MultiAZ: true, BackupRetentionPeriod: 7,
    MasterUsername: "shop", MasterUserPassword: "not-a-real-password-1", DBSubnetGroupName: `${id}-db-subnets`, VpcSecurityGroupIds: [pNet.dbGroup], StorageEncrypted: true,
  }))).DBInstance;
  await dr.rds.send(new CreateDBInstanceReadReplicaCommand({
    DBInstanceIdentifier: `${id}-dr-db`, SourceDBInstanceIdentifier: primaryDb?.DBInstanceArn, DBInstanceClass: "db.t4g.micro",
    DBSubnetGroupName: `${id}-db-subnets`, VpcSecurityGroupIds: [dNet.dbGroup],
  }));
  const replica = (await dr.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: `${id}-dr-db` }))).DBInstances?.[0];

  const [pWeb, dWeb] = await Promise.all([
    webTier(primary, `${id}-p`, pNet, 2, "#cloud-config\n{}\n"),
    webTier(dr, `${id}-d`, dNet, 1, options.drUserData),
  ]);

  const route53 = new Route53Client({ region: "us-east-1", endpoint: options.motoUrl, credentials });
  const zone = (await route53.send(new CreateHostedZoneCommand({ Name: `${id}.example.com`, CallerReference: id }))).HostedZone?.Id?.replace("/hostedzone/", "") ?? "";
  const healthCheckId = (await route53.send(new CreateHealthCheckCommand({
    CallerReference: `${id}-hc`,
    HealthCheckConfig: { Type: "CLOUDWATCH_METRIC", AlarmIdentifier: { Region: PRIMARY, Name: `${id}-p-alb-healthy-hosts` }, InsufficientDataHealthStatus: "LastKnownStatus" },
  }))).HealthCheck?.Id ?? "";
  const record = `origin.${id}.example.com`;
  await route53.send(new ChangeResourceRecordSetsCommand({
    HostedZoneId: zone,
    ChangeBatch: {
      Changes: [
        { Action: "UPSERT", ResourceRecordSet: { Name: record, Type: "A", SetIdentifier: "primary", Failover: "PRIMARY", HealthCheckId: healthCheckId, AliasTarget: { HostedZoneId: pWeb.canonicalZone, DNSName: pWeb.albDnsName, EvaluateTargetHealth: true } } },
        { Action: "UPSERT", ResourceRecordSet: { Name: record, Type: "A", SetIdentifier: "secondary", Failover: "SECONDARY", AliasTarget: { HostedZoneId: dWeb.canonicalZone, DNSName: dWeb.albDnsName, EvaluateTargetHealth: true } } },
      ],
    },
  }));

  const now = Date.now();
  await dr.cloudwatch.send(new PutMetricDataCommand({
    Namespace: "AWS/RDS",
    MetricData: options.lag.map((point) => ({ MetricName: "ReplicaLag", Dimensions: [{ Name: "DBInstanceIdentifier", Value: `${id}-dr-db` }], Timestamp: new Date(now + point.offsetMs), Value: point.seconds, Unit: "Seconds" })),
  }));
  // After a promotion the replica-lag alarm fires by design (missing data is breaching): verification leaves it out.
  await dr.cloudwatch.send(new PutMetricAlarmCommand({
    AlarmName: `${id}-dr-observability-rds-replica-lag`, Namespace: "AWS/RDS", MetricName: "ReplicaLag", Statistic: "Maximum", Period: 60, EvaluationPeriods: 3, Threshold: 60,
    ComparisonOperator: "GreaterThanThreshold", Tags: [{ Key: "Project", Value: project }, { Key: "Environment", Value: "prod" }],
  }));
  await dr.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: `${id}-dr-observability-rds-replica-lag`, StateValue: "ALARM", StateReason: "no data since the promotion" }));

  const secretArn = (await primary.secrets.send(new CreateSecretCommand({ Name: `${id}-db-master`, SecretString: "{\"username\":\"shop\",\"password\":\"x\"}" }))).ARN ?? "";
  const parameters = { databaseEndpoint: `/${id}/dr/database-endpoint`, databaseSecretArn: `/${id}/dr/database-secret-arn`, searchEndpoint: `/${id}/dr/search-endpoint`, indexAlias: `/${id}/dr/index-alias` };
  const endpoint = `${replica?.Endpoint?.Address ?? ""}:${replica?.Endpoint?.Port ?? 5432}`;
  for (const [name, value] of [[parameters.databaseEndpoint, endpoint], [parameters.databaseSecretArn, secretArn], [parameters.searchEndpoint, "https://search"], [parameters.indexAlias, "products"]] as const) {
    await dr.ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true }));
  }
  await dr.opensearch.send(new CreateDomainCommand({ DomainName: `${id}-dr-search`.slice(0, 28), EngineVersion: "OpenSearch_2.19" }));
  const key = (await dr.kms.send(new CreateKeyCommand({ Description: `${id} database` }))).KeyMetadata?.KeyId ?? "";
  await dr.kms.send(new CreateAliasCommand({ AliasName: `alias/${project}-prod-database`, TargetKeyId: key }));
  await dr.backup.send(new CreateBackupVaultCommand({ BackupVaultName: `${id}-dr-vault` }));
  await primary.backup.send(new CreateBackupVaultCommand({ BackupVaultName: `${id}-p-vault` }));
  // Wait until moto's groups report their instances (it launches them synchronously).
  await dr.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`${id}-d-web`] }));

  const side = (region: string, prefix: string, web: typeof pWeb, names: { db: string; search: string; vault: string }) => regionOutputs(region, prefix, {
    albArn: web.albArn, albDnsName: web.albDnsName, targetGroupArn: web.targetGroup, asgName: `${prefix}-web`,
    databaseInstanceId: names.db, databaseArn: `arn:aws:rds:${region}:123456789012:db:${names.db}`, searchDomainName: names.search, backupVaultName: names.vault,
  });
  const outputs = stackOutputs("prod", {
    project,
    siteUrl: options.siteUrl,
    rpoSeconds: 60,
    drTargetCapacity: 2,
    primary: side(PRIMARY, `${id}-p`, pWeb, { db: `${id}-db`, search: `${id}-search`, vault: `${id}-p-vault` }),
    dr: { ...side(DR, `${id}-d`, dWeb, { db: `${id}-dr-db`, search: `${id}-dr-search`.slice(0, 28), vault: `${id}-dr-vault` }), runtimeParameters: parameters, platformAlarmName: `${id}-dr-platform-unhealthy` },
    dns: { zoneId: zone, originRecordName: record, primaryRecordSetId: "primary", secondaryRecordSetId: "secondary", primaryHealthCheckId: healthCheckId },
  });
  for (const c of [primary, dr]) for (const client of Object.values(c)) client.destroy();
  route53.destroy();
  return { id, outputs, healthCheckId, zoneId: zone, secretArn, drLaunchTemplateId: dWeb.template };
}
