import { ListRecoveryPointsByBackupVaultCommand, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { DescribeDomainCommand, ResourceNotFoundException } from "@aws-sdk/client-opensearch";
import { ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withRetry } from "./retry.js";
import { assessReadiness, renderReadiness, verdictOf } from "./readiness.js";
import { DR, DrScenario, scenarioOutputs } from "./testing/scenario.js";

let scenario: DrScenario;
beforeEach(() => { scenario = new DrScenario(); });
afterEach(() => { scenario.restore(); });

const assess = (outputs = scenario.outputs, maxLagSeconds = 60) => assessReadiness(outputs, {
  env: {},
  call: (what, fn) => withRetry(what, fn, { clock: scenario.clock }),
  now: new Date(scenario.clock.now()),
  maxLagSeconds,
});
const statusOf = (readiness: Awaited<ReturnType<typeof assess>>) => Object.fromEntries(readiness.checks.map((check) => [check.id, check.status]));

describe("assessReadiness", () => {
  it("READY: every part of the DR region checks out", async () => {
    const readiness = await assess();
    expect(readiness.verdict).toBe("READY");
    expect(readiness.reasons).toEqual([]);
    expect(readiness.region).toBe(DR);
    expect(readiness.checks.map((check) => check.id)).toEqual(["replica", "replica-lag", "fleet", "launch-template", "load-balancer", "targets", "dns", "health-check", "recovery-point", "copy-jobs", "kms", "search"]);
    const text = renderReadiness(scenario.outputs, readiness);
    expect(text).toContain("DR readiness of prod (warm-standby, DR region eu-central-1): READY");
    expect(text).toMatch(/ok {4}replica-lag {5}12s behind \(limit 60s\)/);
    expect(text).toMatch(/recovery-point +newest .* \(5h00m old: the RPO if the replica were lost too; replica RPO budget 60s\)/);
  });

  it("DEGRADED: a stale recovery point, failed copy jobs, the health check already inverted", async () => {
    scenario.mocks.backup.on(ListRecoveryPointsByBackupVaultCommand).resolves({ RecoveryPoints: [{ RecoveryPointArn: "rp", CreationDate: new Date(scenario.clock.now() - 30 * 3_600_000), Status: "COMPLETED", ResourceType: "RDS" }] });
    scenario.mocks.backup.on(ListCopyJobsCommand, { ByState: "FAILED" }).resolves({ CopyJobs: [{ CopyJobId: "copy-1", State: "FAILED", StatusMessage: "KMS key not accessible", DestinationBackupVaultArn: `arn:aws:backup:${DR}:123456789012:backup-vault:shop-prod-dr-vault` }] });
    scenario.inverted = true;
    const readiness = await assess();
    expect(readiness.verdict).toBe("DEGRADED");
    expect(statusOf(readiness)).toMatchObject({ "recovery-point": "warn", "copy-jobs": "warn", "health-check": "warn", replica: "ok" });
    expect(readiness.reasons).toContain("copy-jobs: 1 copy job into shop-prod-dr-vault failed in 7 days");
    expect(readiness.reasons.some((reason) => reason.startsWith("health-check: hc-0123456789abcdef is inverted: the primary is fenced"))).toBe(true);
  });

  it("NOT READY: a promoted replica, lag over the limit, a missing search domain", async () => {
    scenario.lagSeconds = 300;
    expect(statusOf(await assess())["replica-lag"]).toBe("fail");
    scenario.replica.source = undefined;
    scenario.mocks.opensearch.on(DescribeDomainCommand).rejects(new ResourceNotFoundException({ message: "Domain not found", $metadata: {} }));
    const readiness = await assess();
    expect(readiness.verdict).toBe("NOT READY");
    expect(readiness.reasons).toContain("replica: shop-prod-dr-db is a standalone instance, not a replica (promoted by a failover?)");
    expect(readiness.reasons).toContain("search: OpenSearch domain shop-prod-dr-search not found");
  });

  it("NOT READY when a critical part cannot be read; DEGRADED when a minor one cannot", async () => {
    scenario.mocks.route53.on(ListResourceRecordSetsCommand).rejects(Object.assign(new Error("not authorized to perform route53:ListResourceRecordSets"), { name: "AccessDenied" }));
    const readiness = await assess();
    expect(readiness.verdict).toBe("NOT READY");
    expect(readiness.reasons[0]).toBe("dns: could not read: AccessDenied: not authorized to perform route53:ListResourceRecordSets");
    expect(verdictOf([{ id: "search", status: "error", summary: "x" }]).verdict).toBe("DEGRADED");
  });

  it("NOT READY when the SECONDARY record does not alias the DR load balancer", async () => {
    scenario.mocks.route53.on(ListResourceRecordSetsCommand).resolves({ IsTruncated: false, MaxItems: 10, ResourceRecordSets: [
      { Name: "origin.shop.example.com.", Type: "A", SetIdentifier: "primary", Failover: "PRIMARY", HealthCheckId: "hc-0123456789abcdef", AliasTarget: { HostedZoneId: "Z", DNSName: "primary.elb.amazonaws.com.", EvaluateTargetHealth: true } },
      { Name: "origin.shop.example.com.", Type: "A", SetIdentifier: "secondary", Failover: "SECONDARY", AliasTarget: { HostedZoneId: "Z", DNSName: "somewhere-else.elb.amazonaws.com.", EvaluateTargetHealth: true } },
    ] });
    const readiness = await assess();
    expect(readiness.reasons[0]).toContain("the SECONDARY record aliases somewhere-else.elb.amazonaws.com, not the DR load balancer");
  });

  it("NOT READY for a stack without a DR region, without any AWS call", async () => {
    const readiness = await assess(scenarioOutputs({ dr: undefined, drStrategy: "none" }));
    expect(readiness.verdict).toBe("NOT READY");
    expect(readiness.reasons).toEqual(["replica: stack prod has no DR region (drStrategy none)"]);
    expect(scenario.count("DescribeDBInstances")).toBe(0);
  });
});
