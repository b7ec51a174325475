import { z } from "zod";
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
const DNS_NAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const BACKUP_CRON = /^cron\(\S+( \S+){5}\)$/;
/** The web tier runs the arm64 Amazon Linux 2023 AMI, so instance types must be Graviton. */
const GRAVITON_INSTANCE = /^[a-z]+\d+g[a-z]*\.(nano|micro|small|medium|large|\d*xlarge|metal)$/;

const backupRule = z.strictObject({
  schedule: z.string({ error: "an AWS Backup cron expression such as cron(0 3 * * ? *)" })
    .regex(BACKUP_CRON, { error: "an AWS Backup cron expression with six fields, such as cron(0 3 * * ? *)" }),
  retentionDays: intIn(1, 36500),
  copyRetentionDays: intIn(1, 36500),
});

export const stackConfigSchema = z.strictObject({
  tier: oneOf(TIERS),
  primaryRegion: region,
  drStrategy: oneOf(DR_STRATEGIES),
  drRegion: region.optional(),
  dataResidency: oneOf(DATA_RESIDENCIES as [string, ...string[]]),
  domain: z.string({ error: "a DNS name such as shop.example.com" })
    .regex(DNS_NAME, { error: "a lower-case DNS name such as shop.example.com" }).optional(),
  hostedZoneId: z.string({ error: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" })
    .regex(/^Z[A-Z0-9]{1,32}$/, { error: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }).optional(),
  recovery: z.strictObject({
    rpoSeconds: intIn(1, 86_400),
    rtoMinutes: intIn(1, 1_440),
  }),
  network: z.strictObject({
    cidr: z.string({ error: "a private IPv4 CIDR from /16 to /20, such as 10.30.0.0/16" })
      .regex(PRIVATE_CIDR, { error: "a private IPv4 CIDR (10/8, 172.16/12 or 192.168/16) from /16 to /20, such as 10.30.0.0/16" }),
    azCount: intIn(2, 6),
    nat: oneOf(["single", "per-az"]),
    interfaceEndpoints: flag,
  }),
  web: z.strictObject({
    instanceType: z.string({ error: "an arm64 (Graviton) EC2 instance type such as t4g.small or m7g.large" })
      .regex(GRAVITON_INSTANCE, { error: "an arm64 (Graviton) EC2 instance type such as t4g.small or m7g.large, because the web tier runs the arm64 Amazon Linux 2023 AMI" }),
    minSize: intIn(0, 1000),
    maxSize: intIn(1, 1000),
    desiredCapacity: intIn(0, 1000),
    cpuTarget: intIn(10, 90),
    appPort: intIn(1024, 65535),
    idleTimeoutSeconds: intIn(1, 4000),
    standbyCapacity: intIn(0, 1000),
  }),
  database: z.strictObject({
    engineVersion: z.string({ error: "a PostgreSQL version from 14 to 17 such as \"16\" or \"16.4\" (quoted)" })
      .regex(/^(1[4-7])(\.\d+)?$/, { error: "a PostgreSQL version from 14 to 17 such as \"16\" or \"16.4\" (quoted)" }),
    instanceClass: z.string({ error: "an RDS instance class such as db.t4g.micro or db.r7g.large" })
      .regex(/^db\.[a-z0-9-]+\.[a-z0-9]+$/, { error: "an RDS instance class such as db.t4g.micro or db.r7g.large" }),
    allocatedStorageGb: intIn(20, 65_536),
    maxAllocatedStorageGb: intIn(22, 65_536),
    multiAz: flag,
    backupRetentionDays: intIn(1, 35),
    deletionProtection: flag,
  }),
  search: z.strictObject({
    engineVersion: z.string({ error: "an OpenSearch 2.x engine version such as OpenSearch_2.19" })
      .regex(/^OpenSearch_2\.\d+$/, { error: "an OpenSearch 2.x engine version such as OpenSearch_2.19" }),
    instanceType: z.string({ error: "an OpenSearch instance type such as r6g.large.search" })
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as r6g.large.search" }),
    instanceCount: intIn(1, 80),
    dedicatedMasters: z.union([z.literal(0), z.literal(3), z.literal(5)], { error: "0, 3 or 5 dedicated master nodes" }),
    masterInstanceType: z.string({ error: "an OpenSearch instance type such as m6g.large.search" })
      .regex(/^[a-z0-9]+\.[a-z0-9]+\.search$/, { error: "an OpenSearch instance type such as m6g.large.search" }),
    volumeGb: intIn(10, 16_384),
  }),
  backup: z.strictObject({
    daily: backupRule,
    monthly: backupRule,
    coldStorageAfterDays: intIn(1, 36_500).optional(),
    vaultLock: oneOf(["none", "governance", "compliance"]),
  }),
  alarms: z.strictObject({
    emails: z.array(z.email({ error: "an email address" }), { error: "a list of email addresses" }),
  }),
  tags: z.strictObject({
    owner: text("the owning team or person, a non-empty string"),
    costCenter: text("a cost center, a non-empty string"),
  }, { error: "an object with owner and costCenter" }),
});

/** A stack config with every key resolved: what the program and the CLI work from. */
export type StackConfig = z.output<typeof stackConfigSchema>;

/** The top-level keys the schema accepts (without the `shop:` namespace). */
export const STACK_CONFIG_KEYS = Object.keys(stackConfigSchema.shape);
