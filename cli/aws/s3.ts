import { HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { clientSettings } from "./client-config.js";

/** Resolves when the bucket exists and these credentials may use it; rejects with AWS's reason otherwise. */
export async function headBucket(bucket: string, region: string, env: NodeJS.ProcessEnv): Promise<void> {
  const client = new S3Client(clientSettings("S3", region, env));
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}
