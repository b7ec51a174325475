import { type Partition, partitionOf } from "../aws-facts.js";
import { charsFrom, hexFrom, UPPER_ALNUM, uuidFrom } from "../hashing.js";
import type { Inventory } from "../inventory.js";
import type { Properties, PropertyReader } from "../property-values.js";

/** What an invoke handler may use: its arguments, the region it runs in, and the run's inventory. */
export class InvokeContext {
  readonly partition: Partition;

  constructor(
    readonly token: string,
    readonly args: PropertyReader,
    /** The invoke's `region` argument, else its provider's region, else the default region. */
    readonly region: string,
    readonly accountId: string,
    readonly inventory: Inventory,
    /** The default tags of the invoke's provider. */
    readonly defaultTags: Readonly<Record<string, string>>,
  ) {
    this.partition = partitionOf(region);
  }

  arn(service: string, resource: string, fields: { region?: string; account?: string } = {}): string {
    return `arn:${this.partition.partition}:${service}:${fields.region ?? this.region}:${fields.account ?? this.accountId}:${resource}`;
  }

  /** Lookups of pre-existing things are seeded by what was asked for, so answers are stable. */
  hex(length: number, salt: string): string {
    return hexFrom(`${this.accountId}|${this.region}|${salt}`, length);
  }

  upper(length: number, salt: string): string {
    return charsFrom(`${this.accountId}|${this.region}|${salt}`, UPPER_ALNUM, length);
  }

  uuid(salt: string): string {
    return uuidFrom(`${this.accountId}|${this.region}|${salt}`);
  }
}

export type InvokeHandler = (c: InvokeContext) => Properties;
