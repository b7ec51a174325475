// A scripted DR scenario for unit tests: aws-sdk-client-mock answers every SDK call the DR
// engine makes, from a small state that the mutating calls change and fake time moves on, so a
// test can walk a failover through its in-between states (a replica that still looks available
// after the promotion request, lag that shrinks minute by minute, targets that turn healthy,
// throttling) in milliseconds. Not an imitation of AWS: each answer is scripted for these tests.
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { BackupClient, DescribeBackupVaultCommand, DescribeRestoreJobCommand, GetRecoveryPointRestoreMetadataCommand, ListCopyJobsCommand, ListRecoveryPointsByBackupVaultCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListTagsForResourceCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client, RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { DescribeLoadBalancersCommand, DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeKeyCommand, KMSClient, ListAliasesCommand } from "@aws-sdk/client-kms";
import { DescribeDomainCommand, OpenSearchClient } from "@aws-sdk/client-opensearch";
import { CreateDBInstanceReadReplicaCommand, DBInstanceNotFoundFault, DeleteDBInstanceCommand, DescribeDBInstancesCommand, ModifyDBInstanceCommand, PromoteReadReplicaCommand, RDSClient, type DBInstance } from "@aws-sdk/client-rds";
import { ChangeResourceRecordSetsCommand, GetHealthCheckCommand, GetHealthCheckStatusCommand, ListResourceRecordSetsCommand, Route53Client, UpdateHealthCheckCommand } from "@aws-sdk/client-route-53";
import { DescribeSecretCommand, ResourceNotFoundException, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetCommandInvocationCommand, GetParametersCommand, PutParameterCommand, SendCommandCommand, SSMClient } from "@aws-sdk/client-ssm";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { regionOutputs, stackOutputs } from "../../../test/stack-outputs.js";
import type { StackOutputs } from "../../../stacks/outputs.js";
import { FakeClock } from "../clock.js";
import type { HttpProbe } from "../probe.js";

export const PRIMARY = "eu-west-1";
export const DR = "eu-central-1";
export const HEALTH_CHECK = "hc-0123456789abcdef";
export const ZONE = "Z0PRODEXAMPLE00001";
export const RECORD = "origin.shop.example.com";
export const SECRET = `arn:aws:secretsmanager:${PRIMARY}:123456789012:secret:shop-prod-db-AbCdEf`;

/** The prod outputs the scenario answers for: the contract with the DNS failover pair. */
export function scenarioOutputs(overrides: Partial<StackOutputs> = {}): StackOutputs {
  return stackOutputs("prod", {
    primary: regionOutputs(PRIMARY, "shop-prod"),
    dr: regionOutputs(DR, "shop-prod-dr"),
    dns: { zoneId: ZONE, originRecordName: RECORD, primaryRecordSetId: "primary-id", secondaryRecordSetId: "secondary-id", primaryHealthCheckId: HEALTH_CHECK },
    drTargetCapacity: 3,
    ...overrides,
  });
}

const MINUTE = 60_000;

export interface ScenarioDatabase {
  id: string;
  region: string;
  arn: string;
  status: string;
  source: string | undefined;
  multiAz: boolean;
  pendingMultiAz: boolean;
  retention: number;
  /** What the next describes show, one step per describe (promotion, renaming, creation). */
  script: { status: string; standalone: boolean; renamedTo?: string }[];
  kmsKeyId: string;
  subnetGroup: string;
  securityGroupIds: string[];
  instanceClass: string;
}

export class ThrottlingError extends Error {
  readonly $metadata = { httpStatusCode: 400 };
  constructor() {
    super("Rate exceeded");
    this.name = "ThrottlingException";
  }
}

interface Fleet {
  min: number;
  max: number;
  desired: number;
  /** Instances still terminating after a scale-in, or still booting after a scale-out. */
  changedAt: number | undefined;
}

type Mocks = ReturnType<typeof createMocks>;

function createMocks() {
  return {
    rds: mockClient(RDSClient),
    asg: mockClient(AutoScalingClient),
    cloudwatch: mockClient(CloudWatchClient),
    route53: mockClient(Route53Client),
    elb: mockClient(ElasticLoadBalancingV2Client),
    ssm: mockClient(SSMClient),
    secrets: mockClient(SecretsManagerClient),
    sts: mockClient(STSClient),
    backup: mockClient(BackupClient),
    kms: mockClient(KMSClient),
    opensearch: mockClient(OpenSearchClient),
    ec2: mockClient(EC2Client),
  };
}

/** The mutating calls, in the order the engine made them. */
export const MUTATING = ["CreateDBInstanceReadReplica", "UpdateHealthCheck", "UpdateAutoScalingGroup", "PromoteReadReplica", "ModifyDBInstance", "PutParameter", "PutMetricData", "ChangeResourceRecordSets", "StartRestoreJob", "RunInstances", "TerminateInstances", "DeleteDBInstance"] as const;
export type MutatingCall = (typeof MUTATING)[number];

export class DrScenario {
  readonly clock = new FakeClock();
  readonly mocks: Mocks = createMocks();
  /** Every mutating call: `<Command> <detail>`. */
  readonly mutations: string[] = [];
  readonly probeCalls: string[] = [];

  inverted = false;
  readonly fleets: Record<string, Fleet> = {
    [PRIMARY]: { min: 3, max: 12, desired: 3, changedAt: undefined },
    [DR]: { min: 2, max: 12, desired: 2, changedAt: undefined },
  };
  /** The RDS instances by identifier (identifiers differ across the scenario's two regions). */
  readonly databases = new Map<string, ScenarioDatabase>();
  /** Statuses DescribeDBInstances walks through after PromoteReadReplica (the last one stays). */
  promotionScript: { status: string; standalone: boolean }[] = [
    { status: "available", standalone: false }, // the SDK waiter's trap: nothing visible yet
    { status: "modifying", standalone: false },
    { status: "rebooting", standalone: true },
    { status: "available", standalone: true },
  ];
  /** Replica lag before the fence; after it, lag shrinks by the minute to 0. */
  lagSeconds = 12;
  lagAfterFence: number[] = [8, 3, 0];
  /** No ReplicaLag datapoint at all (unknown lag). */
  lagMissing = false;
  readonly parameters: Record<string, string>;
  /** The Secrets Manager secrets that exist (DescribeSecret of any other ARN is ResourceNotFound). */
  readonly secrets = new Set<string>([SECRET]);
  /** Seconds after a scale-out until targets turn healthy. */
  targetWarmupMs = 90_000;
  firingAlarms: { name: string; tags: Record<string, string> }[] = [];
  /** Answers of the probe for /readyz, in order (the last repeats). */
  readyzAnswers: { status: number; body: string }[] = [{ status: 200, body: JSON.stringify({ status: "ok", region: DR }) }];
  /** The drill's world: the restore job, the restored database, the drill instance, the SSM check. */
  readonly drill = {
    jobStates: ["PENDING", "RUNNING", "COMPLETED"] as string[],
    jobId: undefined as string | undefined,
    database: undefined as { id: string; states: string[] } | undefined,
    instance: undefined as { id: string; states: string[]; tags: Record<string, string> } | undefined,
    /** SendCommand answers InvalidInstanceId this many times (the agent registers late). */
    agentLateBy: 1,
    /** What GetCommandInvocation reports, in order (the last repeats). */
    commandStates: ["InProgress", "Success"] as string[],
    /** The launch template's user data, and what the drill instance was started with. */
    userData: "",
    launchedUserData: "",
  };
  readonly outputs: StackOutputs;
  private readonly throttles = new Map<string, number>();
  private readonly faults: { command: string; occurrence: number; effect: "abort" | "lose-response"; controller?: AbortController }[] = [];
  private readonly counts = new Map<string, number>();

  constructor(outputs: StackOutputs = scenarioOutputs()) {
    this.outputs = outputs;
    const dr = outputs.dr;
    if (dr === undefined) throw new Error("scenario outputs need a DR region");
    const database = (region: string, id: string, source: string | undefined, multiAz: boolean, retention: number): ScenarioDatabase => ({
      id, region, arn: `arn:aws:rds:${region}:123456789012:db:${id}`, status: "available", source, multiAz, pendingMultiAz: false, retention, script: [],
      kmsKeyId: `arn:aws:kms:${region}:123456789012:key/database`, subnetGroup: `${id}-subnets`, securityGroupIds: [`sg-${region === DR ? "dr" : "pr"}db`], instanceClass: "db.r7g.large",
    });
    this.databases.set(outputs.primary.databaseInstanceId, database(PRIMARY, outputs.primary.databaseInstanceId, undefined, true, 35));
    this.databases.set(dr.databaseInstanceId, database(DR, dr.databaseInstanceId, outputs.primary.databaseArn, true, 0));
    this.parameters = {
      [dr.runtimeParameters.databaseEndpoint]: `${dr.databaseInstanceId}.abc.${DR}.rds.amazonaws.com:5432`,
      [dr.runtimeParameters.databaseSecretArn]: SECRET,
      [outputs.primary.runtimeParameters.databaseEndpoint]: `${outputs.primary.databaseInstanceId}.abc.${PRIMARY}.rds.amazonaws.com:5432`,
      [outputs.primary.runtimeParameters.databaseSecretArn]: SECRET,
    };
    this.script();
  }

  /** Forget the calls made so far (the state stays): a test's later phase counts only its own. */
  clearHistory(): void {
    for (const mock of Object.values(this.mocks)) mock.resetHistory();
    this.mutations.length = 0;
  }

  restore(): void {
    for (const mock of Object.values(this.mocks)) mock.restore();
  }

  /** The next `count` calls of `command` fail with a ThrottlingException. */
  throttle(command: string, count: number): void {
    this.throttles.set(command, count);
  }

  /**
   * Cut the run at the `occurrence`-th call of `command`: `abort` lets the call succeed and then
   * aborts (Ctrl-C after AWS answered); `lose-response` applies the call in AWS and then fails it
   * (the connection dropped before the answer arrived).
   */
  faultAt(command: string, occurrence: number, effect: "abort" | "lose-response", controller?: AbortController): void {
    this.faults.push({ command, occurrence, effect, ...(controller === undefined ? {} : { controller }) });
  }

  count(command: string): number {
    return this.counts.get(command) ?? 0;
  }

  /** Every mutating request sent, throttled ones included, as aws-sdk-client-mock recorded them. */
  mutatingRequests(): number {
    const { rds, asg, route53, ssm, cloudwatch } = this.mocks;
    return rds.commandCalls(PromoteReadReplicaCommand).length + rds.commandCalls(ModifyDBInstanceCommand).length + rds.commandCalls(CreateDBInstanceReadReplicaCommand).length
      + asg.commandCalls(UpdateAutoScalingGroupCommand).length
      + route53.commandCalls(UpdateHealthCheckCommand).length + route53.commandCalls(ChangeResourceRecordSetsCommand).length
      + ssm.commandCalls(PutParameterCommand).length + cloudwatch.commandCalls(PutMetricDataCommand).length
      + this.mocks.backup.commandCalls(StartRestoreJobCommand).length + this.mocks.ec2.commandCalls(RunInstancesCommand).length
      + this.mocks.ec2.commandCalls(TerminateInstancesCommand).length + rds.commandCalls(DeleteDBInstanceCommand).length;
  }

  readonly probe: HttpProbe = (url) => {
    this.probeCalls.push(url);
    const fault = this.takeFault("probe");
    if (url.endsWith("/readyz")) {
      const answer = this.readyzAnswers.length > 1 ? this.readyzAnswers.shift() : this.readyzAnswers[0];
      fault?.controller?.abort();
      return Promise.resolve(answer ?? { status: 503, body: "" });
    }
    fault?.controller?.abort();
    return Promise.resolve({ status: 200, body: "{\"hits\":[]}" });
  };

  private takeFault(command: string): DrScenario["faults"][number] | undefined {
    const seen = (this.counts.get(command) ?? 0) + 1;
    this.counts.set(command, seen);
    const index = this.faults.findIndex((fault) => fault.command === command && fault.occurrence === seen);
    if (index < 0) return undefined;
    return this.faults.splice(index, 1)[0];
  }

  /** Wrap a handler: throttling first, then the scripted answer, then any fault planned for this call. */
  private handle<I, O>(command: string, answer: (input: I) => O): (input: I) => Promise<O> {
    return (input: I) => {
      const throttled = this.throttles.get(command) ?? 0;
      if (throttled > 0) {
        this.throttles.set(command, throttled - 1);
        return Promise.reject(new ThrottlingError());
      }
      const fault = this.takeFault(command);
      const output = answer(input);
      if (fault?.effect === "abort") fault.controller?.abort();
      if (fault?.effect === "lose-response") return Promise.reject(Object.assign(new Error("socket hang up"), { name: "NetworkingError" }));
      return Promise.resolve(output);
    };
  }

  private mutate(command: MutatingCall, detail: string): void {
    this.mutations.push(`${command} ${detail}`);
  }

  private fleetOf(name: string): { region: string; fleet: Fleet } {
    const region = name === this.outputs.primary.asgName ? PRIMARY : DR;
    const fleet = this.fleets[region];
    if (fleet === undefined) throw new Error(`no fleet ${name}`);
    return { region, fleet };
  }

  /** Instances a group holds: scale-ins take one poll interval to drain, scale-outs one to boot. */
  private instances(fleet: Fleet): number {
    const settling = fleet.changedAt !== undefined && this.clock.now() - fleet.changedAt < 20_000;
    return settling ? Math.max(fleet.desired, 2) : fleet.desired;
  }

  private healthyTargets(region: string): number {
    const fleet = this.fleets[region];
    if (fleet === undefined) return 0;
    if (fleet.changedAt === undefined) return fleet.desired;
    return this.clock.now() - fleet.changedAt >= this.targetWarmupMs ? fleet.desired : Math.min(fleet.desired, region === DR ? 2 : 0);
  }

  /** The DR replica of a failover: tests change its state directly. */
  get replica(): ScenarioDatabase {
    const db = this.databases.get(this.outputs.dr?.databaseInstanceId ?? "");
    if (db === undefined) throw new Error("the DR database is gone");
    return db;
  }

  /** Describe moves a database one step along its script, as polling RDS would see it. */
  private describeDatabase(id: string): DBInstance | undefined {
    const db = this.databases.get(id);
    if (db === undefined) return undefined;
    const step = db.script.shift();
    if (step !== undefined) {
      db.status = step.status;
      if (step.standalone) db.source = undefined;
      if (step.renamedTo !== undefined) {
        this.databases.delete(id);
        this.databases.set(step.renamedTo, { ...db, id: step.renamedTo, arn: db.arn.replace(/:db:.*$/, `:db:${step.renamedTo}`) });
        return undefined;
      }
    }
    return {
      DBInstanceIdentifier: id,
      DBInstanceArn: db.arn,
      DBInstanceStatus: db.status,
      MultiAZ: db.multiAz,
      EngineVersion: "16.4",
      ReadReplicaSourceDBInstanceIdentifier: db.source,
      Endpoint: { Address: `${id}.abc.${db.region}.rds.amazonaws.com`, Port: 5432 },
      BackupRetentionPeriod: db.retention,
      PendingModifiedValues: db.pendingMultiAz ? { MultiAZ: true } : {},
      StatusInfos: db.source === undefined ? [] : [{ StatusType: "read replication", Status: "replicating", Normal: true }],
      DBSubnetGroup: { DBSubnetGroupName: db.subnetGroup },
      VpcSecurityGroups: db.securityGroupIds.map((group) => ({ VpcSecurityGroupId: group, Status: "active" })),
      KmsKeyId: db.kmsKeyId,
      DBInstanceClass: db.instanceClass,
    };
  }

  private script(): void {
    const { rds, asg, cloudwatch, route53, elb, ssm, secrets, sts, backup, kms, opensearch, ec2 } = this.mocks;
    const outputs = this.outputs;
    const dr = outputs.dr;
    if (dr === undefined) return;

    rds.on(DescribeDBInstancesCommand).callsFake(this.handle("DescribeDBInstances", (input: { DBInstanceIdentifier?: string }) => {
      const id = input.DBInstanceIdentifier ?? "";
      if (id.includes("-drill-")) {
        const db = this.drill.database;
        const status = db?.id === id ? (db.states.length > 1 ? db.states.shift() : db.states[0]) : undefined;
        if (status === undefined || status === "gone") throw new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found`, $metadata: {} });
        return { DBInstances: [{ DBInstanceIdentifier: id, DBInstanceStatus: status, Endpoint: { Address: `${id}.abc.${DR}.rds.amazonaws.com`, Port: 5432 } }] };
      }
      const found = this.describeDatabase(id);
      if (found === undefined) throw new DBInstanceNotFoundFault({ message: `DBInstance ${id} not found`, $metadata: {} });
      return { DBInstances: [found] };
    }));
    rds.on(PromoteReadReplicaCommand).callsFake(this.handle("PromoteReadReplica", (input: { DBInstanceIdentifier?: string; BackupRetentionPeriod?: number }) => {
      this.mutate("PromoteReadReplica", `${input.DBInstanceIdentifier ?? ""} retention=${input.BackupRetentionPeriod ?? "-"}`);
      const db = this.databases.get(input.DBInstanceIdentifier ?? "");
      if (db !== undefined) {
        db.retention = input.BackupRetentionPeriod ?? 1;
        db.script = this.promotionScript.map((step) => ({ ...step }));
      }
      return { DBInstance: { DBInstanceIdentifier: input.DBInstanceIdentifier } };
    }));
    rds.on(ModifyDBInstanceCommand).callsFake(this.handle("ModifyDBInstance", (input: { DBInstanceIdentifier?: string; MultiAZ?: boolean; NewDBInstanceIdentifier?: string }) => {
      const db = this.databases.get(input.DBInstanceIdentifier ?? "");
      if (input.NewDBInstanceIdentifier !== undefined) {
        this.mutate("ModifyDBInstance", `${input.DBInstanceIdentifier ?? ""} rename=${input.NewDBInstanceIdentifier}`);
        if (db !== undefined) db.script = [{ status: "renaming", standalone: false }, { status: "available", standalone: false, renamedTo: input.NewDBInstanceIdentifier }];
        return {};
      }
      this.mutate("ModifyDBInstance", `${input.DBInstanceIdentifier ?? ""} MultiAZ=${String(input.MultiAZ)}`);
      if (db !== undefined) db.pendingMultiAz = input.MultiAZ === true;
      return {};
    }));
    rds.on(CreateDBInstanceReadReplicaCommand).callsFake(this.handle("CreateDBInstanceReadReplica", (input: { DBInstanceIdentifier?: string; SourceDBInstanceIdentifier?: string; KmsKeyId?: string; DBSubnetGroupName?: string; VpcSecurityGroupIds?: string[]; MultiAZ?: boolean }) => {
      const id = input.DBInstanceIdentifier ?? "";
      const source = input.SourceDBInstanceIdentifier ?? "";
      const region = source.includes(`:${DR}:`) ? PRIMARY : DR;
      this.mutate("CreateDBInstanceReadReplica", `${id} source=${source} kms=${input.KmsKeyId ?? ""} subnets=${input.DBSubnetGroupName ?? ""} sgs=${(input.VpcSecurityGroupIds ?? []).join(",")} multiAz=${String(input.MultiAZ)}`);
      if (this.databases.has(id)) throw Object.assign(new Error(`DB instance ${id} already exists`), { name: "DBInstanceAlreadyExistsFault" });
      this.databases.set(id, {
        id, region, arn: `arn:aws:rds:${region}:123456789012:db:${id}`, status: "creating", source, multiAz: input.MultiAZ === true, pendingMultiAz: false, retention: 0,
        script: [{ status: "creating", standalone: false }, { status: "available", standalone: false }],
        kmsKeyId: input.KmsKeyId ?? "", subnetGroup: input.DBSubnetGroupName ?? "", securityGroupIds: input.VpcSecurityGroupIds ?? [], instanceClass: "db.r7g.large",
      });
      return { DBInstance: { DBInstanceIdentifier: id } };
    }));

    asg.on(DescribeAutoScalingGroupsCommand).callsFake(this.handle("DescribeAutoScalingGroups", (input: { AutoScalingGroupNames?: string[] }) => {
      const name = input.AutoScalingGroupNames?.[0] ?? "";
      const { fleet } = this.fleetOf(name);
      const count = this.instances(fleet);
      return {
        AutoScalingGroups: [{
          AutoScalingGroupName: name, MinSize: fleet.min, MaxSize: fleet.max, DesiredCapacity: fleet.desired,
          Instances: Array.from({ length: count }, (_, i) => ({ InstanceId: `i-${i}`, LifecycleState: "InService" as const, HealthStatus: "Healthy", AvailabilityZone: "a", ProtectedFromScaleIn: false })),
          LaunchTemplate: { LaunchTemplateId: "lt-0abc", Version: "7" },
          TargetGroupARNs: [], VPCZoneIdentifier: "subnet-a,subnet-b",
          AvailabilityZones: [], HealthCheckType: "ELB", CreatedTime: new Date(0), DefaultCooldown: 300,
        }],
      };
    }));
    asg.on(UpdateAutoScalingGroupCommand).callsFake(this.handle("UpdateAutoScalingGroup", (input: { AutoScalingGroupName?: string; MinSize?: number; MaxSize?: number; DesiredCapacity?: number }) => {
      const { fleet } = this.fleetOf(input.AutoScalingGroupName ?? "");
      this.mutate("UpdateAutoScalingGroup", `${input.AutoScalingGroupName ?? ""} desired=${input.DesiredCapacity ?? "-"} min=${input.MinSize ?? "-"} max=${input.MaxSize ?? "-"}`);
      Object.assign(fleet, { min: input.MinSize ?? fleet.min, max: input.MaxSize ?? fleet.max, desired: input.DesiredCapacity ?? fleet.desired, changedAt: this.clock.now() });
      return {};
    }));

    cloudwatch.on(GetMetricDataCommand).callsFake(this.handle("GetMetricData", (input: { EndTime?: Date; MetricDataQueries?: { MetricStat?: { Metric?: { Dimensions?: { Value?: string }[] } } }[] }) => {
      const now = input.EndTime?.getTime() ?? this.clock.now();
      const point = this.lagPoint(input.MetricDataQueries?.[0]?.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? "", now);
      return { MetricDataResults: [{ Id: "lag", Timestamps: point === undefined ? [] : [point.at], Values: point === undefined ? [] : [point.seconds] }] };
    }));
    cloudwatch.on(DescribeAlarmsCommand).callsFake(this.handle("DescribeAlarms", () => ({
      MetricAlarms: this.firingAlarms.map((alarm) => ({ AlarmName: alarm.name, AlarmArn: `arn:aws:cloudwatch:${DR}:123456789012:alarm:${alarm.name}`, StateValue: "ALARM" as const, StateReason: "threshold crossed" })),
      CompositeAlarms: [],
    })));
    cloudwatch.on(ListTagsForResourceCommand).callsFake(this.handle("ListTagsForResource", (input: { ResourceARN?: string }) => {
      const alarm = this.firingAlarms.find((candidate) => input.ResourceARN?.endsWith(`:${candidate.name}`) === true);
      return { Tags: Object.entries(alarm?.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
    }));
    cloudwatch.on(PutMetricDataCommand).callsFake(this.handle("PutMetricData", (input: { Namespace?: string; MetricData?: { MetricName?: string; Value?: number }[] }) => {
      this.mutate("PutMetricData", `${input.Namespace ?? ""} ${(input.MetricData ?? []).map((datum) => `${datum.MetricName ?? ""}=${datum.Value ?? ""}`).join(" ")}`);
      return {};
    }));

    route53.on(GetHealthCheckCommand).callsFake(this.handle("GetHealthCheck", () => ({
      HealthCheck: { Id: HEALTH_CHECK, CallerReference: "ref", HealthCheckVersion: 1, HealthCheckConfig: { Type: "CLOUDWATCH_METRIC" as const, Inverted: this.inverted, AlarmIdentifier: { Name: "shop-prod-primary-observability-alb-healthy-hosts", Region: PRIMARY } } },
    })));
    route53.on(GetHealthCheckStatusCommand).callsFake(this.handle("GetHealthCheckStatus", () => {
      // The primary's healthy-hosts alarm is OK until its fleet is gone: inverted, that reads unhealthy.
      const alarmOk = (this.fleets[PRIMARY]?.desired ?? 0) > 0;
      const healthy = alarmOk !== this.inverted;
      const report = healthy ? "Success: alarm OK" : "Failure: alarm state";
      return { HealthCheckObservations: ["us-east-1", "eu-west-1", "ap-southeast-1"].map((region) => ({ Region: region as "us-east-1", IPAddress: "15.177.0.1", StatusReport: { Status: report, CheckedTime: new Date(this.clock.now()) } })) };
    }));
    route53.on(UpdateHealthCheckCommand).callsFake(this.handle("UpdateHealthCheck", (input: { Inverted?: boolean }) => {
      this.mutate("UpdateHealthCheck", `${HEALTH_CHECK} Inverted=${String(input.Inverted)}`);
      this.inverted = input.Inverted ?? this.inverted;
      return { HealthCheck: { Id: HEALTH_CHECK, CallerReference: "ref", HealthCheckVersion: 2, HealthCheckConfig: { Type: "CLOUDWATCH_METRIC" as const } } };
    }));
    route53.on(ListResourceRecordSetsCommand).callsFake(this.handle("ListResourceRecordSets", () => ({
      IsTruncated: false, MaxItems: 10,
      ResourceRecordSets: [
        { Name: `${RECORD}.`, Type: "A" as const, SetIdentifier: "primary", Failover: "PRIMARY" as const, HealthCheckId: HEALTH_CHECK, AliasTarget: { HostedZoneId: "Z32O12XQLNTSW2", DNSName: `dualstack.${outputs.primary.albDnsName}.`, EvaluateTargetHealth: true } },
        { Name: `${RECORD}.`, Type: "A" as const, SetIdentifier: "secondary", Failover: "SECONDARY" as const, AliasTarget: { HostedZoneId: "Z215JYRZR1TBD5", DNSName: `dualstack.${dr.albDnsName}.`, EvaluateTargetHealth: true } },
      ],
    })));
    route53.on(ChangeResourceRecordSetsCommand).callsFake(this.handle("ChangeResourceRecordSets", () => {
      this.mutate("ChangeResourceRecordSets", "unexpected");
      return { ChangeInfo: { Id: "c", Status: "PENDING" as const, SubmittedAt: new Date() } };
    }));

    elb.on(DescribeTargetHealthCommand).callsFake(this.handle("DescribeTargetHealth", (input: { TargetGroupArn?: string }) => {
      const region = input.TargetGroupArn?.includes(`:${DR}:`) === true ? DR : PRIMARY;
      const fleet = this.fleets[region];
      const healthy = this.healthyTargets(region);
      const total = fleet === undefined ? 0 : this.instances(fleet);
      return { TargetHealthDescriptions: Array.from({ length: total }, (_, i) => ({ Target: { Id: `i-${i}` }, TargetHealth: { State: i < healthy ? "healthy" as const : "initial" as const } })) };
    }));
    elb.on(DescribeLoadBalancersCommand).callsFake(this.handle("DescribeLoadBalancers", () => ({ LoadBalancers: [{ LoadBalancerArn: dr.albArn, State: { Code: "active" as const } }] })));

    ssm.on(GetParametersCommand).callsFake(this.handle("GetParameters", (input: { Names?: string[] }) => ({
      Parameters: (input.Names ?? []).filter((name) => name in this.parameters).map((name) => ({ Name: name, Value: this.parameters[name], Type: "String" as const })),
      InvalidParameters: (input.Names ?? []).filter((name) => !(name in this.parameters)),
    })));
    ssm.on(PutParameterCommand).callsFake(this.handle("PutParameter", (input: { Name?: string; Value?: string }) => {
      this.mutate("PutParameter", `${input.Name ?? ""}=${input.Value ?? ""}`);
      if (input.Name !== undefined && input.Value !== undefined) this.parameters[input.Name] = input.Value;
      return { Version: 2 };
    }));
    secrets.on(DescribeSecretCommand).callsFake(this.handle("DescribeSecret", (input: { SecretId?: string }) => {
      if (input.SecretId === undefined || !this.secrets.has(input.SecretId)) {
        throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
      }
      return { ARN: input.SecretId, Name: "shop-prod-db" };
    }));
    sts.on(GetCallerIdentityCommand).callsFake(this.handle("GetCallerIdentity", () => ({ Account: "123456789012", Arn: "arn:aws:sts::123456789012:assumed-role/shop-prod-ops/oncall" })));

    backup.on(ListRecoveryPointsByBackupVaultCommand).callsFake(this.handle("ListRecoveryPointsByBackupVault", () => ({
      RecoveryPoints: [{ RecoveryPointArn: `arn:aws:rds:${DR}:123456789012:snapshot:awsbackup:job-1`, CreationDate: new Date(this.clock.now() - 5 * 3_600_000), Status: "COMPLETED" as const, ResourceType: "RDS", ResourceArn: outputs.primary.databaseArn }],
    })));
    backup.on(DescribeBackupVaultCommand).callsFake(this.handle("DescribeBackupVault", () => ({ BackupVaultName: dr.backupVaultName, BackupVaultArn: `arn:aws:backup:${DR}:123456789012:backup-vault:${dr.backupVaultName}`, Locked: true, MinRetentionDays: 7, NumberOfRecoveryPoints: 10 })));
    backup.on(ListCopyJobsCommand).callsFake(this.handle("ListCopyJobs", () => ({ CopyJobs: [] })));
    kms.on(ListAliasesCommand).callsFake(this.handle("ListAliases", () => ({ Aliases: ["database", "backup", "logs"].map((dataClass) => ({ AliasName: `alias/shop-platform-prod-${dataClass}`, TargetKeyId: `key-${dataClass}` })), Truncated: false })));
    kms.on(DescribeKeyCommand).callsFake(this.handle("DescribeKey", (input: { KeyId?: string }) => ({ KeyMetadata: { KeyId: input.KeyId, Arn: `arn:aws:kms:${DR}:123456789012:key/${input.KeyId ?? ""}`, Enabled: true, KeyState: "Enabled" as const } })));
    opensearch.on(DescribeDomainCommand).callsFake(this.handle("DescribeDomain", () => ({ DomainStatus: { DomainId: "d", DomainName: dr.searchDomainName, ARN: "arn", Processing: false, EngineVersion: "OpenSearch_2.19", DomainProcessingStatus: "Active" as const, ClusterConfig: {} } })));
    ec2.on(DescribeLaunchTemplateVersionsCommand).callsFake(this.handle("DescribeLaunchTemplateVersions", () => ({
      LaunchTemplateVersions: [{ LaunchTemplateId: "lt-0abc", VersionNumber: 7, LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, Groups: ["sg-0web"] }], ...(this.drill.userData === "" ? {} : { UserData: Buffer.from(this.drill.userData).toString("base64") }) } }],
    })));
    this.scriptDrill();
  }

  private scriptDrill(): void {
    const { rds, backup, ec2, ssm } = this.mocks;
    const drill = this.drill;
    backup.on(GetRecoveryPointRestoreMetadataCommand).callsFake(this.handle("GetRecoveryPointRestoreMetadata", () => ({ RestoreMetadata: { DBInstanceIdentifier: "shop-prod-db", DBInstanceClass: "db.r7g.large", Engine: "postgres", MultiAZ: "true", DBSubnetGroupName: "default", VpcSecurityGroupIds: "[\"sg-default\"]" } })));
    backup.on(StartRestoreJobCommand).callsFake(this.handle("StartRestoreJob", (input: { Metadata?: Record<string, string>; IdempotencyToken?: string }) => {
      const id = input.Metadata?.DBInstanceIdentifier ?? "";
      this.mutate("StartRestoreJob", `${id} subnets=${input.Metadata?.DBSubnetGroupName ?? ""} sgs=${input.Metadata?.VpcSecurityGroupIds ?? ""} multiAz=${input.Metadata?.MultiAZ ?? ""}`);
      drill.jobId = `restore-${input.IdempotencyToken ?? ""}`;
      drill.database = { id, states: ["creating", "backing-up", "available"] };
      return { RestoreJobId: drill.jobId };
    }));
    backup.on(DescribeRestoreJobCommand).callsFake(this.handle("DescribeRestoreJob", () => {
      const status = drill.jobStates.length > 1 ? drill.jobStates.shift() : drill.jobStates[0];
      return { RestoreJobId: drill.jobId, Status: status as "COMPLETED", CreatedResourceArn: `arn:aws:rds:${DR}:123456789012:db:${drill.database?.id ?? ""}`, PercentDone: "100%" };
    }));
    rds.on(DeleteDBInstanceCommand).callsFake(this.handle("DeleteDBInstance", (input: { DBInstanceIdentifier?: string; SkipFinalSnapshot?: boolean }) => {
      this.mutate("DeleteDBInstance", `${input.DBInstanceIdentifier ?? ""} skipFinalSnapshot=${String(input.SkipFinalSnapshot)}`);
      if (drill.database !== undefined) drill.database.states = ["deleting", "gone"];
      return {};
    }));
    ec2.on(RunInstancesCommand).callsFake(this.handle("RunInstances", (input: { NetworkInterfaces?: { SubnetId?: string; Groups?: string[] }[]; TagSpecifications?: { Tags?: { Key?: string; Value?: string }[] }[]; UserData?: string }) => {
      const nic = input.NetworkInterfaces?.[0];
      this.mutate("RunInstances", `subnet=${nic?.SubnetId ?? ""} groups=${(nic?.Groups ?? []).join(",")}`);
      const tags = Object.fromEntries((input.TagSpecifications?.[0]?.Tags ?? []).map((tag) => [tag.Key ?? "", tag.Value ?? ""]));
      drill.instance = { id: "i-0drill", states: ["pending", "running"], tags };
      drill.launchedUserData = Buffer.from(input.UserData ?? "", "base64").toString("utf8");
      return { Instances: [{ InstanceId: "i-0drill" }] };
    }));
    ec2.on(DescribeInstancesCommand).callsFake(this.handle("DescribeInstances", (input: { Filters?: { Name?: string; Values?: string[] }[] }) => {
      const instance = drill.instance;
      const filter = input.Filters?.[0];
      const key = filter?.Name?.replace(/^tag:/, "") ?? "";
      if (instance === undefined || instance.tags[key] !== filter?.Values?.[0]) return { Reservations: [] };
      const state = instance.states.length > 1 ? instance.states.shift() : instance.states[0];
      return { Reservations: [{ Instances: [{ InstanceId: instance.id, State: { Name: state as "running" } }] }] };
    }));
    ec2.on(TerminateInstancesCommand).callsFake(this.handle("TerminateInstances", (input: { InstanceIds?: string[] }) => {
      this.mutate("TerminateInstances", (input.InstanceIds ?? []).join(","));
      if (drill.instance !== undefined) drill.instance.states = ["shutting-down", "terminated"];
      return {};
    }));
    ssm.on(SendCommandCommand).callsFake(this.handle("SendCommand", (input: { Parameters?: Record<string, string[]> }) => {
      if (drill.agentLateBy > 0) {
        drill.agentLateBy--;
        throw Object.assign(new Error("Instances [i-0drill] not in a valid state for account"), { name: "InvalidInstanceId" });
      }
      return { Command: { CommandId: `cmd-${(input.Parameters?.commands ?? []).length}` } };
    }));
    ssm.on(GetCommandInvocationCommand).callsFake(this.handle("GetCommandInvocation", () => {
      const status = drill.commandStates.length > 1 ? drill.commandStates.shift() : drill.commandStates[0];
      return { Status: status as "Success", StandardOutputContent: status === "Success" ? "{\"status\":\"ok\"}" : "", StandardErrorContent: status === "Failed" ? "curl: (7) Failed to connect" : "" };
    }));
  }

  /** When the writers of `db` stopped: the fleet of the other region went to zero. */
  private fencedAt(db: ScenarioDatabase): number | undefined {
    const writers = this.fleets[db.region === DR ? PRIMARY : DR];
    return writers?.desired === 0 ? writers.changedAt : undefined;
  }

  private lagPoint(id: string, now: number): { at: Date; seconds: number } | undefined {
    const db = this.databases.get(id);
    if (this.lagMissing || db?.source === undefined) return undefined;
    const fenced = this.fencedAt(db);
    if (fenced === undefined || now - fenced < MINUTE) return { at: new Date(now - 30_000), seconds: this.lagSeconds };
    const minutes = Math.floor((now - fenced) / MINUTE);
    const value = this.lagAfterFence[Math.min(minutes - 1, this.lagAfterFence.length - 1)] ?? 0;
    return { at: new Date(fenced + minutes * MINUTE), seconds: value };
  }
}
