import type { InvokeContext, InvokeHandler } from "./invoke-context.js";
import { renderPolicyDocument } from "./policy-document.js";

// IAM, KMS and Secrets Manager lookups. Things the program created in this run are answered from
// the inventory; anything else is taken to pre-exist in the account (service-linked roles,
// AWS-managed keys, secrets made out of band) and answered with stable made-up values.

function kmsKeyLookup(c: InvokeContext): Record<string, unknown> {
  const reference = c.args.string("keyId") ?? "";
  const entry = c.inventory.get(reference) ?? c.inventory.find("aws:kms/alias:Alias", (alias) => alias.state.arn === reference);
  const targetArn = entry?.type === "aws:kms/alias:Alias" ? entry.state.targetKeyArn : undefined;
  const key = typeof targetArn === "string" ? c.inventory.get(targetArn) : entry;
  if (key !== undefined && key.type === "aws:kms/key:Key") {
    const state = key.state;
    return {
      id: key.id,
      keyId: key.id,
      arn: state.arn,
      awsAccountId: c.accountId,
      creationDate: "2024-01-01T00:00:00Z",
      customerMasterKeySpec: state.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT",
      description: state.description ?? "",
      enabled: state.isEnabled ?? true,
      keyManager: "CUSTOMER",
      keySpec: state.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT",
      keyState: "Enabled",
      keyUsage: state.keyUsage ?? "ENCRYPT_DECRYPT",
      multiRegion: state.multiRegion ?? false,
      origin: "AWS_KMS",
      region: key.region ?? c.region,
    };
  }
  const awsManaged = reference.startsWith("alias/aws/") || reference.includes(":alias/aws/");
  const keyId = reference.startsWith("arn:") && reference.includes(":key/") ? reference.split(":key/")[1] ?? "" : c.uuid(`key:${reference}`);
  return {
    id: keyId,
    keyId,
    arn: c.arn("kms", `key/${keyId}`),
    awsAccountId: c.accountId,
    creationDate: "2024-01-01T00:00:00Z",
    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
    description: awsManaged ? `Default key that protects my ${reference.split("/").at(-1) ?? ""} data when no other key is defined` : "",
    enabled: true,
    keyManager: awsManaged ? "AWS" : "CUSTOMER",
    keySpec: "SYMMETRIC_DEFAULT",
    keyState: "Enabled",
    keyUsage: "ENCRYPT_DECRYPT",
    multiRegion: keyId.startsWith("mrk-"),
    origin: "AWS_KMS",
    region: c.region,
  };
}

export const identityLookups: Readonly<Record<string, InvokeHandler>> = {
  "aws:iam/getPolicyDocument:getPolicyDocument": (c) => ({ ...c.args.values, ...renderPolicyDocument(c.args.values) }),

  "aws:iam/getRole:getRole": (c) => {
    const name = c.args.string("name") ?? "";
    const created = c.inventory.find("aws:iam/role:Role", (role) => role.id === name);
    if (created !== undefined) return { ...created.state, id: name, name, roleLastUseds: [] };
    const path = name.startsWith("AWSServiceRoleFor") ? "/aws-service-role/" : "/";
    return {
      id: name,
      name,
      path,
      arn: c.arn("iam", `role${path}${name}`, { region: "" }),
      uniqueId: `AROA${c.upper(17, `role:${name}`)}`,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
      createDate: "2024-01-01T00:00:00Z",
      description: "",
      maxSessionDuration: 3600,
      permissionsBoundary: "",
      roleLastUseds: [],
      tags: {},
    };
  },

  // AWS-managed policies live under the "aws" account: arn:aws:iam::aws:policy/<name>.
  "aws:iam/getPolicy:getPolicy": (c) => {
    const arn = c.args.string("arn") ?? c.arn("iam", `policy/${c.args.string("name") ?? ""}`, { region: "", account: "aws" });
    const name = arn.split("/").at(-1) ?? "";
    const created = c.inventory.get(arn);
    if (created !== undefined) return { ...created.state, id: arn, arn, name };
    return {
      id: arn,
      arn,
      name,
      path: "/",
      policyId: `ANPA${c.upper(17, `policy:${arn}`)}`,
      policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }),
      description: "",
      attachmentCount: 0,
      tags: {},
    };
  },

  "aws:kms/getKey:getKey": kmsKeyLookup,

  "aws:secretsmanager/getSecret:getSecret": (c) => {
    const reference = c.args.string("arn") ?? c.args.string("name") ?? "";
    const created =
      c.inventory.get(reference) ?? c.inventory.find("aws:secretsmanager/secret:Secret", (secret) => secret.state.name === reference);
    if (created !== undefined) return { ...created.state, id: created.id, createdDate: "2024-01-01T00:00:00Z", lastChangedDate: "2024-01-01T00:00:00Z" };
    const name = reference.startsWith("arn:") ? (reference.split(":secret:")[1] ?? "").replace(/-[A-Za-z0-9]{6}$/, "") : reference;
    const arn = reference.startsWith("arn:") ? reference : c.arn("secretsmanager", `secret:${name}-${c.hex(6, `secret:${name}`)}`);
    return {
      id: arn,
      arn,
      name,
      description: "",
      kmsKeyId: "",
      policy: "",
      type: "",
      createdDate: "2024-01-01T00:00:00Z",
      lastChangedDate: "2024-01-01T00:00:00Z",
      tags: {},
      region: c.region,
    };
  },
};
