import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { Client } from "@opensearch-project/opensearch";
import { AwsSigv4Signer } from "@opensearch-project/opensearch/aws-v3";
import type { SearchSettings } from "../config/runtime.js";

/**
 * The OpenSearch client. The domain uses fine-grained access control with IAM: requests are
 * signed with SigV4 as the instance role (the same chain the AWS SDK uses).
 */
export function createSearchClient(settings: SearchSettings): Client {
  const base = { node: settings.endpoint, requestTimeout: settings.timeoutMs, maxRetries: 1 };
  if (settings.auth === "none") return new Client(base);
  if (settings.region === undefined) throw new Error("SEARCH_AUTH=sigv4 needs AWS_REGION to sign requests");
  const credentials = defaultProvider();
  return new Client({ ...base, ...AwsSigv4Signer({ region: settings.region, service: "es", getCredentials: () => credentials() }) });
}
