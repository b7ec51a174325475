import { DescribeDomainCommand, OpenSearchClient, ResourceNotFoundException } from "@aws-sdk/client-opensearch";
import { awsErrorMessage, clientSettings } from "./client-config.js";

/**
 * The HTTPS endpoint of an Amazon OpenSearch Service domain, as `https://host`. A VPC domain
 * reports it under `Endpoints.vpc`; a public one under `Endpoint`.
 */
export async function searchDomainEndpoint(region: string, domainName: string, env: NodeJS.ProcessEnv): Promise<string> {
  const client = new OpenSearchClient(clientSettings("OPENSEARCH", region, env));
  try {
    const { DomainStatus: domain } = await client.send(new DescribeDomainCommand({ DomainName: domainName }));
    const host = domain?.Endpoints?.vpc ?? domain?.Endpoint;
    if (host === undefined || host === "") {
      const state = domain?.Processing === true ? "it is still being created or changed" : "it reports no endpoint";
      throw new Error(`OpenSearch domain ${domainName} in ${region} has no endpoint yet (${state})`);
    }
    return host.startsWith("https://") ? host : `https://${host}`;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) throw new Error(`OpenSearch domain ${domainName} does not exist in ${region}`, { cause: error });
    if (error instanceof Error && error.message.startsWith("OpenSearch domain")) throw error;
    throw new Error(`could not describe OpenSearch domain ${domainName} in ${region}: ${awsErrorMessage(error)}`, { cause: error });
  } finally {
    client.destroy();
  }
}
