import { describe } from "vitest";
import { describePolicies, provider, resource, urnOf } from "../testing.js";
import { logReplicationPolicies } from "./log-replication.js";

const dr = provider("dr", "eu-central-1");
const DR = { drRegion: "eu-central-1" };

const bucket = (name: string, dataClass: string, onDr = false) =>
  resource("aws:s3/bucket:Bucket", name, { id: name, bucket: name, arn: `arn:aws:s3:::${name}`, tags: { DataClass: dataClass } }, onDr ? { provider: dr } : {});
const replication = (source: string, destination: string, status = "Enabled") =>
  resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", `${source}-replication`, {
    bucket: source,
    role: "arn:aws:iam::123456789012:role/replication",
    rules: [{ id: "dr-replica", status, filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: `arn:aws:s3:::${destination}` } }],
  });

/** The stack as foundation.ts builds it with a DR region: primary logs, their replica and the DR region's own logs. */
const replicatedStack = () => [
  bucket("primary-logs", "logs"),
  bucket("primary-logs-replica", "logs", true),
  bucket("dr-logs", "logs", true),
  replication("primary-logs", "primary-logs-replica"),
];

describe("Log replication policies", () => {
  describePolicies(logReplicationPolicies, {
    "log-buckets-replicated-to-dr": {
      passing: [
        { label: "the primary log bucket replicates to its replica in the DR region", resources: replicatedStack, config: DR },
        {
          label: "a destination known only through a recorded dependency (name unknown at plan time)",
          resources: () => {
            const replica = bucket("primary-logs-replica", "logs", true);
            const config = resource("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "primary-logs-replication", {
              bucket: "primary-logs", role: "arn:aws:iam::123456789012:role/replication", rules: [{ id: "dr-replica", status: "Enabled", destination: {} }],
            }, { propertyDependencies: { rules: [replica] } });
            return [bucket("primary-logs", "logs"), replica, config];
          },
          config: DR,
        },
        { label: "not applicable without a DR region (dev)", resources: () => [bucket("primary-logs", "logs")] },
        { label: "buckets of other data classes are not judged", resources: () => [bucket("assets", "assets")], config: DR },
      ],
      violating: [
        {
          label: "a log bucket without replication",
          resources: () => [bucket("primary-logs", "logs"), bucket("dr-logs", "logs", true)],
          config: DR,
          message: /Log bucket primary-logs has no replication configuration; its logs exist only in eu-west-1/,
          urn: urnOf("aws:s3/bucket:Bucket", "primary-logs"),
        },
        {
          label: "replication to a bucket in the same region",
          resources: () => [bucket("primary-logs", "logs"), bucket("primary-logs-copy", "logs"), replication("primary-logs", "primary-logs-copy")],
          config: DR,
          message: /Log bucket primary-logs does not replicate to a bucket in the DR region eu-central-1/,
        },
        {
          label: "a disabled replication rule",
          resources: () => [...replicatedStack().slice(0, 3), replication("primary-logs", "primary-logs-replica", "Disabled")],
          config: DR,
          message: /does not replicate to a bucket in the DR region/,
        },
      ],
    },
  });
});
