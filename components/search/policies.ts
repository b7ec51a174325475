import * as pulumi from "@pulumi/pulumi";

/** The web tier searches and indexes; deleting indices and changing the cluster is for operators. */
const WEB_TIER_ACTIONS = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"];

/** OpenSearch may write to the log groups, for this domain only. */
export function logPublishingPolicy(logGroupArns: readonly pulumi.Output<string>[], account: pulumi.Input<string>, domainArn: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OpenSearchPublishesLogs",
        Effect: "Allow",
        Principal: { Service: "es.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: logGroupArns.map((arn) => pulumi.interpolate`${arn}:*`),
        Condition: { StringEquals: { "aws:SourceAccount": account }, ArnLike: { "aws:SourceArn": domainArn } },
      },
    ],
  });
}

/** The web tier may search and index; the operators' and the master role every HTTP method. */
export function domainAccessPolicy(
  domainArn: pulumi.Input<string>,
  roles: { webRoleArn: pulumi.Input<string>; opsRoleArn?: pulumi.Input<string>; masterRoleArn: pulumi.Input<string> },
): pulumi.Output<string> {
  const operators = pulumi.all([roles.opsRoleArn, roles.masterRoleArn]).apply(([ops, master]) => [...new Set([ops, master].filter((arn) => arn !== undefined))]);
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "WebTier", Effect: "Allow", Principal: { AWS: roles.webRoleArn }, Action: WEB_TIER_ACTIONS, Resource: pulumi.interpolate`${domainArn}/*` },
      { Sid: "Operators", Effect: "Allow", Principal: { AWS: operators }, Action: "es:ESHttp*", Resource: pulumi.interpolate`${domainArn}/*` },
    ],
  });
}
