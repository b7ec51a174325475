import * as pulumi from "@pulumi/pulumi";
import { autoNameFor } from "./auto-naming.js";
import { DEFAULT_REGION, MOCK_ACCOUNT_ID } from "./aws-facts.js";
import { MockCloudError } from "./errors.js";
import { Inventory } from "./inventory.js";
import { InvokeContext } from "./invokes/invoke-context.js";
import { invokeHandlers } from "./invokes/index.js";
import { componentModels, deprecatedTypes, resourceModels } from "./models/index.js";
import { isRecord, type Properties, PropertyReader } from "./property-values.js";
import { parseDefaultTags, type ProviderConfig, ProviderRegistry } from "./provider-registry.js";
import { ResourceContext, type ResourceModel } from "./resource-model.js";
import { uuidFrom } from "./hashing.js";

export interface MockCloudOptions {
  /** @default "123456789012" */
  readonly accountId?: string;
  /** The region of resources without an explicit provider. @default config `aws:region`, else us-east-1 */
  readonly defaultRegion?: () => string;
  /** The default provider's default tags. @default config `aws:defaultTags` (`{"tags": {...}}`) */
  readonly defaultTags?: () => Record<string, string>;
  /** Outputs of the stacks a `pulumi.StackReference` may read, by referenced stack name (`org/project/stack`). */
  readonly stackOutputs?: Readonly<Record<string, Properties>>;
  /** The stack whose resources are answered for (it seeds every id and name). @default `pulumi.getStack()` */
  readonly stack?: () => string;
  /** A preview: AWS-computed outputs stay unknown. @default `pulumi.runtime.isDryRun()` */
  readonly isPreview?: () => boolean;
  /** What the cloud holds already; the provider plugin passes one that outlives the process. @default empty */
  readonly inventory?: Inventory;
}

/**
 * What the SDK's MockMonitor does not pass to `newResource` but the harness can see in the
 * registration request.
 */
export interface RegistrationHints {
  /** The registration is a remote (multi-language) component. */
  readonly remote?: boolean;
  /** Package → provider reference for a component (its `providers`, inherited from its parents). */
  readonly providers?: Readonly<Record<string, string>>;
}

const AWS_PROVIDER_TYPE = "pulumi:providers:aws";
const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

function configuredRegion(): string {
  return new pulumi.Config("aws").get("region") ?? DEFAULT_REGION;
}

function configuredDefaultTags(): Record<string, string> {
  return parseDefaultTags(new pulumi.Config("aws").get("defaultTags"));
}

function asProperties(value: unknown): Properties {
  return isRecord(value) ? value : {};
}

/**
 * A `pulumi.runtime.Mocks` that answers like AWS: per-type ids, ARNs, endpoints and auto-names,
 * deterministic from run to run, in the region of each resource's provider. One instance per
 * program run: it remembers the providers and resources it created.
 */
export class MockCloud implements pulumi.runtime.Mocks {
  readonly inventory: Inventory;
  readonly accountId: string;
  private readonly providers = new ProviderRegistry();
  private readonly defaultRegion: () => string;
  private readonly defaultTags: () => Record<string, string>;
  private readonly stackOutputs: Readonly<Record<string, Properties>>;
  private readonly stack: () => string;
  private readonly isPreview: () => boolean;

  constructor(options: MockCloudOptions = {}) {
    this.accountId = options.accountId ?? MOCK_ACCOUNT_ID;
    this.defaultRegion = options.defaultRegion ?? configuredRegion;
    this.defaultTags = options.defaultTags ?? configuredDefaultTags;
    this.stackOutputs = options.stackOutputs ?? {};
    this.stack = options.stack ?? (() => pulumi.getStack());
    this.isPreview = options.isPreview ?? (() => pulumi.runtime.isDryRun());
    this.inventory = options.inventory ?? new Inventory();
  }

  newResource(args: pulumi.runtime.MockResourceArgs, hints: RegistrationHints = {}): pulumi.runtime.MockResourceResult {
    const inputs = asProperties(args.inputs);
    if (args.type.startsWith("pulumi:providers:")) return this.provider(args.type, args.name, inputs);
    if (args.type === STACK_REFERENCE_TYPE) return this.stackReference(args.name, inputs);
    if (args.custom !== true) return this.component(args.type, args.name, inputs, hints);
    return this.customResource(args, inputs);
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    const handler = invokeHandlers[args.token];
    if (handler === undefined) throw unknownInvokeError(args.token);
    const reader = new PropertyReader(asProperties(args.inputs));
    const provider = this.providerConfig(args.provider);
    const region = reader.string("region") ?? provider.region;
    return handler(new InvokeContext(args.token, reader, region, this.accountId, this.inventory, provider.defaultTags));
  }

  /** The region and default tags that apply under a provider reference (`""`: the default provider). */
  providerConfig(reference: string | undefined): ProviderConfig {
    return this.providers.resolve(reference) ?? { region: this.defaultRegion(), defaultTags: this.defaultTags() };
  }

  private provider(type: string, name: string, inputs: Properties): pulumi.runtime.MockResourceResult {
    const reader = new PropertyReader(inputs);
    const region = type === AWS_PROVIDER_TYPE ? (reader.string("region") ?? this.defaultRegion()) : this.defaultRegion();
    // Providers always get an id, even in a preview: resources refer to them by `urn::id`.
    const id = uuidFrom(`provider|${this.stack()}|${type}|${name}|${region}`);
    this.providers.register(id, { region, defaultTags: parseDefaultTags(inputs.defaultTags) });
    return { id, state: inputs };
  }

  private stackReference(name: string, inputs: Properties): pulumi.runtime.MockResourceResult {
    const stack = new PropertyReader(inputs).string("name") ?? name;
    const outputs = this.stackOutputs[stack];
    if (outputs === undefined) {
      throw new MockCloudError(
        `StackReference "${stack}": the mock cloud has no outputs for that stack. Pass them as ` +
          `runUnderMocks(program, { cloud: { stackOutputs: { "${stack}": { ... } } } }).`,
      );
    }
    return { id: stack, state: { name: stack, outputs, secretOutputNames: [] } };
  }

  private component(type: string, name: string, inputs: Properties, hints: RegistrationHints): pulumi.runtime.MockResourceResult {
    const model = componentModels[type];
    if (model === undefined) {
      if (hints.remote === true || type.startsWith("awsx:")) {
        throw new MockCloudError(
          `The mock cloud has no model for the remote component "${type}" (resource "${name}"): under mocks its provider never ` +
            `runs, so its outputs would all be undefined. Add a model to local-cloud/models/ and list it in ` +
            `componentModels in local-cloud/models/index.ts.`,
        );
      }
      // A local ComponentResource: the engine keeps no state for it.
      return { id: undefined, state: {} };
    }
    if (this.isPreview()) return { id: undefined, state: {} };
    const reader = new PropertyReader(inputs);
    const region = reader.string("region") ?? this.providerConfig(hints.providers?.aws).region;
    return { id: undefined, state: model(this.context(type, name, reader, region, name)) };
  }

  private customResource(args: pulumi.runtime.MockResourceArgs, inputs: Properties): pulumi.runtime.MockResourceResult {
    const model = resourceModels[args.type];
    if (model === undefined) throw unknownTypeError(args.type, args.name);
    const reader = new PropertyReader(inputs);
    const provider = this.providerConfig(args.provider);
    const regional = model.scope !== "global";
    // @pulumi/aws v7 lets a resource pick its own region; otherwise it is its provider's.
    const region = (regional ? reader.string("region") : undefined) ?? provider.region;
    const seed = `${this.stack()}|${args.type}|${args.name}|${region}`;
    const autoName = model.autoName === undefined ? undefined : autoNameFor(model.autoName, reader, args.name, seed);

    const planned: Properties = { ...missingDefaults(model, reader) };
    if (model.autoName !== undefined && autoName !== undefined) planned[model.autoName.property] = autoName;
    if (regional && !reader.has("region")) planned.region = region;
    if (model.tagged === true && !reader.isUnknown("tags")) planned.tagsAll = { ...provider.defaultTags, ...reader.stringMap("tags") };
    // In a preview AWS has computed nothing yet: only inputs and plan-time values are known.
    if (this.isPreview()) return { id: args.id === "" ? undefined : args.id, state: { ...inputs, ...planned } };

    const physicalName = autoName ?? (model.autoName === undefined ? undefined : reader.string(model.autoName.property)) ?? args.name;
    const created = model.create(this.context(args.type, args.name, reader, region, physicalName));
    const id = args.id !== undefined && args.id !== "" ? args.id : created.id;
    const state = { ...inputs, ...planned, ...created.outputs };
    this.inventory.add({ type: args.type, name: args.name, id, region: regional ? region : undefined, state });
    return { id, state };
  }

  private context(type: string, name: string, inputs: PropertyReader, region: string, physicalName: string): ResourceContext {
    return new ResourceContext({
      type,
      name,
      inputs,
      region,
      accountId: this.accountId,
      stack: this.stack(),
      physicalName,
      inventory: this.inventory,
    });
  }
}

function missingDefaults(model: ResourceModel, inputs: PropertyReader): Properties {
  return Object.fromEntries(Object.entries(model.defaults ?? {}).filter(([key]) => !inputs.has(key)));
}

/** The refusal of a resource type the mock cloud has no model for (the provider plugin raises it too). */
export function unknownTypeError(type: string, name: string): MockCloudError {
  const replacement = deprecatedTypes[type];
  const hint = replacement === undefined ? "" : ` "${type}" is deprecated in @pulumi/aws v7: use ${replacement}.`;
  return new MockCloudError(
    `The mock cloud has no model for resource type "${type}" (resource "${name}").${hint} If the type is right, add a ` +
      `model to the matching module in local-cloud/models/ (listed in local-cloud/models/index.ts).`,
  );
}

/** The refusal of an invoke the mock cloud has no handler for (the provider plugins raise it too). */
export function unknownInvokeError(token: string): MockCloudError {
  return new MockCloudError(
    `The mock cloud does not answer the invoke "${token}". Add a handler to a module in ` +
      `local-cloud/invokes/ and list it in local-cloud/invokes/index.ts.`,
  );
}
