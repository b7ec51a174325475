import type { Tier } from "./schema.js";

/**
 * Sizing and safety defaults per tier. A stack file overrides any key; whatever it leaves out
 * comes from here. Prod is the secure, resilient baseline; dev is small and cheap.
 */
export const TIER_DEFAULTS: Record<Tier, Record<string, unknown>> = {
  dev: {
    drStrategy: "none",
    dataResidency: "any",
    recovery: { rpoSeconds: 3600, rtoMinutes: 240 },
    network: { cidr: "10.10.0.0/16", azCount: 2, nat: "single", interfaceEndpoints: false },
    web: {
      instanceType: "t4g.small", minSize: 1, maxSize: 2, desiredCapacity: 1, cpuTarget: 60,
      appPort: 8080, tlsToTargets: false, idleTimeoutSeconds: 60, standbyCapacity: 1,
    },
    database: {
      engineVersion: "16", instanceClass: "db.t4g.micro", allocatedStorageGb: 20, maxAllocatedStorageGb: 50,
      multiAz: false, backupRetentionDays: 7, deletionProtection: false,
    },
    search: {
      engineVersion: "OpenSearch_2.19", instanceType: "t3.small.search", instanceCount: 1,
      dedicatedMasters: 0, masterInstanceType: "m6g.large.search", volumeGb: 10,
    },
    backup: {
      daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 7, copyRetentionDays: 7 },
      monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 30, copyRetentionDays: 30 },
      vaultLock: "none",
    },
    alarms: { emails: [] },
    opsRole: { trustedPrincipalArns: [], allowAccountWithMfa: true },
  },
  staging: {
    drStrategy: "pilot-light",
    dataResidency: "any",
    recovery: { rpoSeconds: 300, rtoMinutes: 120 },
    network: { cidr: "10.20.0.0/16", azCount: 2, nat: "single", interfaceEndpoints: true },
    web: {
      instanceType: "t4g.medium", minSize: 2, maxSize: 4, desiredCapacity: 2, cpuTarget: 55,
      appPort: 8080, tlsToTargets: false, idleTimeoutSeconds: 60, standbyCapacity: 1,
    },
    database: {
      engineVersion: "16", instanceClass: "db.t4g.medium", allocatedStorageGb: 50, maxAllocatedStorageGb: 200,
      multiAz: true, backupRetentionDays: 14, deletionProtection: true,
    },
    search: {
      engineVersion: "OpenSearch_2.19", instanceType: "m6g.large.search", instanceCount: 2,
      dedicatedMasters: 0, masterInstanceType: "m6g.large.search", volumeGb: 20,
    },
    backup: {
      daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 14, copyRetentionDays: 14 },
      monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 90, copyRetentionDays: 90 },
      vaultLock: "none",
    },
    alarms: { emails: [] },
    opsRole: { trustedPrincipalArns: [], allowAccountWithMfa: true },
  },
  prod: {
    drStrategy: "warm-standby",
    dataResidency: "any",
    recovery: { rpoSeconds: 60, rtoMinutes: 30 },
    network: { cidr: "10.30.0.0/16", azCount: 3, nat: "per-az", interfaceEndpoints: true },
    web: {
      instanceType: "m7g.large", minSize: 3, maxSize: 12, desiredCapacity: 3, cpuTarget: 50,
      appPort: 8080, tlsToTargets: true, idleTimeoutSeconds: 60, standbyCapacity: 2,
    },
    database: {
      engineVersion: "16", instanceClass: "db.r7g.large", allocatedStorageGb: 100, maxAllocatedStorageGb: 1000,
      multiAz: true, backupRetentionDays: 35, deletionProtection: true,
    },
    search: {
      engineVersion: "OpenSearch_2.19", instanceType: "r6g.large.search", instanceCount: 3,
      dedicatedMasters: 3, masterInstanceType: "m6g.large.search", volumeGb: 100,
    },
    backup: {
      daily: { schedule: "cron(0 3 * * ? *)", retentionDays: 35, copyRetentionDays: 35 },
      monthly: { schedule: "cron(0 4 1 * ? *)", retentionDays: 365, copyRetentionDays: 365 },
      vaultLock: "governance",
    },
    alarms: { emails: [] },
    // Only named principals (the CI role) assume the ops role in prod: Pulumi.prod.yaml names one.
    opsRole: { trustedPrincipalArns: [], allowAccountWithMfa: false },
  },
};
