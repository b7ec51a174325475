import { z } from "zod";
import { BACKUP_CRON, DNS_NAME, GRAVITON_INSTANCE } from "../../components/common/patterns.js";
import { AWS_REGIONS, DATA_RESIDENCIES } from "./regions.js";

// Every message below completes the sentence "expected …": the loader prints it beside the value found.

const intIn = (min: number, max: number) =>
  z.int({ error: `an integer from ${min} to ${max}` })
    .min(min, { error: `an integer from ${min} to ${max}` })
    .max(max, { error: `an integer from ${min} to ${max}` });

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `one of ${values.join(" | ")}` });

const flag = z.boolean({ error: "true or false" });

const text = (what: string) => z.union([z.string(), z.number()], { error: what })
  .transform(String)
  .pipe(z.string().trim().min(1, { error: what }));

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];
export const DR_STRATEGIES = ["none", "pilot-light", "warm-standby"] as const;
export type DrStrategy = (typeof DR_STRATEGIES)[number];

const region = z.enum(AWS_REGIONS, { error: "an AWS region such as eu-west-1 or us-east-1" });

/** Private IPv4 space only: the VPC is never meant to overlap public addresses. */
const PRIVATE_CIDR =
  /^(10\.\d{1,3}|172\.(1[6-9]|2\d|3[01])|192\.168)\.\d{1,3}\.\d{1,3}\/(1[6-9]|20)$/;

const backupRule = z.strictObject({
  schedule: z.string({ error: "an AWS Backup cron expression such as cron(0 3 * * ? *)" })
    .regex(BACKUP_CRON, { error: "an AWS Backup cron expression with six fields, such as cron(0 3 * * ? *)" }).describe("When the rule runs: an AWS Backup cron expression (UTC) with six fields."),
  retentionDays: intIn(1, 36500).describe("Days each recovery point is kept in the primary vault."),
  copyRetentionDays: intIn(1, 36500).describe("Days the copy in the DR vault is kept."),
});

export const stackConfigSchema = z.strictObject({
  tier: oneOf(TIERS).describe("The stack's tier: it picks the tier defaults and how strict the checks are. dev is small and cheap; prod is the secure, resilient baseline."),
  primaryRegion: region.describe("The AWS region the platform runs in. If the stack file also sets aws:region, it must be the same region."),
  drStrategy: oneOf(DR_STRATEGIES).describe("Disaster recovery into drRegion: none; pilot-light (data replicated, no web instances running there); warm-standby (data replicated and web.standbyCapacity instances running there)."),
  drRegion: region.optional().describe("The region to fail over to: required unless drStrategy is none; not primaryRegion, and in the same AWS partition."),
  dataResidency: oneOf(DATA_RESIDENCIES as [string, ...string[]]).describe("Where the data may live: any, or eu, us, ca or uk, which limit primaryRegion and drRegion to that jurisdiction's regions."),
  domain: z.string({ error: "a DNS name such as shop.example.com" })
    .regex(DNS_NAME, { error: "a lower-case DNS name such as shop.example.com" }).optional().describe("The storefront's DNS name, such as shop.example.com: required outside dev, and whenever hostedZoneId is set."),
  hostedZoneId: z.string({ error: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }).optional().describe("The Route 53 hosted zone that holds domain: required outside dev."),
  recovery: z.strictObject({
    rpoSeconds: intIn(1, 86_400).describe("Recovery point objective: the most data loss tolerated, in seconds. The database replica-lag alarm fires above it."),
    rtoMinutes: intIn(1, 1_440).describe("Recovery time objective: the longest outage tolerated, in minutes."),
  }).describe("The recovery objectives the stack is held to."),
  network: z.strictObject({
    cidr: z.string({ error: "a private IPv4 CIDR from /16 to /20, such as 10.30.0.0/16" })
      .regex(PRIVATE_CIDR, { error: "a private IPv4 CIDR (10/8, 172.16/12 or 192.168/16) from /16 to /20, such as 10.30.0.0/16" }).describe("The VPC's IPv4 range: private address space, from /16 to /20."),
    azCount: intIn(2, 6).describe("How many availability zones the VPC spans."),
    nat: oneOf(["single", "per-az"]).describe("NAT gateways: single (one, cheaper, one zone's outage cuts egress) or per-az (one in each availability zone)."),
    interfaceEndpoints: flag.describe("Create interface endpoints (PrivateLink) in the private subnets for the AWS services the instances call."),
  }).describe("The VPC in each region."),
  web: z.strictObject({
    instanceType: z.string({ error: "an arm64 (Graviton) EC2 instance type such as t4g.small or m7g.large" })
      .regex(GRAVITON_INSTANCE, { error: "an arm64 (Graviton) EC2 instance type such as t4g.small or m7g.large, because the web tier runs the arm64 Amazon Linux 2023 AMI" }).describe("EC2 instance type of the web fleet: arm64 (Graviton) only, because the fleet runs the arm64 Amazon Linux 2023 AMI."),
    minSize: intIn(0, 1000).describe("The fewest instances the auto scaling group keeps; at most maxSize."),
    maxSize: intIn(1, 1000).describe("The most instances the auto scaling group may run."),
    desiredCapacity: intIn(0, 1000).describe("Instances to start with, between minSize and maxSize; scaling adjusts it afterwards."),
    cpuTarget: intIn(10, 90).describe("Average CPU utilisation, in percent, that target-tracking scaling holds the fleet at."),
    appPort: intIn(1024, 65535).describe("The port the app listens on in each instance; the load balancer forwards to it."),
    tlsToTargets: flag.describe("Encrypt from the load balancer to the instances: the app serves HTTPS on appPort with a self-signed certificate each instance generates at boot (the load balancer does not validate it), and the target group and its health checks use HTTPS."),
    idleTimeoutSeconds: intIn(1, 4000).describe("Seconds a connection may stay idle before the load balancer closes it."),
    standbyCapacity: intIn(0, 1000).describe("Web instances the DR region keeps running under warm-standby; at most maxSize."),
  }).describe("The storefront's EC2 fleet behind the load balancer."),
  database: z.strictObject({
    engineVersion: z.string({ error: "a PostgreSQL version from 14 to 17 such as \"16\" or \"16.4\" (quoted)" })
      .regex(/^(1[4-7])(\.\d+)?$/, { error: "a PostgreSQL version from 14 to 17 such as \"16\" or \"16.4\" (quoted)" }).describe("PostgreSQL version, major (14 to 17) or major.minor, as a quoted string such as \"16\"."),
    instanceClass: z.string({ error: "an RDS instance class such as db.t4g.micro or db.r7g.large" })
      .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, { error: "an RDS instance class such as db.t4g.micro or db.r7g.large" }).describe("RDS instance class."),
    allocatedStorageGb: intIn(20, 65_536).describe("Storage allocated when the instance is created, in GB."),
    maxAllocatedStorageGb: intIn(22, 65_536).describe("Upper limit for RDS storage autoscaling, in GB: at least 10% above allocatedStorageGb."),
    multiAz: flag.describe("Keep a synchronous standby in a second availability zone."),
    backupRetentionDays: intIn(1, 35).describe("Days RDS keeps automated backups: the point-in-time recovery window."),
    deletionProtection: flag.describe("RDS refuses to delete the instance while this is on."),
  }).describe("The PostgreSQL database (Amazon RDS)."),
  search: z.strictObject({
    engineVersion: z.string({ error: "an OpenSearch 2.x engine version such as OpenSearch_2.19" })
      .regex(/^OpenSearch_2\.\d+$/, { error: "an OpenSearch 2.x engine version such as OpenSearch_2.19" }).describe("OpenSearch engine version (2.x)."),
    instanceType: z.string({ error: "an OpenSearch instance type such as r6g.large.search" })
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as r6g.large.search" }).describe("Instance type of the data nodes."),
    instanceCount: intIn(1, 80).describe("Data nodes. Above 1, a multiple of the availability zones used (azCount, at most 3), so that zone awareness spreads them evenly."),
    dedicatedMasters: z.union([z.literal(0), z.literal(3), z.literal(5)], { error: "0, 3 or 5 dedicated master nodes" }).describe("Dedicated master nodes: 0, 3 or 5."),
    masterInstanceType: z.string({ error: "an OpenSearch instance type such as m6g.large.search" })
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as m6g.large.search" }).describe("Instance type of the dedicated master nodes, used when dedicatedMasters is above 0."),
    volumeGb: intIn(10, 16_384).describe("EBS volume size of each data node, in GB."),
  }).describe("The OpenSearch domain that serves catalog search."),
  backup: z.strictObject({
    daily: backupRule.describe("The daily backup rule."),
    monthly: backupRule.describe("The monthly backup rule."),
    coldStorageAfterDays: intIn(1, 36_500).optional().describe("Move monthly recovery points to cold storage after this many days; the monthly retentions must then be at least 90 days longer."),
    vaultLock: oneOf(["none", "governance", "compliance"]).describe("AWS Backup Vault Lock: none; governance (removable by users with IAM permission); compliance (nobody can remove it once its grace period ends)."),
  }).describe("AWS Backup: the plan's daily and monthly rules, cold storage and the vault lock."),
  alarms: z.strictObject({
    emails: z.array(z.email({ error: "an email address" }), { error: "a list of email addresses" }).describe("Addresses the alarm topic emails (each confirms its subscription once); prod needs at least one."),
  }).describe("Who hears about alarms."),
  opsRole: z.strictObject({
    trustedPrincipalArns: z.array(
      z.string({ error: "an IAM role or user ARN such as arn:aws:iam::123456789012:role/shop-prod-deployer" })
        .regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, { error: "an IAM role or user ARN such as arn:aws:iam::123456789012:role/shop-prod-deployer (not an account root: opsRole.allowAccountWithMfa trusts the account, with MFA)" }),
      { error: "a list of IAM role or user ARNs" },
    ).describe("Roles or users (such as the CI role) that may assume the ops role shopctl runs as. With allowAccountWithMfa off (prod's default) name at least one: the OpsRole component refuses a role nobody can assume."),
    allowAccountWithMfa: flag.describe("Also let the account's people assume the ops role, only when signed in with MFA. Off in prod, where only trustedPrincipalArns may."),
  }).describe("Who may assume the ops role that shopctl's status, failover, drills and reindex run as."),
  tags: z.strictObject({
    owner: text("the owning team or person, a non-empty string").describe("The owning team or person."),
    costCenter: text("a cost center, a non-empty string").describe("The cost center the stack's spend is charged to."),
  }, { error: "an object with owner and costCenter" }).describe("Tags every taggable resource carries (Owner and CostCenter, beside Project, Environment and Tier)."),
});

/** A stack config with every key resolved: what the program and the CLI work from. */
export type StackConfig = z.output<typeof stackConfigSchema>;

/** The top-level keys the schema accepts (without the `shop:` namespace). */
export const STACK_CONFIG_KEYS = Object.keys(stackConfigSchema.shape);
