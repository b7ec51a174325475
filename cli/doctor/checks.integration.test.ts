// doctor's AWS checks against moto on loopback (test/services.ts): real SDK calls, real answers.
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateAliasCommand, CreateKeyCommand, DisableKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEndpoints } from "../../test/services.js";
import { checkAwsCredentials, checkBackend, checkRegion, checkSecrets, runChecks } from "./checks.js";

const { motoUrl } = serviceEndpoints();
// The SDK takes credentials from the process environment (the standard AWS chain); shopctl's own
// settings (the endpoint) come from the environment it is given.
const env = { SHOPCTL_AWS_ENDPOINT_URL: motoUrl };
const awsVariables = { AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" };
const saved = Object.fromEntries(Object.keys(awsVariables).map((key) => [key, process.env[key]]));
const suffix = `${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
const bucket = `shopctl-doctor-state-${suffix}`;
const alias = `alias/shopctl-doctor-${suffix}`;
const disabledAlias = `alias/shopctl-doctor-off-${suffix}`;
const credentials = { accessKeyId: "testing", secretAccessKey: "testing" };

afterAll(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, key);
    else process.env[key] = value;
  }
});

beforeAll(async () => {
  Object.assign(process.env, awsVariables);
  const s3 = new S3Client({ region: "eu-west-1", endpoint: motoUrl, forcePathStyle: true, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
  const kms = new KMSClient({ region: "eu-west-1", endpoint: motoUrl, credentials });
  const key = await kms.send(new CreateKeyCommand({ Description: "shopctl doctor test" }));
  await kms.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: key.KeyMetadata?.KeyId }));
  const off = await kms.send(new CreateKeyCommand({ Description: "shopctl doctor test, disabled" }));
  await kms.send(new CreateAliasCommand({ AliasName: disabledAlias, TargetKeyId: off.KeyMetadata?.KeyId }));
  await kms.send(new DisableKeyCommand({ KeyId: off.KeyMetadata?.KeyId }));
});

describe("doctor's AWS checks (moto)", () => {
  it("reports the caller identity", async () => {
    const result = await checkAwsCredentials(env, "eu-west-1");
    expect(result.status).toBe("ok");
    expect(result.detail).toMatch(/^account \d{12} as arn:aws:(sts|iam)::\d{12}:/);
  });

  it("fails without credentials, with the fix", async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    let result;
    try {
      result = await checkAwsCredentials(env, "eu-west-1");
    } finally {
      Object.assign(process.env, awsVariables);
    }
    expect(result.status).toBe("fail");
    expect(result.detail).toMatch(/credentials/i);
    expect(result.fix).toContain("aws sso login");
  });

  it("counts the availability zones of a region", async () => {
    const result = await checkRegion("eu-central-1", env);
    expect(result).toMatchObject({ status: "ok", name: "region eu-central-1" });
    expect(result.detail).toMatch(/^\d+ availability zones$/);
  });

  it("checks an S3 state bucket, and fails a missing one", async () => {
    const base = { backendKind: "s3" as const, secretsProvider: "passphrase" };
    expect((await checkBackend({ ...base, backendUrl: `s3://${bucket}/shop?region=eu-west-1` }, env, "eu-west-1")).status).toBe("ok");
    const missing = await checkBackend({ ...base, backendUrl: `s3://${bucket}-missing?region=eu-west-1` }, env, "eu-west-1");
    expect(missing.status).toBe("fail");
    expect(missing.fix).toContain("create the bucket");
  });

  it("checks an awskms:// secrets provider's key, and fails a disabled one", async () => {
    const base = { backendUrl: "file:///x", backendKind: "file" as const };
    const enabled = await checkSecrets({ ...base, secretsProvider: `awskms://${alias}?region=eu-west-1` }, env, "us-east-1");
    expect(enabled).toMatchObject({ status: "ok", detail: expect.stringMatching(/^KMS key arn:aws:kms:eu-west-1:/) as unknown });
    const disabled = await checkSecrets({ ...base, secretsProvider: `awskms://${disabledAlias}?region=eu-west-1` }, env, "us-east-1");
    expect(disabled.status).toBe("fail");
    expect(disabled.detail).toContain("Disabled");
  });

  it("runs the region checks once credentials work", async () => {
    const results = await runChecks({
      env,
      settings: { backendUrl: `s3://${bucket}?region=eu-west-1`, backendKind: "s3", secretsProvider: `awskms://${alias}?region=eu-west-1` },
      regions: ["eu-west-1", "eu-central-1", "us-east-1"],
      homeRegion: "eu-west-1",
      only: ["backend", "secrets", "aws-credentials", "region"],
    });
    expect(results.map((result) => `${result.name}: ${result.status}`)).toEqual([
      "state backend: ok", "secrets provider: ok", "AWS credentials: ok", "region eu-west-1: ok", "region eu-central-1: ok", "region us-east-1: ok",
    ]);
  });
});
