import type { Properties } from "./property-values.js";

export interface InventoryEntry {
  readonly type: string;
  readonly name: string;
  readonly id: string;
  readonly region: string | undefined;
  readonly state: Readonly<Properties>;
}

/**
 * What the mock cloud has created in this run, so later answers can be consistent with earlier
 * ones: a load balancer's `vpcId` comes from its subnets, a `getZone` lookup finds the zone the
 * program created, a KMS alias resolves to its key. One inventory per MockCloud, i.e. per run.
 */
export class Inventory {
  private readonly entries: InventoryEntry[] = [];
  private readonly byIdentifier = new Map<string, InventoryEntry>();

  add(entry: InventoryEntry): void {
    this.entries.push(entry);
    this.byIdentifier.set(entry.id, entry);
    const arn = entry.state.arn;
    if (typeof arn === "string") this.byIdentifier.set(arn, entry);
  }

  /** The entry whose id or ARN is `identifier`. */
  get(identifier: string): InventoryEntry | undefined {
    return this.byIdentifier.get(identifier);
  }

  find(type: string | readonly string[], predicate: (entry: InventoryEntry) => boolean = () => true): InventoryEntry | undefined {
    const types = typeof type === "string" ? [type] : type;
    return this.entries.find((entry) => types.includes(entry.type) && predicate(entry));
  }

  /** A string property of the entry with that id/ARN, if both exist. */
  stringOf(identifier: string | undefined, property: string): string | undefined {
    if (identifier === undefined) return undefined;
    const value = this.get(identifier)?.state[property];
    return typeof value === "string" ? value : undefined;
  }
}
