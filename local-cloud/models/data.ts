import { charsFrom, LOWER_ALNUM, UPPER_ALNUM } from "../hashing.js";
import type { ModelTable, ResourceContext } from "../resource-model.js";
import { awsManagedKeyArn, kmsKeyArnOf, vpcOfSubnets, zonesOfSubnets } from "./shared.js";

// RDS and OpenSearch.

const ENGINE_PORTS: Readonly<Record<string, number>> = {
  mariadb: 3306,
  mysql: 3306,
  "aurora-mysql": 3306,
  "aurora-postgresql": 5432,
  postgres: 5432,
  "oracle-ee": 1521,
  "sqlserver-ee": 1433,
};

/** RDS endpoints share one per-account, per-region label: `<id>.c1a2b3c4d5e6.<region>.rds.amazonaws.com`. */
function rdsHost(r: ResourceContext, identifier: string, kind = ""): string {
  const label = `c${charsFrom(`rds-endpoint:${r.accountId}:${r.region}`, LOWER_ALNUM, 11)}`;
  return `${identifier}.${kind}${label}.${r.region}.rds.${r.dnsSuffix}`;
}

/** One hosted zone per region serves every RDS endpoint there. */
function rdsHostedZoneId(r: ResourceContext): string {
  return `Z${charsFrom(`rds-zone:${r.region}`, UPPER_ALNUM, 13)}`;
}

function rdsArn(r: ResourceContext, kind: string, name: string): string {
  return r.arn("rds", `${kind}:${name}`);
}

/** `vpc-<domain>-<26 chars>` inside a VPC, `search-...` when public. */
function openSearchEndpoint(r: ResourceContext, domain: string, inVpc: boolean): string {
  return `${inVpc ? "vpc" : "search"}-${domain}-${r.lower(26, "endpoint")}.${r.region}.es.${r.dnsSuffix}`;
}

export const dataModels: ModelTable = {
  "aws:rds/instance:Instance": {
    tagged: true,
    autoName: { property: "identifier", prefixProperty: "identifierPrefix", maxLength: 63, lowercase: true },
    defaults: {
      autoMinorVersionUpgrade: true,
      copyTagsToSnapshot: false,
      deleteAutomatedBackups: true,
      deletionProtection: false,
      iamDatabaseAuthenticationEnabled: false,
      multiAz: false,
      networkType: "IPV4",
      performanceInsightsEnabled: false,
      publiclyAccessible: false,
      skipFinalSnapshot: false,
      storageEncrypted: false,
    },
    create(r) {
      const identifier = r.physicalName;
      const engine = r.inputs.string("engine") ?? "postgres";
      const port = r.inputs.number("port") ?? ENGINE_PORTS[engine] ?? 5432;
      const address = rdsHost(r, identifier);
      const encrypted = r.inputs.boolean("storageEncrypted") === true;
      const managedPassword = r.inputs.boolean("manageMasterUserPassword") === true;
      const subnetGroup = r.inputs.string("dbSubnetGroupName");
      return {
        id: `db-${r.upper(26, "resource-id")}`,
        outputs: {
          address,
          endpoint: `${address}:${port}`,
          port,
          arn: rdsArn(r, "db", identifier),
          resourceId: `db-${r.upper(26, "resource-id")}`,
          hostedZoneId: rdsHostedZoneId(r),
          status: "available",
          engine,
          engineVersionActual: r.inputs.string("engineVersion") ?? (engine === "postgres" ? "16.4" : "8.0.39"),
          caCertIdentifier: r.inputs.string("caCertIdentifier") ?? "rds-ca-rsa2048-g1",
          availabilityZone: r.inputs.string("availabilityZone") ?? `${r.region}a`,
          backupRetentionPeriod: r.inputs.number("backupRetentionPeriod") ?? 1,
          dbSubnetGroupName: subnetGroup ?? "default",
          kmsKeyId: encrypted ? (kmsKeyArnOf(r, r.inputs.string("kmsKeyId")) ?? awsManagedKeyArn(r, "aws/rds")) : "",
          latestRestorableTime: r.createdAt,
          listenerEndpoints: [],
          masterUserSecrets: managedPassword
            ? [
                {
                  kmsKeyId: kmsKeyArnOf(r, r.inputs.string("masterUserSecretKmsKeyId")) ?? awsManagedKeyArn(r, "aws/secretsmanager"),
                  secretArn: r.arn("secretsmanager", `secret:rds!db-${r.uuid("master-secret")}-${r.lower(6, "secret-suffix")}`),
                  secretStatus: "active",
                },
              ]
            : [],
          replicas: [],
          storageType: r.inputs.string("storageType") ?? (r.inputs.has("iops") ? "io1" : "gp2"),
        },
      };
    },
  },
  "aws:rds/cluster:Cluster": {
    tagged: true,
    autoName: { property: "clusterIdentifier", prefixProperty: "clusterIdentifierPrefix", maxLength: 63, lowercase: true },
    defaults: { deletionProtection: false, storageEncrypted: false },
    create(r) {
      const id = r.physicalName;
      const engine = r.inputs.string("engine") ?? "aurora-postgresql";
      return {
        id,
        outputs: {
          arn: rdsArn(r, "cluster", id),
          clusterResourceId: `cluster-${r.upper(26, "resource-id")}`,
          endpoint: rdsHost(r, id, "cluster-"),
          readerEndpoint: rdsHost(r, id, "cluster-ro-"),
          port: r.inputs.number("port") ?? ENGINE_PORTS[engine] ?? 5432,
          hostedZoneId: rdsHostedZoneId(r),
          engine,
        },
      };
    },
  },
  "aws:rds/parameterGroup:ParameterGroup": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 255, lowercase: true },
    defaults: { description: "Managed by Pulumi" },
    create(r) {
      return { id: r.physicalName, outputs: { arn: rdsArn(r, "pg", r.physicalName) } };
    },
  },
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 255, lowercase: true },
    defaults: { description: "Managed by Pulumi" },
    create(r) {
      return { id: r.physicalName, outputs: { arn: rdsArn(r, "cluster-pg", r.physicalName) } };
    },
  },
  "aws:rds/subnetGroup:SubnetGroup": {
    tagged: true,
    autoName: { property: "name", prefixProperty: "namePrefix", maxLength: 255, lowercase: true },
    defaults: { description: "Managed by Pulumi" },
    create(r) {
      return {
        id: r.physicalName,
        outputs: {
          arn: rdsArn(r, "subgrp", r.physicalName),
          supportedNetworkTypes: ["IPV4"],
          vpcId: vpcOfSubnets(r, r.inputs.strings("subnetIds")),
        },
      };
    },
  },
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
    defaults: { retentionPeriod: 7 },
    create(r) {
      // The replicated backup lives in the destination region: the resource's own (provider) region.
      return { id: r.arn("rds", `auto-backup:ab-${r.lower(26, "backup")}`) };
    },
  },

  "aws:opensearch/domain:Domain": {
    tagged: true,
    autoName: { property: "domainName", maxLength: 28, lowercase: true },
    create(r) {
      const domain = r.physicalName;
      const vpcOptions = r.inputs.record("vpcOptions");
      const subnetIds = vpcOptions?.strings("subnetIds") ?? [];
      const endpoint = openSearchEndpoint(r, domain, vpcOptions !== undefined);
      const arn = r.arn("es", `domain/${domain}`);
      return {
        id: arn,
        outputs: {
          arn,
          domainId: `${r.accountId}/${domain}`,
          endpoint,
          dashboardEndpoint: `${endpoint}/_dashboards`,
          engineVersion: r.inputs.string("engineVersion") ?? "OpenSearch_2.19",
          ...(vpcOptions === undefined
            ? {}
            : {
                vpcOptions: {
                  ...vpcOptions.values,
                  availabilityZones: zonesOfSubnets(r, subnetIds),
                  vpcId: vpcOfSubnets(r, subnetIds),
                },
              }),
        },
      };
    },
  },
  "aws:opensearch/domainPolicy:DomainPolicy": {
    create(r) {
      return { id: `esd-policy-${r.required("domainName")}` };
    },
  },
};
