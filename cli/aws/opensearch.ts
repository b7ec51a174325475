import { DescribeDomainCommand, OpenSearchClient, ResourceNotFoundException } from "@aws-sdk/client-opensearch";
import { clientSettings } from "./client-config.js";

export interface SearchDomainHealth {
  name: string;
  /** `Active`, `Creating`, `Modifying`, `UpgradingEngineVersion`, ... or derived from the flags on older APIs. */
  state: string;
  processing: boolean;
  deleted: boolean;
  engineVersion: string | undefined;
}

export async function describeSearchDomain(region: string, name: string, env: NodeJS.ProcessEnv): Promise<SearchDomainHealth | undefined> {
  const client = new OpenSearchClient(clientSettings("OPENSEARCH", region, env));
  try {
    const { DomainStatus: domain } = await client.send(new DescribeDomainCommand({ DomainName: name }));
    if (domain === undefined) return undefined;
    const processing = domain.Processing === true || domain.UpgradeProcessing === true;
    const deleted = domain.Deleted === true;
    const state = domain.DomainProcessingStatus ?? (deleted ? "Deleting" : processing ? "Processing" : "Active");
    return { name, state, processing, deleted, engineVersion: domain.EngineVersion };
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}
