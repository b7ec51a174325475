import { Client } from "@opensearch-project/opensearch";

/** AWS credentials as the default provider chain yields them. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface SearchTarget {
  /** `http(s)://host[:port]` of the cluster. */
  url: string;
  /** Sign every request with SigV4 (Amazon OpenSearch Service, service `es`). */
  sigv4?: {
    region: string;
    /** Defaults to the AWS SDK's default provider chain (env, profile, SSO, instance role, ...). */
    getCredentials?: () => Promise<AwsCredentials>;
  };
}

/** The region of an Amazon OpenSearch Service endpoint (`vpc-x-abc.eu-west-1.es.amazonaws.com`), if it is one. */
export function amazonOpenSearchRegion(hostname: string): string | undefined {
  const match = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.es\.amazonaws\.com(?:\.cn)?$/.exec(hostname.toLowerCase());
  return match?.[1];
}

/**
 * An OpenSearch client for the reindex: no client-side retries (the engine retries with
 * backoff and resumes from its checkpoint) and a generous timeout for bulk requests.
 */
export async function createSearchClient(target: SearchTarget): Promise<Client> {
  const options = { node: target.url, maxRetries: 0, requestTimeout: 120_000 };
  if (target.sigv4 === undefined) return new Client(options);
  const { AwsSigv4Signer } = await import("@opensearch-project/opensearch/aws");
  const getCredentials = target.sigv4.getCredentials ?? (await import("@aws-sdk/credential-provider-node")).defaultProvider();
  return new Client({ ...options, ...AwsSigv4Signer({ region: target.sigv4.region, service: "es", getCredentials }) });
}
