import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type Transform, transform } from "./transform.js";

export interface EncryptedLogGroupArgs {
  /** The physical name AWS's service writes to (RDS and OpenSearch expect fixed names). */
  logGroupName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  retentionDays: number;
}

/**
 * A log group created before the service that writes to it, so it carries a retention and a
 * KMS key: left to the service, it would be created unencrypted and kept forever.
 */
export function encryptedLogGroup(
  parent: pulumi.Resource,
  resourceName: string,
  args: EncryptedLogGroupArgs,
  change: Transform<aws.cloudwatch.LogGroupArgs> | undefined,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(...transform<aws.cloudwatch.LogGroupArgs>(
    change,
    resourceName,
    { name: args.logGroupName, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn, tags: { DataClass: "logs" } },
    { parent },
  ));
}
