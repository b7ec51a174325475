import { describe, expect, it } from "vitest";
import { findResource, runUnderMocks } from "../local-cloud/index.js";
import { type DatabaseArgs, InvalidArgsError } from "./database.js";
import {
  ACCOUNT,
  childOf,
  childrenOf,
  DEFAULT_TAGS,
  keysIn,
  parsePolicy,
  PRIMARY_NETWORK,
  PRIMARY_REGION,
  regionalProviders,
} from "./database/test-fixtures.js";

const INSTANCE = "aws:rds/instance:Instance";
const KEYS = keysIn(PRIMARY_REGION);

function primaryArgs(overrides: Partial<DatabaseArgs> = {}): DatabaseArgs {
  return {
    vpcId: PRIMARY_NETWORK.vpcId,
    subnetIds: PRIMARY_NETWORK.isolatedSubnetIds,
    webSecurityGroupId: PRIMARY_NETWORK.webSecurityGroupId,
    kmsKeyArn: KEYS.database,
    secretsKmsKeyArn: KEYS.secrets,
    logsKmsKeyArn: KEYS.logs,
    ...overrides,
  };
}

/** Declares one Database named `catalog` with the primary provider and returns the run. */
async function declare(overrides: Partial<DatabaseArgs> = {}, stack = "prod", preview = false) {
  return runUnderMocks(
    async () => {
      const { Database } = await import("./database.js");
      const { primary } = regionalProviders();
      const db = new Database("catalog", primaryArgs(overrides), { provider: primary });
      return {
        identifier: db.identifier,
        arn: db.arn,
        endpoint: db.endpoint,
        address: db.address,
        port: db.port,
        resourceId: db.resourceId,
        secret: db.masterUserSecretArn,
        secretReplicas: db.masterUserSecretReplicaArns,
        databaseName: db.databaseName,
        securityGroupId: db.securityGroupId,
        parameterGroupName: db.parameterGroupName,
        subnetGroupName: db.subnetGroupName,
        logGroupNames: db.logGroupNames,
      };
    },
    { stack, preview },
  );
}

describe("Database defaults (the production choice)", () => {
  it("declares a Multi-AZ, encrypted, private PostgreSQL 16 on gp3 with storage autoscaling", async () => {
    const run = await declare();
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(instance.region).toBe(PRIMARY_REGION);
    expect(instance.inputs).toMatchObject({
      identifier: "catalog",
      engine: "postgres",
      engineVersion: "16",
      instanceClass: "db.r7g.large",
      multiAz: true,
      storageType: "gp3",
      allocatedStorage: 100,
      maxAllocatedStorage: 1000,
      storageEncrypted: true,
      kmsKeyId: KEYS.database,
      publiclyAccessible: false,
      port: 5432,
      dbName: "shop",
      username: "shop_admin",
      iamDatabaseAuthenticationEnabled: true,
      autoMinorVersionUpgrade: true,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      applyImmediately: false,
    });
    expect(instance.inputs.tags).toEqual({ DataClass: "database" });
    expect(instance.outputs.tagsAll).toEqual({ ...DEFAULT_TAGS, DataClass: "database" });
  });

  it("lets RDS manage the master password in Secrets Manager with the secrets key: no password anywhere", async () => {
    const run = await declare();
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(instance.inputs.manageMasterUserPassword).toBe(true);
    expect(instance.inputs.masterUserSecretKmsKeyId).toBe(KEYS.secrets);
    for (const key of ["password", "passwordWo", "passwordWoVersion"]) expect(instance.inputs).not.toHaveProperty(key);
    expect(run.resources.filter((resource) => resource.type === "aws:secretsmanager/secret:Secret")).toEqual([]);
    expect(run.outputs.secret).toMatch(new RegExp(`^arn:aws:secretsmanager:${PRIMARY_REGION}:${ACCOUNT}:secret:rds!db-`));
  });

  it("keeps 35 days of backups in set windows, copies tags, keeps automated backups and protects from deletion", async () => {
    const run = await declare();
    expect(childOf(run.resources, "catalog", INSTANCE).inputs).toMatchObject({
      backupRetentionPeriod: 35,
      backupWindow: "02:00-03:00",
      maintenanceWindow: "sun:03:30-sun:04:30",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "catalog-final",
    });
  });

  it("turns on Performance Insights (database key, 7 days), Enhanced Monitoring (60 s) and log exports", async () => {
    const run = await declare();
    const instance = childOf(run.resources, "catalog", INSTANCE);
    const role = childOf(run.resources, "catalog", "aws:iam/role:Role");
    expect(instance.inputs).toMatchObject({
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: KEYS.database,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: role.outputs.arn,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    });
    const trust = parsePolicy(role.inputs.assumeRolePolicy).Statement;
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "monitoring.rds.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const attachment = childOf(run.resources, "catalog", "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(attachment.inputs).toEqual({ role: role.outputs.name ?? role.id, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
  });

  it("pre-creates the exported log groups with a retention and the logs key", async () => {
    const run = await declare();
    const groups = childrenOf(run.resources, "catalog", "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((group) => group.inputs.name).sort()).toEqual(["/aws/rds/instance/catalog/postgresql", "/aws/rds/instance/catalog/upgrade"]);
    for (const group of groups) expect(group.inputs).toMatchObject({ retentionInDays: 365, kmsKeyId: KEYS.logs, tags: { DataClass: "logs" } });
    expect([...run.outputs.logGroupNames].sort()).toEqual(groups.map((group) => group.id).sort());
  });

  it("forces TLS and logs slow statements and connections through a postgres16 parameter group", async () => {
    const run = await declare();
    const group = childOf(run.resources, "catalog", "aws:rds/parameterGroup:ParameterGroup");
    expect(group.inputs.family).toBe("postgres16");
    const parameters = Object.fromEntries(
      (group.inputs.parameters as { name: string; value: string }[]).map((parameter) => [parameter.name, parameter.value]),
    );
    expect(parameters).toMatchObject({
      "rds.force_ssl": "1",
      ssl_min_protocol_version: "TLSv1.2",
      log_min_duration_statement: "500",
      log_connections: "1",
      log_disconnections: "1",
    });
    expect(childOf(run.resources, "catalog", INSTANCE).inputs.parameterGroupName).toBe(group.id);
    expect(run.outputs.parameterGroupName).toBe(group.id);
  });

  it("places the instance in the isolated subnets behind a group that admits 5432 from the web tier only", async () => {
    const run = await declare();
    const instance = childOf(run.resources, "catalog", INSTANCE);
    const subnets = childOf(run.resources, "catalog", "aws:rds/subnetGroup:SubnetGroup");
    expect(subnets.inputs.subnetIds).toEqual(PRIMARY_NETWORK.isolatedSubnetIds);
    expect(instance.inputs.dbSubnetGroupName).toBe(subnets.id);

    const group = childOf(run.resources, "catalog", "aws:ec2/securityGroup:SecurityGroup");
    expect(group.inputs.vpcId).toBe(PRIMARY_NETWORK.vpcId);
    expect(group.inputs).not.toHaveProperty("ingress");
    expect(group.inputs).not.toHaveProperty("egress");
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([group.id]);
    expect(run.outputs.securityGroupId).toBe(group.id);

    const rules = childrenOf(run.resources, "catalog", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(rules.map((rule) => rule.inputs)).toEqual([
      expect.objectContaining({
        securityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: 5432,
        toPort: 5432,
        referencedSecurityGroupId: PRIMARY_NETWORK.webSecurityGroupId,
      }),
    ]);
    expect(run.resources.filter((resource) => resource.type.includes("EgressRule"))).toEqual([]);
  });

  it("previews offline: every input is in the plan, AWS-computed outputs are unknown", async () => {
    const run = await declare({}, "prod", true);
    expect(childOf(run.resources, "catalog", INSTANCE).inputs).toMatchObject({ identifier: "catalog", multiAz: true, manageMasterUserPassword: true });
    expect(run.outputs.identifier).toBe("catalog");
    expect(run.outputs.endpoint).toBeUndefined();
    expect(run.outputs.secret).toBeUndefined();
  });

  it("exposes what the stack and shopctl need, shaped like AWS's answers", async () => {
    const run = await declare();
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(run.outputs).toMatchObject({
      identifier: "catalog",
      arn: `arn:aws:rds:${PRIMARY_REGION}:${ACCOUNT}:db:catalog`,
      port: 5432,
      resourceId: instance.outputs.resourceId,
    });
    expect(run.outputs.endpoint).toBe(`${run.outputs.address}:5432`);
    expect(run.outputs.address).toMatch(new RegExp(`^catalog\\.c[a-z0-9]{11}\\.${PRIMARY_REGION}\\.rds\\.amazonaws\\.com$`));
    const component = findResource(run.resources, "shop:data:Database", "catalog");
    expect(component.outputs).toMatchObject({ identifier: "catalog", endpoint: run.outputs.endpoint, masterUserSecretArn: run.outputs.secret });
    expect(instance.parent).toBe(component.urn);
  });
});

describe("Database as dev and staging turn it down", () => {
  it("dev: single-AZ, small, 7 days of backups, no deletion protection and no final snapshot", async () => {
    const run = await declare(
      {
        instanceClass: "db.t4g.micro",
        allocatedStorageGb: 20,
        maxAllocatedStorageGb: 50,
        multiAz: false,
        backupRetentionDays: 7,
        deletionProtection: false,
        finalSnapshot: false,
      },
      "dev",
    );
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(instance.inputs).toMatchObject({
      instanceClass: "db.t4g.micro",
      allocatedStorage: 20,
      maxAllocatedStorage: 50,
      multiAz: false,
      backupRetentionPeriod: 7,
      deletionProtection: false,
      skipFinalSnapshot: true,
    });
    expect(instance.inputs).not.toHaveProperty("finalSnapshotIdentifier");
    // What dev never turns down: encryption, privacy, TLS, the managed password.
    expect(instance.inputs).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, manageMasterUserPassword: true });
  });

  it("accepts windows that cross midnight without overlapping", async () => {
    const run = await declare({ backupWindow: "23:30-00:30", maintenanceWindow: "sat:23:00-sat:23:30" });
    expect(childOf(run.resources, "catalog", INSTANCE).inputs).toMatchObject({ backupWindow: "23:30-00:30", maintenanceWindow: "sat:23:00-sat:23:30" });
  });

  it("an older engine gets its own parameter group family", async () => {
    const run = await declare({ engineVersion: "15.7" });
    expect(childOf(run.resources, "catalog", "aws:rds/parameterGroup:ParameterGroup").inputs.family).toBe("postgres15");
    expect(childOf(run.resources, "catalog", INSTANCE).inputs.engineVersion).toBe("15.7");
  });

  it("monitoringIntervalSeconds 0 turns Enhanced Monitoring off and creates no role", async () => {
    const run = await declare({ monitoringIntervalSeconds: 0 });
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(instance.inputs.monitoringInterval).toBe(0);
    expect(instance.inputs).not.toHaveProperty("monitoringRoleArn");
    expect(run.resources.filter((resource) => resource.type.startsWith("aws:iam/"))).toEqual([]);
  });
});

describe("Database with a write-only master password (for stacks with a replica)", () => {
  it("generates a password, sets it write-only on RDS and on its own secret under the secrets key", async () => {
    const run = await declare({ masterPassword: "write-only" });
    const instance = childOf(run.resources, "catalog", INSTANCE);
    expect(instance.inputs).not.toHaveProperty("manageMasterUserPassword");
    expect(instance.inputs).not.toHaveProperty("password");
    expect(instance.inputs.passwordWoVersion).toBe(1);
    expect(instance.secretProperties).toContain("passwordWo");
    const password = String(instance.inputs.passwordWo);
    expect(password).toMatch(/^[A-Za-z0-9]{40}$/);

    const secret = childOf(run.resources, "catalog", "aws:secretsmanager/secret:Secret");
    expect(secret.inputs).toMatchObject({ kmsKeyId: KEYS.secrets, recoveryWindowInDays: 30, tags: { DataClass: "secrets" } });
    const version = childOf(run.resources, "catalog", "aws:secretsmanager/secretVersion:SecretVersion");
    expect(version.inputs.secretId).toBe(secret.id);
    expect(version.inputs.secretStringWoVersion).toBe(1);
    expect(version.secretProperties).toContain("secretStringWo");
    expect(version.inputs).not.toHaveProperty("secretString");
    // The same shape as RDS's managed secret, so consumers read either the same way.
    expect(JSON.parse(String(version.inputs.secretStringWo))).toEqual({ username: "shop_admin", password });
    expect(run.outputs.secret).toBe(secret.outputs.arn);
  });

  it("replicates its secret to the DR region under that region's key, and names the replica's ARN", async () => {
    const drKey = "arn:aws:kms:eu-central-1:123456789012:key/dr-secrets";
    const run = await declare({ masterPassword: "write-only", secretReplicas: [{ region: "eu-central-1", kmsKeyArn: drKey }] });
    const secret = childOf(run.resources, "catalog", "aws:secretsmanager/secret:Secret");
    expect(secret.inputs.replicas).toEqual([{ region: "eu-central-1", kmsKeyId: drKey }]);
    const primaryArn = String(secret.outputs.arn);
    expect(primaryArn).toMatch(/^arn:aws:secretsmanager:eu-west-1:\d{12}:secret:/);
    expect(run.outputs.secretReplicas).toEqual({ "eu-central-1": primaryArn.replace(":eu-west-1:", ":eu-central-1:") });
    expect(run.outputs.databaseName).toBe("shop");
  });

  it("without replicas the secret stays in its region", async () => {
    const run = await declare({ masterPassword: "write-only" });
    expect(childOf(run.resources, "catalog", "aws:secretsmanager/secret:Secret").inputs).not.toHaveProperty("replicas");
    expect(run.outputs.secretReplicas).toEqual({});
  });

  it("masterPasswordVersion is what sends a new password", async () => {
    const run = await declare({ masterPassword: "write-only", masterPasswordVersion: 3 });
    expect(childOf(run.resources, "catalog", INSTANCE).inputs.passwordWoVersion).toBe(3);
    expect(childOf(run.resources, "catalog", "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretStringWoVersion).toBe(3);
  });
});

describe("Database access for operators", () => {
  it("admits named operator security groups and private CIDRs on the same port, and nothing else", async () => {
    const run = await declare({ port: 6432, opsSecurityGroupIds: ["sg-0ops0000000000001"], opsCidrBlocks: ["10.99.0.0/16", "100.64.8.0/24"] });
    const rules = childrenOf(run.resources, "catalog", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((rule) => rule.inputs);
    expect(rules).toHaveLength(4);
    for (const rule of rules) expect(rule).toMatchObject({ ipProtocol: "tcp", fromPort: 6432, toPort: 6432 });
    expect(rules.map((rule) => rule.referencedSecurityGroupId ?? rule.cidrIpv4)).toEqual([
      PRIMARY_NETWORK.webSecurityGroupId,
      "sg-0ops0000000000001",
      "10.99.0.0/16",
      "100.64.8.0/24",
    ]);
  });
});

describe("Database transforms", () => {
  it("hand each important child's args to the user's hook", async () => {
    const run = await declare({
      transforms: {
        instance: { instanceClass: "db.m7g.xlarge", storageThroughput: 500 },
        parameterGroup: { parameters: [{ name: "rds.force_ssl", value: "1" }, { name: "work_mem", value: "65536" }] },
        subnetGroup: { description: "custom" },
        securityGroup: { tags: { Name: "catalog-db" } },
        securityGroupRule: { description: "custom rule" },
        monitoringRole: { path: "/rds/" },
        logGroup: { retentionInDays: 731 },
      },
    });
    expect(childOf(run.resources, "catalog", INSTANCE).inputs).toMatchObject({ instanceClass: "db.m7g.xlarge", storageThroughput: 500, storageEncrypted: true });
    expect(childOf(run.resources, "catalog", "aws:rds/parameterGroup:ParameterGroup").inputs.parameters).toEqual([
      { name: "rds.force_ssl", value: "1" },
      { name: "work_mem", value: "65536" },
    ]);
    expect(childOf(run.resources, "catalog", "aws:rds/subnetGroup:SubnetGroup").inputs.description).toBe("custom");
    expect(childOf(run.resources, "catalog", "aws:ec2/securityGroup:SecurityGroup").inputs.tags).toEqual({ Name: "catalog-db" });
    expect(childOf(run.resources, "catalog", "aws:iam/role:Role").inputs.path).toBe("/rds/");
    for (const group of childrenOf(run.resources, "catalog", "aws:cloudwatch/logGroup:LogGroup")) expect(group.inputs.retentionInDays).toBe(731);
    for (const rule of childrenOf(run.resources, "catalog", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
      expect(rule.inputs).toMatchObject({ description: "custom rule", ipProtocol: "tcp" });
    }
  });

  it("lets a function transform rename a child, edit its args and set its options", async () => {
    const seen: { protect?: boolean }[] = [];
    const run = await declare({
      transforms: {
        instance: (args, opts, name) => {
          args.instanceClass = "db.r7g.2xlarge";
          opts.protect = true;
          seen.push(opts);
          return `${name}-v2`;
        },
      },
    });
    expect(childOf(run.resources, "catalog", INSTANCE).name).toBe("catalog-instance-v2");
    expect(childOf(run.resources, "catalog", INSTANCE).inputs).toMatchObject({ instanceClass: "db.r7g.2xlarge", storageEncrypted: true });
    expect(seen.map((opts) => opts.protect)).toEqual([true]);
  });
});

describe("Database refuses bad args with a clear error", () => {
  const cases: [string, Partial<DatabaseArgs>, string][] = [
    ["an engine before 13", { engineVersion: "12" }, 'engineVersion is "12"; expected a PostgreSQL version of 13 or later'],
    ["an engine that is not a version", { engineVersion: "latest" }, 'engineVersion is "latest"'],
    ["an instance class without db.", { instanceClass: "r7g.large" }, 'instanceClass is "r7g.large"; expected an RDS instance class'],
    ["storage below gp3's 20 GiB", { allocatedStorageGb: 10 }, "allocatedStorageGb is 10; expected an integer from 20 to 65536"],
    ["an autoscaling ceiling too close", { allocatedStorageGb: 100, maxAllocatedStorageGb: 105 }, "maxAllocatedStorageGb is 105; expected at least 10% above allocatedStorageGb (110 or more)"],
    ["no backups", { backupRetentionDays: 0 }, "backupRetentionDays is 0; expected an integer from 1 to 35"],
    ["backups beyond 35 days", { backupRetentionDays: 90 }, "backupRetentionDays is 90"],
    ["a malformed backup window", { backupWindow: "2:00-3:00" }, 'backupWindow is "2:00-3:00"; expected a daily UTC window'],
    ["a short backup window", { backupWindow: "02:00-02:15" }, 'backupWindow is "02:00-02:15"; expected a window of at least 30 minutes'],
    ["a malformed maintenance window", { maintenanceWindow: "sunday:03:30-sunday:04:30" }, 'maintenanceWindow is "sunday:03:30-sunday:04:30"; expected a weekly UTC window'],
    ["overlapping windows", { backupWindow: "03:00-04:00", maintenanceWindow: "wed:03:30-wed:04:30" }, 'maintenanceWindow is "wed:03:30-wed:04:30"; expected a window that does not overlap the backup window 03:00-04:00'],
    ["windows overlapping across midnight", { backupWindow: "23:30-00:30", maintenanceWindow: "sun:00:00-sun:01:00" }, 'maintenanceWindow is "sun:00:00-sun:01:00"; expected a window that does not overlap the backup window 23:30-00:30'],
    ["an identifier starting with a digit", { identifier: "1catalog" }, 'identifier is "1catalog"'],
    ["an identifier with a double hyphen", { identifier: "shop--catalog" }, 'identifier is "shop--catalog"; expected 1 to 63 lower-case letters, digits or hyphens'],
    ["a database name RDS reserves", { databaseName: "rdsadmin" }, 'databaseName is "rdsadmin"'],
    ["a master user with a hyphen", { masterUsername: "shop-admin" }, 'masterUsername is "shop-admin"'],
    ["an unknown password mode", { masterPassword: "plaintext" as never }, 'masterPassword is "plaintext"; expected one of rds-managed, write-only'],
    ["a replica of RDS's managed secret", { secretReplicas: [{ region: "eu-central-1", kmsKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/k" }] }, "secretReplicas is [\"eu-central-1\"]; expected none with masterPassword rds-managed: only the component's own (write-only) secret can be replicated"],
    ["a replica region that is not one", { masterPassword: "write-only", secretReplicas: [{ region: "Frankfurt", kmsKeyArn: "arn:aws:kms:eu-central-1:123456789012:key/k" }] }, 'secretReplicas[].region is "Frankfurt"; expected an AWS region such as eu-central-1'],
    ["a Performance Insights retention AWS refuses", { performanceInsightsRetentionDays: 30 }, "performanceInsightsRetentionDays is 30; expected 7, 731 or a multiple of 31"],
    ["a monitoring interval AWS refuses", { monitoringIntervalSeconds: 2 as never }, "monitoringIntervalSeconds is 2; expected one of 0, 1, 5, 10, 15, 30, 60"],
    ["a log retention CloudWatch refuses", { logRetentionDays: 100 }, "logRetentionDays is 100; expected one of 1, 3, 5, 7, 14, 30, 60, 90"],
    ["a CA that is not an RDS CA", { caCertIdentifier: "letsencrypt" }, 'caCertIdentifier is "letsencrypt"'],
    ["a port RDS refuses", { port: 80 }, "port is 80; expected an integer from 1150 to 65535"],
    ["a slow-statement threshold of 0 (every statement)", { slowStatementMs: 0 }, "slowStatementMs is 0"],
    ["an operator CIDR open to the internet", { opsCidrBlocks: ["0.0.0.0/0"] }, 'opsCidrBlocks[0] is "0.0.0.0/0"; expected a private IPv4 CIDR'],
    ["a public operator CIDR", { opsCidrBlocks: ["10.0.0.0/16", "203.0.113.0/24"] }, 'opsCidrBlocks[1] is "203.0.113.0/24"'],
    ["a private range written too wide", { opsCidrBlocks: ["10.0.0.0/7"] }, 'opsCidrBlocks[0] is "10.0.0.0/7"'],
    ["a CIDR that is not one", { opsCidrBlocks: ["10.0.0.300/32"] }, 'opsCidrBlocks[0] is "10.0.0.300/32"'],
  ];

  it.each(cases)("%s", async (_what, overrides, message) => {
    const failure = declare(overrides);
    await expect(failure).rejects.toBeInstanceOf(InvalidArgsError);
    await expect(failure).rejects.toThrow(`Database "catalog": ${message}`);
  });

  it("declares no resource when an arg is bad", async () => {
    let caught: unknown;
    const run = await runUnderMocks(
      async () => {
        const { Database } = await import("./database.js");
        try {
          new Database("catalog", primaryArgs({ backupRetentionDays: 0 }));
        } catch (error) {
          caught = error;
        }
        return {};
      },
      { stack: "prod" },
    );
    expect(caught).toBeInstanceOf(InvalidArgsError);
    expect(run.resources.filter((resource) => resource.custom)).toEqual([]);
  });
});
