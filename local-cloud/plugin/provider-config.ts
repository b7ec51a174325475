import { DEFAULT_REGION } from "../aws-facts.js";
import { type Properties, PropertyReader } from "../property-values.js";
import { parseDefaultTags, type ProviderConfig } from "../provider-registry.js";

/**
 * The region and default tags of the provider instance a plugin process serves, from its Configure
 * request: `args` holds the provider's inputs (an explicit `aws.Provider`'s `region`, `defaultTags`
 * as the JSON string the SDK sends; the default provider's from stack config `aws:*`), `variables`
 * the same as `aws:config:<key>` strings. Without a region the mock cloud's default applies, as
 * under mocks.
 */
export function providerConfigFrom(pkg: string, args: Properties, variables: ReadonlyMap<string, string>): ProviderConfig {
  const reader = new PropertyReader(args);
  const variable = (key: string): string | undefined => variables.get(`${pkg}:config:${key}`) ?? variables.get(`${pkg}:${key}`);
  const region = reader.string("region") ?? variable("region") ?? DEFAULT_REGION;
  const tagsSource = reader.has("defaultTags") ? reader.raw("defaultTags") : variable("defaultTags");
  return { region, defaultTags: parseDefaultTags(tagsSource) };
}
