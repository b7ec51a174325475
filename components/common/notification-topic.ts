import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { awsName, childName } from "../conventions.js";
import { ArgsChecker } from "./args.js";
import { type Transform, transform } from "./transform.js";

/** AWS services that publish to a notification topic, and how each proves where it comes from. */
export type TopicPublisher = "cloudwatch" | "backup";

export interface NotificationTopicArgs {
  /** Customer-managed KMS key for the topic (SSE). Its key policy must let the publishers use it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Addresses that get an email subscription (each must confirm it). */
  readonly emails: readonly string[];
  /** The services allowed to publish. */
  readonly publishers: readonly TopicPublisher[];
  /** Applied to every email subscription, e.g. to drop routine events (JSON). */
  readonly emailFilterPolicy?: string;
  /** What the topic holds, for the DataClass tag. */
  readonly dataClass: string;
  /** Changes the topic's args (see Transform). */
  readonly transform?: Transform<aws.sns.TopicArgs>;
  /** Changes the topic policy's args. */
  readonly policyTransform?: Transform<aws.sns.TopicPolicyArgs>;
  /** Changes each email subscription's args. */
  readonly subscriptionTransform?: Transform<aws.sns.TopicSubscriptionArgs>;
  /**
   * A region every child must be created in (e.g. a checked us-east-1): set on each child, and
   * the topic ARN handed to the others waits for it, so a failed check fails them all at once.
   */
  readonly region?: pulumi.Input<string>;
}

export interface NotificationTopic {
  readonly topic: aws.sns.Topic;
  /** The topic's ARN (gated on `region` when given): what publishers and alarms should use. */
  readonly topicArn: pulumi.Output<string>;
  readonly policy: aws.sns.TopicPolicy;
  readonly subscriptions: readonly aws.sns.TopicSubscription[];
}

// Deliberately simple: SNS's own validation is looser, and a typo here only shows up as a
// subscription nobody ever confirms.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Fails unless every address looks like one and none is listed twice (case-insensitively).
 * `what` names the arg with its component, e.g. `BackupPlan shop: alarmEmails`.
 */
export function validateEmails(emails: readonly string[], what: string): void {
  const check = new ArgsChecker(what);
  const bad = emails.filter((email) => !EMAIL.test(email));
  check.require(bad.length === 0, "emails", bad,
    `${bad.map((email) => JSON.stringify(email)).join(", ")} ${bad.length === 1 ? "is not an email address" : "are not email addresses"}.`);
  const seen = new Set<string>();
  for (const email of emails) {
    const key = email.toLowerCase();
    check.require(!seen.has(key), "emails", email, `${email} is listed twice.`);
    seen.add(key);
  }
}

function emailHash(email: string): string {
  return createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 8);
}

/** The topic policy: only the named services (from this account) may publish, and only over TLS. */
export function topicPolicy(topicArn: string, publishers: readonly TopicPublisher[], where: { partition: string; region: string; accountId: string }): string {
  const statements: Record<string, unknown>[] = publishers.map((publisher) => {
    if (publisher === "cloudwatch") {
      // CloudWatch sets the alarm ARN and account on its publish calls: a confused-deputy guard.
      return {
        Sid: "AllowCloudWatchAlarms",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: {
          ArnLike: { "aws:SourceArn": `arn:${where.partition}:cloudwatch:${where.region}:${where.accountId}:alarm:*` },
          StringEquals: { "aws:SourceAccount": where.accountId },
        },
      };
    }
    // AWS Backup documents its vault-notification grant without source conditions; it supports
    // no cross-account notifications, so the principal alone is the documented form.
    return {
      Sid: "AllowBackupVaultNotifications",
      Effect: "Allow",
      Principal: { Service: "backup.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
    };
  });
  statements.push({
    Sid: "DenyPublishWithoutTls",
    Effect: "Deny",
    Principal: "*",
    Action: "sns:Publish",
    Resource: topicArn,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/**
 * An SNS topic encrypted with a customer-managed key, a policy that lets only the named AWS
 * services publish, and one email subscription per address. Children of `parent`, in its region.
 */
export function createNotificationTopic(name: string, parent: pulumi.Resource, args: NotificationTopicArgs): NotificationTopic {
  const opts = { parent };
  const inRegion = args.region === undefined ? {} : { region: args.region };
  const topic = new aws.sns.Topic(...transform<aws.sns.TopicArgs>(args.transform, name, {
    ...inRegion,
    name: awsName(name, 256, /[^a-zA-Z0-9_-]/g),
    kmsMasterKeyId: args.kmsKeyArn,
    tags: { DataClass: args.dataClass },
  }, { parent }));

  const topicArn = args.region === undefined ? topic.arn : pulumi.all([args.region, topic.arn]).apply(([, arn]) => arn);
  const partition = aws.getPartitionOutput({}, opts).partition;
  const region = aws.getRegionOutput({}, opts).region;
  const accountId = aws.getCallerIdentityOutput({}, opts).accountId;
  const policy = new aws.sns.TopicPolicy(...transform<aws.sns.TopicPolicyArgs>(args.policyTransform, childName(name, "policy"), {
    ...inRegion,
    arn: topicArn,
    policy: pulumi.all([topicArn, partition, region, accountId]).apply(([arn, p, r, a]) =>
      topicPolicy(arn, args.publishers, { partition: p, region: r, accountId: a })),
  }, { parent }));

  // Named by a hash of the address, so reordering the list replaces nothing.
  const subscriptions = args.emails.map((email) => new aws.sns.TopicSubscription(...transform<aws.sns.TopicSubscriptionArgs>(
    args.subscriptionTransform,
    childName(name, `email-${emailHash(email)}`),
    {
      ...inRegion,
      topic: topicArn,
      protocol: "email",
      endpoint: email,
      ...(args.emailFilterPolicy === undefined ? {} : { filterPolicy: args.emailFilterPolicy, filterPolicyScope: "MessageAttributes" }),
    },
    { parent },
  )));

  return { topic, topicArn, policy, subscriptions };
}
