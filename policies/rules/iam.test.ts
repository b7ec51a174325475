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
      ],
      violating: [
        { label: "Action * on Resource *", resources: () => [resource("aws:iam/policy:Policy", "ops", { policy: document(READ_SECRET, ADMIN) })], message: /The policy allows every action on every resource \(Everything\)/ },
        { label: "an inline role policy", resources: () => [resource("aws:iam/rolePolicy:RolePolicy", "ops", { role: "ops", policy: document({ Effect: "Allow", Action: ["*:*"], Resource: ["*"] }) })], message: /inline role policy allows every action/ },
        { label: "AdministratorAccess attached", resources: () => [resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ops-admin", { role: "ops", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" })], message: /gives the role AdministratorAccess/ },
        { label: "AdministratorAccess on the role", resources: () => [resource("aws:iam/role:Role", "ops", { assumeRolePolicy: ASSUME, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] })], message: /has the AdministratorAccess managed policy/ },
      ],
    },
  });
});
