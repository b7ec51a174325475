// IAM: least privilege. No identity policy grants every action on every resource.
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { statementsOf } from "../lib/policy-document.js";
import { validateTyped } from "../lib/typed.js";
import { blocksOf, isRecord, jsonOf, listOf, stringOf, stringsOf } from "../lib/values.js";

/**
 * AWS-managed policies that amount to administrator access: everything; everything but IAM and
 * Organizations; IAM itself, from which any other permission follows. Any partition (aws, aws-cn,
 * aws-us-gov, ...); IAM names are case-insensitive.
 */
const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[^:]*\/)?(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/i;

/** The AWS-managed admin policy `arn` names, or `undefined`. */
function adminPolicyName(arn: string | undefined): string | undefined {
  return ADMIN_POLICY.exec(arn?.trim() ?? "")?.[1];
}

/** An action pattern that matches every action: `*`, `*:*`. */
function isEveryAction(action: string): boolean {
  return /^\*+(?::\*+)?$/.test(action);
}

/** A resource pattern that matches every resource: `*`, or an ARN of wildcards (`arn:*`, `arn:aws:*:*:*:*`). */
function isEveryResource(resource: string): boolean {
  if (/^\*+$/.test(resource)) return true;
  const [arn, partition, ...rest] = resource.split(":");
  return arn === "arn" && partition !== undefined && /^(\*+|aws[a-z-]*)$/.test(partition) && rest.every((part) => /^\*+$/.test(part)) && (rest.at(-1) ?? partition).endsWith("*");
}

/**
 * Why each Allow statement of `document` is administrator access, by statement: every action
 * (`Action: "*"`, or `NotAction`, which allows everything but a list) on every resource
 * (`Resource: "*"`, or `NotResource`, everything but a list).
 */
function adminStatements(document: unknown): string[] {
  const statements = statementsOf(document) ?? [];
  // statementsOf leaves out NotResource; the raw statements line up with its result one to one.
  const parsed = jsonOf(document);
  const raw = isRecord(parsed) ? listOf(parsed.Statement).filter(isRecord) : [];
  return statements.flatMap((statement, index) => {
    if (statement.effect !== "Allow") return [];
    const notResources = stringsOf(raw[index]?.NotResource);
    const actions = statement.actions.some(isEveryAction)
      ? "every action"
      : statement.notActions.length > 0 ? `every action except ${statement.notActions.join(", ")}` : undefined;
    const resources = statement.resources.some(isEveryResource)
      ? "every resource"
      : notResources.length > 0 ? `every resource except ${notResources.join(", ")}` : undefined;
    if (actions === undefined || resources === undefined) return [];
    return [`${actions} on ${resources} (${statement.sid ?? `statement ${index + 1}`})`];
  });
}

function checkDocument(document: unknown, what: string, report: (message: string) => void): void {
  for (const grant of adminStatements(document)) report(`${what} allows ${grant}.`);
}

/** Reports each AWS-managed admin policy among `arns`, attached by `attachment` to `whom`. */
function checkAttached(arns: readonly string[], whom: string, report: (message: string) => void): void {
  for (const arn of arns) {
    const name = adminPolicyName(arn);
    if (name !== undefined) report(`The attachment gives ${whom} the AWS-managed ${name} policy (${arn}).`);
  }
}

export const noWildcardAdmin = resourcePolicy({
  name: "iam-no-wildcard-admin",
  description:
    "No IAM policy, inline policy or attachment grants administrator access: every action (Action \"*\" or any Allow NotAction) on every resource " +
    "(Resource \"*\" or NotResource), or the AWS-managed AdministratorAccess, PowerUserAccess or IAMFullAccess policy.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "iam",
  compliance: { pciDss: "7.2.2", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Grant the specific actions on the specific resources the role needs (aws.iam.getPolicyDocument with resource ARNs), never Action \"*\" or " +
    "an Allow with NotAction on Resource \"*\", and never AdministratorAccess, PowerUserAccess or IAMFullAccess.",
  // Principal names are not read for messages: they are often unknown during a preview, which
  // would turn the violation into a "can't run" finding.
  validateResource: [
    validateTyped(aws.iam.Policy, (policy, _args, report) => { checkDocument(policy.policy, "The policy", report); }),
    validateTyped(aws.iam.RolePolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline role policy", report); }),
    validateTyped(aws.iam.UserPolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline user policy", report); }),
    validateTyped(aws.iam.GroupPolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline group policy", report); }),
    validateTyped(aws.iam.Role, (role, _args, report) => {
      for (const inline of blocksOf(role.inlinePolicies)) checkDocument(inline.policy, `Inline policy ${stringOf(inline.name) ?? "?"}`, report);
      for (const arn of stringsOf(role.managedPolicyArns)) {
        const name = adminPolicyName(arn);
        if (name !== undefined) report(`The role has the ${name} managed policy (${arn}).`);
      }
    }),
    validateTyped(aws.iam.RolePolicyAttachment, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArn), "its role", report); }),
    validateTyped(aws.iam.UserPolicyAttachment, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArn), "its user", report); }),
    validateTyped(aws.iam.GroupPolicyAttachment, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArn), "its group", report); }),
    validateTyped(aws.iam.PolicyAttachment, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArn), "its roles, users and groups", report); }),
    validateTyped(aws.iam.RolePolicyAttachmentsExclusive, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArns), "its role", report); }),
    validateTyped(aws.iam.UserPolicyAttachmentsExclusive, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArns), "its user", report); }),
    validateTyped(aws.iam.GroupPolicyAttachmentsExclusive, (attachment, _args, report) => { checkAttached(stringsOf(attachment.policyArns), "its group", report); }),
  ],
});

export const iamPolicies: readonly ShopPolicy[] = [noWildcardAdmin];
