// KMS: one customer-managed key per data class (components/keys.ts).
import * as aws from "@pulumi/aws";
import { resourcePolicy, type ShopPolicy } from "../lib/define.js";
import { conditionKeys, hasWildcardPrincipal, statementsOf } from "../lib/policy-document.js";
import { validateTyped } from "../lib/typed.js";
import { isFalse, isTrue, stringOf } from "../lib/values.js";

export const keyRotation = resourcePolicy({
  name: "kms-key-rotation",
  description: "Every symmetric customer-managed KMS key rotates its key material automatically.",
  enforcementLevel: "mandatory",
  severity: "medium",
  service: "kms",
  compliance: { pciDss: "3.7.4", gdpr: "Art. 32(1)(a)" },
  remediationSteps: "Set enableKeyRotation: true (and rotationPeriodInDays, 365 at most) on the aws.kms.Key.",
  validateResource: validateTyped(aws.kms.Key, (key, args, report) => {
    const spec = stringOf(key.customerMasterKeySpec) ?? "SYMMETRIC_DEFAULT";
    const usage = stringOf(key.keyUsage) ?? "ENCRYPT_DECRYPT";
    if (spec !== "SYMMETRIC_DEFAULT" || usage !== "ENCRYPT_DECRYPT") args.notApplicable("AWS rotates only symmetric encryption keys");
    if (!isTrue(key.enableKeyRotation)) report("The key does not rotate automatically (enableKeyRotation is not true).");
  }),
});

/** Condition keys that pin a wildcard principal to this account or organisation. */
const ACCOUNT_PINNING_KEYS = ["kms:calleraccount", "aws:principalaccount", "aws:principalorgid", "aws:sourceaccount", "aws:principalarn"];

function wildcardGrants(policy: unknown): string[] | undefined {
  const statements = statementsOf(policy);
  if (statements === undefined) return undefined;
  return statements
    .filter((statement) => statement.effect === "Allow" && hasWildcardPrincipal(statement))
    .filter((statement) => !conditionKeys(statement).some((key) => ACCOUNT_PINNING_KEYS.includes(key)))
    .map((statement, index) => statement.sid ?? `statement ${index + 1}`);
}

function checkKeyPolicy(policy: unknown, report: (message: string) => void): void {
  if (policy === undefined || policy === null || policy === "") return;
  const grants = wildcardGrants(policy);
  if (grants === undefined) report("The key policy is not a readable policy document.");
  else if (grants.length > 0) report(`The key policy allows any principal ("*") without pinning the caller's account: ${grants.join(", ")}.`);
}

export const noWildcardPrincipal = resourcePolicy({
  name: "kms-no-wildcard-principal",
  description: "No KMS key policy allows a wildcard principal unless a condition pins it to this account or organisation.",
  enforcementLevel: "mandatory",
  severity: "critical",
  service: "kms",
  compliance: { pciDss: "3.6.1", gdpr: "Art. 25(2)" },
  remediationSteps:
    "Name the principals (the account root, service principals such as logs.<region>.amazonaws.com with an aws:SourceArn condition, " +
    "role ARNs) instead of \"*\"; where \"*\" is needed, add a kms:CallerAccount or aws:PrincipalOrgID condition.",
  validateResource: [
    validateTyped(aws.kms.Key, (key, _args, report) => { checkKeyPolicy(key.policy, report); }),
    validateTyped(aws.kms.KeyPolicy, (keyPolicy, _args, report) => { checkKeyPolicy(keyPolicy.policy, report); }),
    validateTyped(aws.kms.ReplicaKey, (replica, _args, report) => {
      if (!isFalse(replica.enabled)) checkKeyPolicy(replica.policy, report);
    }),
  ],
});

export const kmsPolicies: readonly ShopPolicy[] = [keyRotation, noWildcardPrincipal];
