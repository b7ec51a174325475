import * as pulumi from "@pulumi/pulumi";
import pluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import type { IResourceProviderServer } from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import providerPb from "@pulumi/pulumi/proto/provider_pb.js";
import emptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import { DEFAULT_REGION } from "../aws-facts.js";
import { MockCloud, unknownTypeError } from "../mock-cloud.js";
import { resourceModels } from "../models/index.js";
import { isRecord, type Properties } from "../property-values.js";
import type { ProviderConfig } from "../provider-registry.js";
import { unary, unimplemented } from "./grpc-server.js";
import { diffInputs, type InputDiff, type PropertyChange } from "./input-diff.js";
import { cloudDirFromEnv, InventoryJournal, JournaledInventory } from "./inventory-journal.js";
import { providerConfigFrom } from "./provider-config.js";
import { parseUrn } from "./urn.js";
import { fromWire, toWire } from "./wire-values.js";

// The `aws` provider plugin: the engine's ResourceProvider service answered by the mock cloud.
//
// Why our own gRPC service rather than the SDK's (`@pulumi/pulumi/provider` main()): its server
// ignores the Configure request (so a plugin could not learn its provider's region or default
// tags), hands diff() the old outputs instead of the old inputs (computed nested outputs would
// read as updates on every run), never tells create() whether it is a preview, and does not
// announce preview support (so the engine would not even ask during a preview). Each of these is
// one line here; working around them there would mean patching its internals.
//
// One process serves one provider instance (the engine starts one per provider), so the
// configuration is the process's. What the cloud holds is not: it lives in the journal under
// SHOP_LOCAL_CLOUD_DIR, shared with the other processes and later runs.

const { PropertyDiff } = providerPb;
type PropertyDiffKind = providerPb.PropertyDiff.Kind;

const DIFF_KIND: Readonly<Record<PropertyChange, PropertyDiffKind>> = {
  add: PropertyDiff.Kind.ADD,
  delete: PropertyDiff.Kind.DELETE,
  update: PropertyDiff.Kind.UPDATE,
};

export interface AwsProviderOptions {
  /** The plugin version (the installed @pulumi/aws's). */
  readonly version: string;
  /** Where SHOP_LOCAL_CLOUD_DIR is read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function outputsOf(value: unknown): Properties {
  return isRecord(value) ? value : {};
}

function diffResponse(diff: InputDiff): providerPb.DiffResponse {
  const response = new providerPb.DiffResponse();
  response.setChanges(diff.changed ? providerPb.DiffResponse.DiffChanges.DIFF_SOME : providerPb.DiffResponse.DiffChanges.DIFF_NONE);
  response.setDiffsList([...diff.diffs]);
  response.setHasdetaileddiff(true);
  const detailed = response.getDetaileddiffMap();
  for (const [key, change] of Object.entries(diff.detailed)) {
    const property = new PropertyDiff();
    property.setKind(DIFF_KIND[change]);
    property.setInputdiff(true);
    detailed.set(key, property);
  }
  return response;
}

/** The aws provider's operations, request in, response out (the gRPC glue is in `serviceOf`). */
export class AwsProvider {
  private config: ProviderConfig = { region: DEFAULT_REGION, defaultTags: {} };
  private journalOfCloud: InventoryJournal | undefined;

  constructor(private readonly options: AwsProviderOptions) {}

  /** The journal of the cloud's directory; refuses (naming the variable) when it is not set. */
  private journal(): InventoryJournal {
    this.journalOfCloud ??= new InventoryJournal(cloudDirFromEnv(this.options.env));
    return this.journalOfCloud;
  }

  private cloud(stack: string, preview: boolean): MockCloud {
    const config = this.config;
    return new MockCloud({
      defaultRegion: () => config.region,
      defaultTags: () => ({ ...config.defaultTags }),
      stack: () => stack,
      isPreview: () => preview,
      inventory: new JournaledInventory(this.journal()),
    });
  }

  handshake(): providerPb.ProviderHandshakeResponse {
    const response = new providerPb.ProviderHandshakeResponse();
    response.setAcceptSecrets(true);
    response.setAcceptResources(true);
    response.setAcceptOutputs(true);
    return response;
  }

  configure(request: providerPb.ConfigureRequest): providerPb.ConfigureResponse {
    // Refuse here, before any resource, when the cloud has nowhere to live.
    this.journal();
    this.config = providerConfigFrom("aws", fromWire(request.getArgs()), new Map(request.getVariablesMap().getEntryList()));
    const response = new providerPb.ConfigureResponse();
    response.setAcceptsecrets(true);
    response.setAcceptresources(true);
    response.setAcceptoutputs(true);
    response.setSupportspreview(true);
    return response;
  }

  checkConfig(request: providerPb.CheckRequest): providerPb.CheckResponse {
    const response = new providerPb.CheckResponse();
    response.setInputs(toWire(fromWire(request.getNews())));
    return response;
  }

  diffConfig(request: providerPb.DiffRequest): providerPb.DiffResponse {
    return diffResponse(diffInputs(fromWire(request.getOldInputs() ?? request.getOlds()), fromWire(request.getNews())));
  }

  check(request: providerPb.CheckRequest): providerPb.CheckResponse {
    const { type, name } = parseUrn(request.getUrn());
    if (resourceModels[type] === undefined) throw unknownTypeError(type, name);
    const response = new providerPb.CheckResponse();
    response.setInputs(toWire(fromWire(request.getNews())));
    return response;
  }

  diff(request: providerPb.DiffRequest): providerPb.DiffResponse {
    // Old inputs, not old outputs: see input-diff.ts. Engines too old to send them get the outputs.
    const olds = request.getOldInputs() ?? request.getOlds();
    return diffResponse(diffInputs(fromWire(olds), fromWire(request.getNews()), request.getIgnorechangesList()));
  }

  create(request: providerPb.CreateRequest): providerPb.CreateResponse {
    const { stack, type, name } = parseUrn(request.getUrn());
    const preview = request.getPreview();
    const result = this.cloud(stack, preview).newResource({ type, name, inputs: fromWire(request.getProperties()), custom: true });
    const id = preview ? "" : (result.id ?? "");
    if (!preview && id === "") throw new Error(`the local cloud made no id for ${request.getUrn()}`);
    const response = new providerPb.CreateResponse();
    response.setId(id);
    // Like the bridged AWS provider, the outputs carry the id (unknown until created).
    response.setProperties(toWire({ ...outputsOf(result.state), id: preview ? pulumi.runtime.unknownValue : id }));
    return response;
  }

  read(request: providerPb.ReadRequest): providerPb.ReadResponse {
    const { type } = parseUrn(request.getUrn());
    const id = request.getId();
    const entry = this.journal().get(type, id);
    const response = new providerPb.ReadResponse();
    // An empty id tells the engine the resource is gone.
    if (entry === undefined) return response;
    response.setId(id);
    response.setProperties(toWire({ ...entry.state, id }));
    response.setInputs(toWire(fromWire(request.getInputs())));
    return response;
  }

  update(request: providerPb.UpdateRequest): providerPb.UpdateResponse {
    const { stack, type, name } = parseUrn(request.getUrn());
    const id = request.getId();
    // The same id: the model recomputes the outputs (deterministic) and the journal replaces the entry.
    const result = this.cloud(stack, request.getPreview()).newResource({ type, name, id, inputs: fromWire(request.getNews()), custom: true });
    const response = new providerPb.UpdateResponse();
    response.setProperties(toWire({ ...outputsOf(result.state), id }));
    return response;
  }

  delete(request: providerPb.DeleteRequest): emptyPb.Empty {
    const { type } = parseUrn(request.getUrn());
    this.journal().delete(type, request.getId());
    return new emptyPb.Empty();
  }

  invoke(request: providerPb.InvokeRequest): providerPb.InvokeResponse {
    // Invokes are seeded by account, region and arguments, never by stack.
    const result = this.cloud("", request.getPreview()).call({ token: request.getTok(), inputs: fromWire(request.getArgs()), provider: "" });
    const response = new providerPb.InvokeResponse();
    response.setReturn(toWire(outputsOf(result)));
    return response;
  }

  getPluginInfo(): pluginPb.PluginInfo {
    const info = new pluginPb.PluginInfo();
    info.setVersion(this.options.version);
    return info;
  }

  getSchema(): providerPb.GetSchemaResponse {
    const response = new providerPb.GetSchemaResponse();
    response.setSchema(JSON.stringify({ name: "aws", version: this.options.version }));
    return response;
  }
}

/** The gRPC service implementation over an AwsProvider. */
export function serviceOf(provider: AwsProvider): IResourceProviderServer {
  const empty = (): emptyPb.Empty => new emptyPb.Empty();
  return {
    handshake: unary(() => provider.handshake()),
    parameterize: unimplemented("Parameterize"),
    getSchema: unary(() => provider.getSchema()),
    checkConfig: unary((request: providerPb.CheckRequest) => provider.checkConfig(request)),
    diffConfig: unary((request: providerPb.DiffRequest) => provider.diffConfig(request)),
    configure: unary((request: providerPb.ConfigureRequest) => provider.configure(request)),
    invoke: unary((request: providerPb.InvokeRequest) => provider.invoke(request)),
    call: unimplemented("Call"),
    check: unary((request: providerPb.CheckRequest) => provider.check(request)),
    diff: unary((request: providerPb.DiffRequest) => provider.diff(request)),
    create: unary((request: providerPb.CreateRequest) => provider.create(request)),
    read: unary((request: providerPb.ReadRequest) => provider.read(request)),
    list: (call) => {
      call.emit("error", { code: 12, details: "the local cloud's plugin does not implement List" });
    },
    update: unary((request: providerPb.UpdateRequest) => provider.update(request)),
    delete: unary((request: providerPb.DeleteRequest) => provider.delete(request)),
    construct: unimplemented("Construct (aws has no components)"),
    cancel: unary(empty),
    getPluginInfo: unary(() => provider.getPluginInfo()),
    attach: unary(empty),
    getMapping: unimplemented("GetMapping"),
    getMappings: unimplemented("GetMappings"),
  };
}
