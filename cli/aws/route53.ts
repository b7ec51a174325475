import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  UpdateHealthCheckCommand,
} from "@aws-sdk/client-route-53";
import { clientSettings } from "./client-config.js";

/** Route 53 is a global service whose control plane answers in us-east-1. */
const ROUTE53_REGION = "us-east-1";

async function withRoute53<T>(env: NodeJS.ProcessEnv, body: (client: Route53Client) => Promise<T>): Promise<T> {
  const client = new Route53Client(clientSettings("ROUTE_53", ROUTE53_REGION, env));
  try {
    return await body(client);
  } finally {
    client.destroy();
  }
}

export interface HealthCheckInfo {
  id: string;
  type: string;
  inverted: boolean;
  disabled: boolean;
  /** The CloudWatch alarm a CLOUDWATCH_METRIC check follows. */
  alarm: { name: string; region: string } | undefined;
}

export async function getHealthCheck(id: string, env: NodeJS.ProcessEnv): Promise<HealthCheckInfo> {
  const { HealthCheck: check } = await withRoute53(env, (client) => client.send(new GetHealthCheckCommand({ HealthCheckId: id })));
  const config = check?.HealthCheckConfig;
  const alarm = config?.AlarmIdentifier === undefined ? undefined : { name: config.AlarmIdentifier.Name ?? "", region: config.AlarmIdentifier.Region ?? "" };
  return { id, type: config?.Type ?? "UNKNOWN", inverted: config?.Inverted === true, disabled: config?.Disabled === true, alarm };
}

/**
 * Invert (or restore) a health check. Inverting the PRIMARY record's check fences the primary:
 * Route 53 then answers with the SECONDARY record, and a primary that recovers stays out.
 */
export async function setHealthCheckInverted(id: string, inverted: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  await withRoute53(env, (client) => client.send(new UpdateHealthCheckCommand({ HealthCheckId: id, Inverted: inverted })));
}

export interface HealthCheckStatus {
  /** Checkers reporting the endpoint healthy (after inversion). */
  healthy: number;
  unhealthy: number;
  /** Route 53 calls a check healthy when more than 18% of its checkers say so. */
  verdict: "healthy" | "unhealthy" | "unknown";
}

export async function healthCheckStatus(id: string, env: NodeJS.ProcessEnv): Promise<HealthCheckStatus> {
  const result = await withRoute53(env, (client) => client.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })));
  const reports = (result.HealthCheckObservations ?? []).map((observation) => observation.StatusReport?.Status ?? "");
  const healthy = reports.filter((status) => status.startsWith("Success")).length;
  const unhealthy = reports.filter((status) => status.startsWith("Failure")).length;
  const total = healthy + unhealthy;
  const verdict = total === 0 ? "unknown" : healthy / total > 0.18 ? "healthy" : "unhealthy";
  return { healthy, unhealthy, verdict };
}

export interface FailoverRecord {
  setIdentifier: string | undefined;
  failover: "PRIMARY" | "SECONDARY" | undefined;
  /** The alias target's DNS name, lower case, without a trailing dot or `dualstack.` prefix. */
  aliasDnsName: string | undefined;
  healthCheckId: string | undefined;
}

/** The A records named `name` in the zone: the PRIMARY/SECONDARY failover pair of `origin.<domain>`. */
export async function failoverRecords(zoneId: string, name: string, env: NodeJS.ProcessEnv): Promise<FailoverRecord[]> {
  const wanted = normalizeDnsName(name);
  const result = await withRoute53(env, (client) => client.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: "A", MaxItems: 10 })));
  return (result.ResourceRecordSets ?? [])
    .filter((record) => normalizeDnsName(record.Name ?? "") === wanted && record.Type === "A")
    .map((record) => ({
      setIdentifier: record.SetIdentifier,
      failover: record.Failover,
      aliasDnsName: record.AliasTarget?.DNSName === undefined ? undefined : normalizeDnsName(record.AliasTarget.DNSName),
      healthCheckId: record.HealthCheckId,
    }));
}

/** DNS names as Route 53 and ELB print them differ in case, trailing dot and the `dualstack.` prefix. */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");
}
