// IAM: scoping. Identity policies name the resources an action can be limited to, and no role
// trusts a whole account without a condition.
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { statementsOf, type Statement } from "../lib/policy-document.js";
import { validateTyped } from "../lib/typed.js";
import { blocksOf, stringOf } from "../lib/values.js";

/**
 * Actions accepted on `Resource: "*"`: those the AWS Service Authorization Reference lists with no
 * resource type (Resource "*" is all IAM allows for them), plus two reads the platform calls
 * unfiltered. Deliberately small and conservative: an action missing here is taken to support
 * resource-level permissions and must name its resources. Add an action only when AWS authorizes
 * it on nothing narrower, and say so. A trailing `*` covers every action with that prefix; it is
 * used only where the whole family is unscopable.
 */
export const ACCOUNT_WIDE_ACTIONS: readonly string[] = [
  // No Describe call of EC2, Auto Scaling or ELBv2 supports resource-level permissions.
  "ec2:Describe*", "autoscaling:Describe*", "elasticloadbalancing:Describe*",
  // Metrics are not IAM resources (PutMetricData is held to a namespace by condition instead).
  "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics", "cloudwatch:PutMetricData",
  // Called unfiltered (every alarm in a state): the request names no alarm.
  "cloudwatch:DescribeAlarms",
  // Listing the account's resources, jobs and aliases.
  "route53:ListHostedZones", "route53:ListHealthChecks", "es:ListDomainNames", "kms:ListAliases", "kms:ListKeys",
  "backup:ListBackupVaults", "backup:ListBackupJobs", "backup:ListCopyJobs", "backup:ListRestoreJobs", "backup:DescribeRestoreJob",
  // Not known to support resource-level permissions: kept on "*" rather than scoped wrongly.
  "ssm:GetCommandInvocation",
  // Needs no permission at all.
  "sts:GetCallerIdentity",
  // X-Ray's trace and sampling calls the web tier's agent makes take no resource.
  "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
];

/** The literal part of an action pattern before its first wildcard, lower-cased. */
function literalPrefix(action: string): string {
  return action.split(/[*?]/)[0]?.toLowerCase() ?? "";
}

/** Whether every action `action` can match is account-wide only (per ACCOUNT_WIDE_ACTIONS). */
export function isAccountWideAction(action: string, allowed: readonly string[] = ACCOUNT_WIDE_ACTIONS): boolean {
  const hasWildcard = /[*?]/.test(action);
  return allowed.some((entry) => {
    if (!entry.endsWith("*")) return !hasWildcard && entry.toLowerCase() === action.toLowerCase();
    // `ec2:DescribeInst*` is covered by `ec2:Describe*`; `ec2:*` is not.
    return literalPrefix(action).startsWith(literalPrefix(entry));
  });
}

/** Every action (`*`, `*:*`): iam-no-wildcard-admin's finding, not this policy's. */
const isEveryAction = (action: string) => /^\*+(?::\*+)?$/.test(action);

/** The actions of each Allow statement on Resource "*" that could name their resources instead. */
function unscopedStatements(document: unknown): string[] {
  return (statementsOf(document) ?? []).flatMap((statement, index) => {
    if (statement.effect !== "Allow" || !statement.resources.includes("*")) return [];
    const scopable = statement.actions.filter((action) => !isEveryAction(action) && !isAccountWideAction(action));
    if (scopable.length === 0) return [];
    return [`${scopable.join(", ")} on Resource "*" (${statement.sid ?? `statement ${index + 1}`})`];
  });
}

function checkScoped(document: unknown, what: string, report: (message: string) => void): void {
  for (const grant of unscopedStatements(document)) report(`${what} allows ${grant}: these actions support resource-level permissions; name the resources.`);
}

export const resourceScopedActions = resourcePolicy({
  name: "iam-resource-scoped-actions",
  description:
    "An Allow statement of an identity policy grants on Resource \"*\" only actions AWS authorizes on nothing narrower (describe/list-all calls " +
    "such as ec2:Describe*, cloudwatch:GetMetricData, kms:ListAliases); every action that supports resource-level permissions names its resources.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "iam",
  compliance: { pciDss: "7.2.2", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Move the named actions into a statement whose Resource lists the stack's ARNs (databases, health checks, zones, vaults, domains, or an " +
    "account-scoped pattern such as arn:aws:cloudwatch:*:<account>:alarm:*). Keep Resource \"*\" only for actions AWS cannot scope; if such an " +
    "action is missing from ACCOUNT_WIDE_ACTIONS in policies/rules/iam-scoping.ts, add it there with the reason.",
  validateResource: [
    validateTyped(aws.iam.Policy, (policy, _args, report) => { checkScoped(policy.policy, "The policy", report); }),
    validateTyped(aws.iam.RolePolicy, (policy, _args, report) => { checkScoped(policy.policy, "The inline role policy", report); }),
    validateTyped(aws.iam.UserPolicy, (policy, _args, report) => { checkScoped(policy.policy, "The inline user policy", report); }),
    validateTyped(aws.iam.GroupPolicy, (policy, _args, report) => { checkScoped(policy.policy, "The inline group policy", report); }),
    validateTyped(aws.iam.Role, (role, _args, report) => {
      for (const inline of blocksOf(role.inlinePolicies)) checkScoped(inline.policy, `Inline policy ${stringOf(inline.name) ?? "?"}`, report);
    }),
  ],
});

/** `arn:<partition>:iam::<account>:root` or a bare account id: the whole account. */
const ACCOUNT_PRINCIPAL = /^(?:arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

/** The whole-account (or everyone's) AWS principals an Allow statement trusts with no condition. */
function unconditionalAccountTrust(statement: Statement): string[] {
  if (statement.effect !== "Allow" || Object.values(statement.conditions).some((keys) => Object.keys(keys).length > 0)) return [];
  if (statement.principals === "*") return ["*"];
  const aws = statement.principals?.AWS ?? [];
  return aws.filter((principal) => principal === "*" || ACCOUNT_PRINCIPAL.test(principal.trim()));
}

export const noAccountTrustWithoutCondition = resourcePolicy({
  name: "iam-no-account-trust-without-condition",
  description:
    "No role's trust policy lets a whole AWS account (arn:aws:iam::<account>:root or a bare account id), or every account, assume it without a " +
    "Condition such as aws:MultiFactorAuthPresent or sts:ExternalId.",
  enforcementLevel: "mandatory",
  severity: "high",
  service: "iam",
  compliance: { pciDss: "8.3.1", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Trust the specific roles that need the role (for the ops role: opsRole.trustedPrincipalArns in the stack config), or keep the account " +
    "principal with a Condition: Bool aws:MultiFactorAuthPresent true (opsRole.allowAccountWithMfa) or StringEquals sts:ExternalId for a third party.",
  validateResource: validateTyped(aws.iam.Role, (role, _args, report) => {
    (statementsOf(role.assumeRolePolicy) ?? []).forEach((statement, index) => {
      const principals = unconditionalAccountTrust(statement);
      if (principals.length > 0) {
        report(`The trust policy lets ${principals.join(", ")} assume the role with no condition (${statement.sid ?? `statement ${index + 1}`}): any identity there with sts:AssumeRole could.`);
      }
    });
  }),
});

export const iamScopingPolicies: readonly ShopPolicy[] = [resourceScopedActions, noAccountTrustWithoutCondition];
