import { isRecord, PropertyReader } from "./property-values.js";

/** What the mock cloud needs to know about an `aws.Provider`. */
export interface ProviderConfig {
  readonly region: string;
  readonly defaultTags: Readonly<Record<string, string>>;
}

/** The id part of a provider reference `"<urn>::<id>"`. */
export function providerIdOf(reference: string): string {
  const separator = reference.lastIndexOf("::");
  return separator < 0 ? reference : reference.slice(separator + 2);
}

/**
 * `defaultTags` as the provider resource receives it: the SDK JSON-encodes object-valued provider
 * inputs, so it arrives as the string `{"tags":{...}}` (or, from config, the parsed object).
 */
export function parseDefaultTags(value: unknown): Record<string, string> {
  let parsed = value;
  if (typeof value === "string") {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!isRecord(parsed)) return {};
  return new PropertyReader(parsed).stringMap("tags");
}

/**
 * The explicit providers created in this run, keyed by the id the mock cloud gave them. Resources
 * name their provider by reference (`urn::id`); the id alone identifies it because the mock
 * cloud always returns a provider id, even in a preview.
 */
export class ProviderRegistry {
  private readonly byId = new Map<string, ProviderConfig>();

  register(id: string, config: ProviderConfig): void {
    this.byId.set(id, config);
  }

  /** The explicit provider behind a reference; `undefined` when the reference is empty (default provider). */
  resolve(reference: string | undefined): ProviderConfig | undefined {
    if (reference === undefined || reference === "") return undefined;
    const config = this.byId.get(providerIdOf(reference));
    if (config === undefined) {
      throw new Error(`Unknown provider reference ${reference}: the provider was not registered in this run of the mock cloud.`);
    }
    return config;
  }
}
