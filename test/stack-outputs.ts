import type { RegionOutputs, StackOutputs } from "../stacks/outputs.js";

/** A region's outputs in the shape of the outputs contract, named after `prefix`. */
export function regionOutputs(region: string, prefix: string, overrides: Partial<RegionOutputs> = {}): RegionOutputs {
  return {
    region,
    albDnsName: `${prefix}-alb-123456.${region}.elb.amazonaws.com`,
    albArn: `arn:aws:elasticloadbalancing:${region}:123456789012:loadbalancer/app/${prefix}-alb/0123456789abcdef`,
    targetGroupArn: `arn:aws:elasticloadbalancing:${region}:123456789012:targetgroup/${prefix}-tg/0123456789abcdef`,
    asgName: `${prefix}-web`,
    databaseInstanceId: `${prefix}-db`,
    databaseArn: `arn:aws:rds:${region}:123456789012:db:${prefix}-db`,
    searchDomainName: `${prefix}-search`,
    searchEndpoint: `vpc-${prefix}-search-abc.${region}.es.amazonaws.com`,
    backupVaultName: `${prefix}-vault`,
    platformAlarmName: `${prefix}-platform-unhealthy`,
    healthyHostsAlarmName: `${prefix}-healthy-hosts`,
    alarmTopicArn: `arn:aws:sns:${region}:123456789012:${prefix}-alarms`,
    runtimeParameters: {
      databaseEndpoint: `/${prefix}/database/endpoint`,
      databaseSecretArn: `/${prefix}/database/secret-arn`,
      searchEndpoint: `/${prefix}/search/endpoint`,
      indexAlias: `/${prefix}/search/index-alias`,
    },
    ...overrides,
  };
}

/** Outputs of a deployed stack as the program exports them (contract v1), for stub engines. */
export function stackOutputs(stack: string, overrides: Partial<StackOutputs> = {}): StackOutputs {
  return {
    contractVersion: 1,
    project: "shop-platform",
    stack,
    tier: "prod",
    drStrategy: "warm-standby",
    siteUrl: "https://shop.example.com",
    rpoSeconds: 60,
    drTargetCapacity: 3,
    primary: regionOutputs("eu-west-1", `shop-${stack}`),
    dr: regionOutputs("eu-central-1", `shop-${stack}-dr`),
    cdn: { distributionId: "E2EXAMPLE12345", domainName: "d111111abcdef8.cloudfront.net", webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shop/abc" },
    assetBucketName: `shop-${stack}-assets`,
    opsRoleArn: "arn:aws:iam::123456789012:role/shop-ops",
    ...overrides,
  };
}
