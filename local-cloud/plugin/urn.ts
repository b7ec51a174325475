/** What a provider needs from a resource URN `urn:pulumi:<stack>::<project>::<parent$type>::<name>`. */
export interface ParsedUrn {
  readonly stack: string;
  readonly project: string;
  /** The resource's own type token (the last segment of the qualified type). */
  readonly type: string;
  readonly name: string;
}

const URN_PREFIX = "urn:pulumi:";

export function parseUrn(urn: string): ParsedUrn {
  const parts = urn.startsWith(URN_PREFIX) ? urn.slice(URN_PREFIX.length).split("::") : [];
  const [stack, project, qualifiedType] = parts;
  // The name is the rest: a logical name may itself contain "::".
  const name = parts.slice(3).join("::");
  const type = qualifiedType?.split("$").pop();
  if (stack === undefined || project === undefined || type === undefined || type === "" || parts.length < 4) {
    throw new Error(`"${urn}" is not a resource URN (urn:pulumi:<stack>::<project>::<type>::<name>).`);
  }
  return { stack, project, type, name };
}
