import type { Client, Types } from "@opensearch-project/opensearch";
import type { IndexDefinition } from "../apps/storefront/src/catalog/mapping.js";

/** The index every bench subject loads into: shopctl's definition with its build settings. */
export async function createBenchIndex(client: Client, index: string, definition: IndexDefinition): Promise<void> {
  await client.indices.delete({ index }, { ignore: [404] });
  await client.indices.create({
    index,
    body: {
      settings: { ...definition.settings, "index.number_of_replicas": 0, "index.refresh_interval": "-1" },
      mappings: { ...definition.mappings, properties: definition.mappings.properties as Record<string, Types.Common_Mapping.Property> },
    },
  });
}
