// IAM: least privilege. No identity policy grants every action on every resource.
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { statementsOf } from "../lib/policy-document.js";
import { validateTyped } from "../lib/typed.js";
import { blocksOf, stringOf, stringsOf } from "../lib/values.js";

const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;

/** The statements that allow `*` (or `*:*`) on `*`. */
function adminStatements(document: unknown): string[] {
  return (statementsOf(document) ?? [])
    .filter((statement) => statement.effect === "Allow" && statement.actions.some((action) => action === "*" || action === "*:*") && statement.resources.includes("*"))
    .map((statement, index) => statement.sid ?? `statement ${index + 1}`);
}

function checkDocument(document: unknown, what: string, report: (message: string) => void): void {
  const statements = adminStatements(document);
  if (statements.length > 0) report(`${what} allows every action on every resource (${statements.join(", ")}).`);
}

export const noWildcardAdmin = resourcePolicy({
  name: "iam-no-wildcard-admin",
  description: "No IAM policy, inline policy or attachment grants every action on every resource (administrator access).",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "iam",
  compliance: { pciDss: "7.2.2", gdpr: "Art. 25(2)" },
  remediationSteps: "Grant the specific actions on the specific resources the role needs (aws.iam.getPolicyDocument with resource ARNs), never Action \"*\" on Resource \"*\" or AdministratorAccess.",
  validateResource: [
    validateTyped(aws.iam.Policy, (policy, _args, report) => { checkDocument(policy.policy, "The policy", report); }),
    validateTyped(aws.iam.RolePolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline role policy", report); }),
    validateTyped(aws.iam.UserPolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline user policy", report); }),
    validateTyped(aws.iam.GroupPolicy, (policy, _args, report) => { checkDocument(policy.policy, "The inline group policy", report); }),
    validateTyped(aws.iam.Role, (role, _args, report) => {
      for (const inline of blocksOf(role.inlinePolicies)) checkDocument(inline.policy, `Inline policy ${stringOf(inline.name) ?? "?"}`, report);
      if (stringsOf(role.managedPolicyArns).some((arn) => ADMIN_POLICY.test(arn))) report("The role has the AdministratorAccess managed policy.");
    }),
    validateTyped(aws.iam.RolePolicyAttachment, (attachment, _args, report) => {
      if (ADMIN_POLICY.test(stringOf(attachment.policyArn) ?? "")) report("The attachment gives the role AdministratorAccess.");
    }),
  ],
});

export const iamPolicies: readonly ShopPolicy[] = [noWildcardAdmin];
