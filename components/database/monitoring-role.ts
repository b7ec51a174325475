import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../conventions.js";
import { type Transform, transform } from "../common/transform.js";

/**
 * The role RDS Enhanced Monitoring assumes to publish OS metrics, limited to this account
 * (aws:SourceAccount guards against the confused-deputy problem).
 */
export function enhancedMonitoringRole(
  parent: pulumi.Resource,
  name: string,
  roleChange: Transform<aws.iam.RoleArgs> | undefined,
  attachmentChange: Transform<aws.iam.RolePolicyAttachmentArgs> | undefined,
): { role: aws.iam.Role; attachment: aws.iam.RolePolicyAttachment } {
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const role = new aws.iam.Role(...transform<aws.iam.RoleArgs>(
    roleChange,
    childName(name, "monitoring"),
    {
      description: "RDS Enhanced Monitoring publishes OS metrics to CloudWatch Logs",
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "monitoring.rds.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
    },
    { parent },
  ));
  const attachment = new aws.iam.RolePolicyAttachment(...transform<aws.iam.RolePolicyAttachmentArgs>(
    attachmentChange,
    childName(name, "monitoring-policy"),
    { role: role.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole` },
    { parent },
  ));
  return { role, attachment };
}
