import { describe } from "vitest";
import { describePolicies, resource } from "../testing.js";
import { iamPolicies } from "./iam.js";

const document = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const READ_SECRET = { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-*" };
const ADMIN = { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" };
const ASSUME = document({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });

describe("IAM policies", () => {
  describePolicies(iamPolicies, {
    "iam-no-wildcard-admin": {
      passing: [
        { label: "a scoped managed policy", resources: () => [resource("aws:iam/policy:Policy", "web", { policy: document(READ_SECRET) })] },
        { label: "a role with a scoped inline policy and SSM core", resources: () => [resource("aws:iam/role:Role", "web", { assumeRolePolicy: ASSUME, inlinePolicies: [{ name: "secrets", policy: document(READ_SECRET) }], managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"] })] },
        { label: "a Deny on everything is not a grant", resources: () => [resource("aws:iam/rolePolicy:RolePolicy", "guard", { role: "web", policy: document({ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }) })] },
        { label: "NotAction on a scoped resource", resources: () => [resource("aws:iam/policy:Policy", "assets", { policy: document({ Effect: "Allow", NotAction: "s3:DeleteBucket", Resource: ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-assets/*"] }) })] },
        { label: "a Deny with NotAction on every resource", resources: () => [resource("aws:iam/userPolicy:UserPolicy", "mfa", { user: "ops", policy: document({ Effect: "Deny", NotAction: ["iam:*", "sts:GetSessionToken"], Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }) })] },
        { label: "a service wildcard on a wildcard ARN of that service", resources: () => [resource("aws:iam/policy:Policy", "logs", { policy: document({ Effect: "Allow", Action: "logs:*", Resource: "arn:aws:logs:*:*:*" }) })] },
        {
          label: "harmless managed policies, attached every way",
          resources: () => [
            resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "web-ssm", { role: "web", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }),
            resource("aws:iam/policyAttachment:PolicyAttachment", "agents", { roles: ["web"], policyArn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" }),
            resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "ops-read", { user: "ops", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
            resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "ops-own", { group: "ops", policyArn: "arn:aws:iam::123456789012:policy/AdministratorAccess" }),
          ],
        },
      ],
      violating: [
        { label: "Action * on Resource *", resources: () => [resource("aws:iam/policy:Policy", "ops", { policy: document(READ_SECRET, ADMIN) })], message: /The policy allows every action on every resource \(Everything\)/ },
        { label: "an inline role policy", resources: () => [resource("aws:iam/rolePolicy:RolePolicy", "ops", { role: "ops", policy: document({ Effect: "Allow", Action: ["*:*"], Resource: ["*"] }) })], message: /inline role policy allows every action/ },
        { label: "AdministratorAccess attached", resources: () => [resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ops-admin", { role: "ops", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })], message: /The attachment gives its role the AWS-managed AdministratorAccess policy \(arn:aws:iam::aws:policy\/AdministratorAccess\)\./ },
        { label: "AdministratorAccess on the role", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })], message: /has the AdministratorAccess managed policy/ },
        // Administrator access without Action "*" or an attachment of AdministratorAccess to a role.
        {
          label: "Allow NotAction on Resource *",
          resources: () => [resource("aws:iam/policy:Policy", "ops", { policy: document({ Sid: "AllButBilling", Effect: "Allow", NotAction: ["aws-portal:*", "budgets:*"], Resource: "*" }) })],
          message: /The policy allows every action except aws-portal:\*, budgets:\* on every resource \(AllButBilling\)/,
        },
        { label: "Allow NotAction (one string) in a role's inline policy", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME, inlinePolicies: [{ name: "almost-all", policy: document({ Effect: "Allow", NotAction: "iam:*", Resource: ["*"] }) }] })], message: /Inline policy almost-all allows every action except iam:\* on every resource/ },
        { label: "Action * on every resource but one (NotResource)", resources: () => [resource("aws:iam/groupPolicy:GroupPolicy", "ops", { group: "ops", policy: document({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::audit-logs/*" }) })], message: /inline group policy allows every action on every resource except arn:aws:s3:::audit-logs\/\*/ },
        { label: "Action * on an ARN pattern that matches every resource", resources: () => [resource("aws:iam/policy:Policy", "ops", { policy: document({ Effect: "Allow", Action: "*", Resource: "arn:aws:*:*:*:*" }) })], message: /allows every action on every resource/ },
        { label: "PowerUserAccess to a user", resources: () => [resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "dev-power", { user: "dev", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" })], message: /The attachment gives its user the AWS-managed PowerUserAccess policy/ },
        { label: "IAMFullAccess to a group", resources: () => [resource("aws:iam/groupPolicyAttachment:GroupPolicyAttachment", "ops-iam", { group: "ops", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" })], message: /gives its group the AWS-managed IAMFullAccess policy/ },
        { label: "AdministratorAccess through PolicyAttachment", resources: () => [resource("aws:iam/policyAttachment:PolicyAttachment", "admins", { roles: ["ops"], users: ["alice"], groups: [], policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })], message: /gives its roles, users and groups the AWS-managed AdministratorAccess policy/ },
        { label: "AdministratorAccess in GovCloud", resources: () => [resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ops-admin", { role: "ops", policyArn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" })], message: /gives its role the AWS-managed AdministratorAccess policy \(arn:aws-us-gov:/ },
        { label: "PowerUserAccess in China on the role", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME, managedPolicyArns: ["arn:aws-cn:iam::aws:policy/PowerUserAccess"] })], message: /The role has the PowerUserAccess managed policy/ },
        { label: "AdministratorAccess through the exclusive attachments of a role", resources: () => [resource("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", "ops", { roleName: "ops", policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })], message: /gives its role the AWS-managed AdministratorAccess policy/ },
      ],
    },
  });
});
