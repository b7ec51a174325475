import { z } from "zod";

/**
 * The stack outputs contract: what the program exports and what shopctl reads back (status,
 * failover, reindex). Bump OUTPUTS_CONTRACT_VERSION on any breaking change; the CLI refuses a
 * stack whose outputs carry another version.
 */
export const OUTPUTS_CONTRACT_VERSION = 1;

/** Names (not values) of the SSM parameters the app reads at start; failover rewrites them. */
const runtimeParametersSchema = z.object({
  /** `host:port` of the writer database in this region (the replica's, after promotion). */
  databaseEndpoint: z.string(),
  /** ARN of the Secrets Manager secret holding the database credentials. */
  databaseSecretArn: z.string(),
  /** `https://` endpoint of this region's OpenSearch domain. */
  searchEndpoint: z.string(),
  /** The alias the app queries (`products`). */
  indexAlias: z.string(),
});

const regionOutputsSchema = z.object({
  region: z.string(),
  albDnsName: z.string(),
  albArn: z.string(),
  targetGroupArn: z.string(),
  asgName: z.string(),
  /** The primary instance in the primary region; the cross-region replica in the DR region. */
  databaseInstanceId: z.string(),
  databaseArn: z.string(),
  searchDomainName: z.string(),
  searchEndpoint: z.string(),
  backupVaultName: z.string(),
  /** The composite "platform unhealthy" alarm of this region (absent where the region runs no full platform). */
  platformAlarmName: z.string().optional(),
  /** The single-metric healthy-hosts alarm Route 53's health check follows. */
  healthyHostsAlarmName: z.string().optional(),
  alarmTopicArn: z.string(),
  /** The web fleet's instance role in this region (the drill's app instance runs with the DR one). */
  instanceRoleArn: z.string().optional(),
  /** The database secret this region's fleet reads as the stack declares it (the DR region: the replica). */
  databaseSecretArn: z.string().optional(),
  runtimeParameters: runtimeParametersSchema,
});

const dnsOutputsSchema = z.object({
  zoneId: z.string(),
  /** `origin.<domain>`: the failover record pair CloudFront's dynamic origin points at. */
  originRecordName: z.string(),
  primaryRecordSetId: z.string(),
  /** Present when the stack has a DR region. */
  secondaryRecordSetId: z.string().optional(),
  /** The CLOUDWATCH_METRIC health check attached to the PRIMARY record; failover inverts it. Present with DR. */
  primaryHealthCheckId: z.string().optional(),
});

export const stackOutputsSchema = z.object({
  contractVersion: z.literal(OUTPUTS_CONTRACT_VERSION),
  project: z.string(),
  stack: z.string(),
  tier: z.enum(["dev", "staging", "prod"]),
  drStrategy: z.enum(["none", "pilot-light", "warm-standby"]),
  siteUrl: z.string(),
  /** RPO budget the failover preflight and replica-lag alarm use. */
  rpoSeconds: z.number(),
  /** The fleet size the DR region scales to on failover. */
  drTargetCapacity: z.number().optional(),
  primary: regionOutputsSchema,
  dr: regionOutputsSchema.optional(),
  dns: dnsOutputsSchema.optional(),
  cdn: z.object({ distributionId: z.string(), domainName: z.string(), webAclArn: z.string() }),
  assetBucketName: z.string(),
  opsRoleArn: z.string(),
  /** The database the app uses on the primary instance (and on the replica, which copies it). */
  databaseName: z.string().optional(),
  /** AWS Backup's service role for the stack's plans; `shopctl drill` restores with it. */
  backupRoleArn: z.string().optional(),
});

export type RuntimeParameterNames = z.infer<typeof runtimeParametersSchema>;
export type RegionOutputs = z.infer<typeof regionOutputsSchema>;
export type DnsOutputs = z.infer<typeof dnsOutputsSchema>;
export type StackOutputs = z.infer<typeof stackOutputsSchema>;

/** Validate outputs read back from a stack (Automation API, `pulumi stack output --json`). */
export function parseStackOutputs(value: unknown, stack = "stack"): StackOutputs {
  const result = stackOutputsSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  throw new Error(`the outputs of ${stack} do not match shop-platform's outputs contract v${OUTPUTS_CONTRACT_VERSION} (deployed by another version?):\n  ${problems.join("\n  ")}`);
}
