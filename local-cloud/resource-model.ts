import { type Partition, partitionOf } from "./aws-facts.js";
import { charsFrom, digitsFrom, hexFrom, LOWER_ALNUM, UPPER_ALNUM, uuidFrom } from "./hashing.js";
import type { Inventory } from "./inventory.js";
import type { Properties, PropertyReader } from "./property-values.js";

/** How Pulumi names a resource whose name property the program left out. */
export interface AutoName {
  /** The input that carries the physical name (`name`, `bucket`, `identifier`, `domainName`, ...). */
  readonly property: string;
  /** AWS's length limit; the logical-name part is cut so that name + suffix fits. @default 255 */
  readonly maxLength?: number;
  /** S3 buckets, RDS identifiers and OpenSearch domains must be lower case. */
  readonly lowercase?: boolean;
  /** The `namePrefix`-style input: when set, AWS appends a 26-digit unique suffix to it instead. */
  readonly prefixProperty?: string;
  /** A fixed prefix the name must carry (KMS aliases live under `alias/`). */
  readonly fixedPrefix?: string;
}

/** What AWS computes when the resource is created: unknown during a preview. */
export interface Created {
  readonly id: string;
  readonly outputs?: Properties;
}

/**
 * The model of one resource type. `defaults` and the auto-name are what the provider fills in at
 * plan time (known in a preview, as with the real provider); `create` is what AWS answers on
 * create (ids, ARNs, endpoints): known only in an update.
 */
export interface ResourceModel {
  /** Global services (IAM, Route 53, CloudFront) have no region and no `region` output. @default "regional" */
  readonly scope?: "regional" | "global";
  /** The type has `tags`/`tagsAll`: `tagsAll` merges the provider's default tags. */
  readonly tagged?: boolean;
  readonly autoName?: AutoName;
  /** Values the provider sets when the input is absent. */
  readonly defaults?: Properties;
  readonly create: (r: ResourceContext) => Created;
}

export type ModelTable = Readonly<Record<string, ResourceModel>>;

export interface ResourceContextInit {
  readonly type: string;
  readonly name: string;
  readonly inputs: PropertyReader;
  readonly region: string;
  readonly accountId: string;
  readonly stack: string;
  readonly physicalName: string;
  readonly inventory: Inventory;
}

/**
 * Everything a model needs to answer like AWS: the inputs, where the resource lives, and
 * deterministic generators seeded by (stack, type, name, region).
 */
export class ResourceContext {
  readonly type: string;
  readonly name: string;
  readonly inputs: PropertyReader;
  readonly region: string;
  readonly accountId: string;
  readonly partition: Partition;
  /** The physical name: the program's, or the auto-name. */
  readonly physicalName: string;
  readonly inventory: Inventory;
  private readonly seed: string;

  constructor(init: ResourceContextInit) {
    this.type = init.type;
    this.name = init.name;
    this.inputs = init.inputs;
    this.region = init.region;
    this.accountId = init.accountId;
    this.partition = partitionOf(init.region);
    this.physicalName = init.physicalName;
    this.inventory = init.inventory;
    this.seed = `${init.stack}|${init.type}|${init.name}|${init.region}`;
  }

  /**
   * A required string input. Should the program leave it out (AWS would refuse), the logical name
   * stands in: an empty id would read as "unknown" to the SDK and stall whatever waits on it.
   */
  required(key: string): string {
    return this.inputs.string(key) ?? this.name;
  }

  get dnsSuffix(): string {
    return this.partition.dnsSuffix;
  }

  hex(length: number, salt = ""): string {
    return hexFrom(`${this.seed}|${salt}`, length);
  }

  digits(length: number, salt = ""): string {
    return digitsFrom(`${this.seed}|${salt}`, length);
  }

  upper(length: number, salt = ""): string {
    return charsFrom(`${this.seed}|${salt}`, UPPER_ALNUM, length);
  }

  lower(length: number, salt = ""): string {
    return charsFrom(`${this.seed}|${salt}`, LOWER_ALNUM, length);
  }

  uuid(salt = ""): string {
    return uuidFrom(`${this.seed}|${salt}`);
  }

  /** An EC2-style id: `sg-0a1b2c3d4e5f60718`. */
  ec2Id(prefix: string, salt = ""): string {
    return `${prefix}-${this.hex(17, `${prefix}${salt}`)}`;
  }

  /** `arn:<partition>:<service>:<region>:<account>:<resource>`; pass `""` to leave a field empty. */
  arn(service: string, resource: string, fields: { region?: string; account?: string } = {}): string {
    const region = fields.region ?? this.region;
    const account = fields.account ?? this.accountId;
    return `arn:${this.partition.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** An ARN for a global service (IAM, Route 53, CloudFront): no region. */
  globalArn(service: string, resource: string): string {
    return this.arn(service, resource, { region: "" });
  }

  /** A fixed creation timestamp: deterministic output beats a realistic clock. */
  get createdAt(): string {
    return "2024-01-01T00:00:00Z";
  }
}
