import * as pulumi from "@pulumi/pulumi";
import type { ArgsChecker } from "../common/args.js";

const DB_INSTANCE_ARN = /^arn:aws[a-z-]*:rds:([a-z0-9-]+):\d{12}:db:[a-z][a-z0-9-]*$/;

/**
 * What is wrong with a cross-region replica's source, as the end of "expected …", or undefined:
 * it must be a DB instance ARN (RDS resolves a bare identifier only within its own region) in
 * another region than the replica's (`replicaRegion`, when known).
 */
export function crossRegionSourceProblem(arn: string, replicaRegion: string | undefined): string | undefined {
  const match = DB_INSTANCE_ARN.exec(arn);
  if (!match) {
    return "the primary DB instance's ARN (arn:aws:rds:<region>:<account>:db:<identifier>): a cross-region replica needs the ARN, not the identifier";
  }
  if (replicaRegion !== undefined && match[1] === replicaRegion) {
    return `a DB instance in another region than the replica's (${replicaRegion}): declare the replica with the DR region's provider`;
  }
  return undefined;
}

/**
 * The replica's `replicateSourceDb`: a plain string is checked at once; an Output (the primary's
 * `arn`) once it and the replica's region are known, so the replica's registration fails with
 * the same message.
 */
export function checkCrossRegionSource(
  check: ArgsChecker,
  sourceDbArn: pulumi.Input<string>,
  replicaRegion: pulumi.Input<string>,
): pulumi.Output<string> {
  if (typeof sourceDbArn === "string") {
    const problem = crossRegionSourceProblem(sourceDbArn, undefined);
    if (problem !== undefined) check.fail("sourceDbArn", sourceDbArn, problem);
  }
  return pulumi.all([sourceDbArn, replicaRegion]).apply(([arn, region]) => {
    const problem = crossRegionSourceProblem(arn, region);
    if (problem !== undefined) check.fail("sourceDbArn", arn, problem);
    return arn;
  });
}
