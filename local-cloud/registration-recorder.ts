import * as pulumi from "@pulumi/pulumi";
import type { MockCloud, RegistrationHints } from "./mock-cloud.js";
import { decodeWireProperties, type Properties } from "./property-values.js";

/** One resource as the program registered it and the mock cloud answered. */
export interface CollectedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The parent's URN (`undefined` only for the stack itself). */
  readonly parent: string | undefined;
  /** The explicit provider reference `urn::id`, if any. */
  readonly provider: string | undefined;
  /** The region the resource lives in: its own `region` input, else its provider's; a provider's own region. */
  readonly region: string | undefined;
  readonly custom: boolean;
  /** `undefined` for components, and for everything during a preview. */
  readonly id: string | undefined;
  /** What the program passed (secrets unwrapped, preview unknowns `undefined`). */
  readonly inputs: Properties;
  /** The resulting state; for components, what they passed to `registerOutputs`. */
  outputs: Properties;
  /** Top-level properties (inputs or outputs) that were secret: mask them when printing. */
  secretProperties: string[];
  /** Top-level properties unknown at plan time (preview only). */
  unknownProperties: string[];
  /** The `ignoreChanges` resource option: properties later updates leave alone. */
  readonly ignoreChanges: readonly string[];
}

/** A registration or invoke that the mock cloud refused, or a rejection the program left unhandled. */
export interface RegistrationFailure {
  readonly kind: "resource" | "invoke" | "program";
  /** `type::name` for a resource, the token for an invoke. */
  readonly subject: string;
  readonly message: string;
}

// The slice of the monitor's gRPC messages this module reads. MockMonitor hands us the real
// protobuf messages; naming only what we use keeps the coupling visible and free of `any`.
interface WireStruct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getProvider(): string;
  getProvidersMap(): { getEntryList(): [string, string][] };
  getIgnorechangesList(): string[];
  getObject(): WireStruct | undefined;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): WireStruct | undefined;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): WireStruct | undefined;
}
interface InvokeRequest {
  getTok(): string;
}
type Callback<R> = (error: unknown, response?: R) => void;
interface MonitorSurface {
  registerResource(request: RegisterRequest, callback: Callback<RegisterResponse>): unknown;
  registerResourceOutputs(request: OutputsRequest, callback: Callback<unknown>): unknown;
  invoke(request: InvokeRequest, callback: Callback<unknown>): unknown;
}

function isMonitorSurface(value: unknown): value is MonitorSurface {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<Record<keyof MonitorSurface, unknown>>;
  return (
    typeof candidate.registerResource === "function" &&
    typeof candidate.registerResourceOutputs === "function" &&
    typeof candidate.invoke === "function"
  );
}

/** `Result.FAIL` in pulumi's resource.proto: the SDK then treats missing outputs as unknown. */
const RESULT_FAIL = 1;

function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const details = (error as { details?: unknown }).details;
    if (typeof details === "string" && details !== "") return details;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The URN MockMonitor gives a registration: parent types chained with `$`. */
function urnOf(parent: string, type: string, name: string): string {
  const parentType = parent === "" ? undefined : parent.split("::")[2]?.split("$").pop();
  const qualified = parentType === undefined ? type : `${parentType}$${type}`;
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

/**
 * Sits between the SDK and its MockMonitor for one run: records every registration with its
 * parent, provider and region; tells the mock cloud what MockResourceArgs leaves out (remote
 * components, inherited providers); and turns a refused registration into a failed-but-answered
 * one, so the SDK does not scatter dozens of unhandled rejections (the run reports it instead).
 */
export class RegistrationRecorder {
  readonly resources: CollectedResource[] = [];
  readonly failures: RegistrationFailure[] = [];
  /** The hints of the registration MockMonitor is handling right now (it calls newResource synchronously). */
  private current: RegistrationHints | undefined;
  /** Component URN → the providers its children and remote children inherit. */
  private readonly componentProviders = new Map<string, Record<string, string>>();

  constructor(private readonly cloud: MockCloud) {}

  /** The Mocks to install: the cloud, plus the hints of the registration in flight. */
  readonly mocks: pulumi.runtime.Mocks = {
    newResource: (args) => this.cloud.newResource(args, this.current ?? {}),
    call: (args) => this.cloud.call(args),
  };

  /** Wraps the monitor that `setMocks` installed. Call right after `setMocks`. */
  attach(): void {
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (!isMonitorSurface(monitor)) throw new Error("runUnderMocks: pulumi.runtime.getMonitor() is not the SDK's MockMonitor");
    const register = monitor.registerResource.bind(monitor);
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    const invoke = monitor.invoke.bind(monitor);

    monitor.registerResource = (request, callback) => {
      const providers = this.providersFor(request);
      this.current = { remote: request.getRemote(), providers };
      try {
        return register(request, (error, response) => {
          this.registered(request, providers, error, response, callback);
        });
      } finally {
        this.current = undefined;
      }
    };
    monitor.registerResourceOutputs = (request, callback) => {
      const decoded = decodeWireProperties(request.getOutputs()?.toJavaScript() ?? {});
      const resource = this.resources.find((candidate) => candidate.urn === request.getUrn());
      if (resource !== undefined) {
        resource.outputs = decoded.values;
        resource.secretProperties = [...new Set([...resource.secretProperties, ...decoded.secretKeys])];
      }
      return registerOutputs(request, callback);
    };
    monitor.invoke = (request, callback) =>
      invoke(request, (error, response) => {
        if (error !== null && error !== undefined) {
          this.failures.push({ kind: "invoke", subject: request.getTok(), message: messageOf(error) });
        }
        callback(error, response);
      });
  }

  /** A component's own `providers` over those it inherits from its parent. */
  private providersFor(request: RegisterRequest): Record<string, string> {
    const inherited = this.componentProviders.get(request.getParent()) ?? {};
    return { ...inherited, ...Object.fromEntries(request.getProvidersMap().getEntryList()) };
  }

  private registered(
    request: RegisterRequest,
    providers: Record<string, string>,
    error: unknown,
    response: RegisterResponse | undefined,
    callback: Callback<RegisterResponse>,
  ): void {
    const type = request.getType();
    const name = request.getName();
    if ((error !== null && error !== undefined) || response === undefined) {
      this.failures.push({ kind: "resource", subject: `${type}::${name}`, message: messageOf(error) });
      const urn = urnOf(request.getParent(), type, name);
      const failed: RegisterResponse & { getResult(): number; getPropertydependenciesMap(): undefined } = {
        getUrn: () => urn,
        getId: () => "",
        getObject: () => undefined,
        getResult: () => RESULT_FAIL,
        getPropertydependenciesMap: () => undefined,
      };
      callback(null, failed);
      return;
    }
    this.record(request, providers, response);
    callback(null, response);
  }

  private record(request: RegisterRequest, providers: Record<string, string>, response: RegisterResponse): void {
    const type = request.getType();
    const custom = request.getCustom();
    const urn = response.getUrn();
    const id = response.getId() === "" ? undefined : response.getId();
    const provider = request.getProvider() === "" ? undefined : request.getProvider();
    const inputs = decodeWireProperties(request.getObject()?.toJavaScript() ?? {});
    const outputs = decodeWireProperties(response.getObject()?.toJavaScript() ?? {});
    if (!custom) this.componentProviders.set(urn, providers);

    let region: string | undefined;
    if (type.startsWith("pulumi:providers:")) {
      region = id === undefined ? undefined : this.cloud.providerConfig(`${urn}::${id}`).region;
    } else if (custom) {
      const own = outputs.values.region ?? inputs.values.region;
      region = typeof own === "string" ? own : this.cloud.providerConfig(provider).region;
    } else if (request.getRemote()) {
      const own = inputs.values.region;
      region = typeof own === "string" ? own : this.cloud.providerConfig(providers.aws).region;
    }

    this.resources.push({
      type,
      name: request.getName(),
      urn,
      parent: request.getParent() === "" ? undefined : request.getParent(),
      provider,
      region,
      custom,
      id,
      inputs: inputs.values,
      outputs: outputs.values,
      secretProperties: [...new Set([...inputs.secretKeys, ...outputs.secretKeys])],
      unknownProperties: [...new Set([...inputs.unknownKeys, ...outputs.unknownKeys])],
      ignoreChanges: request.getIgnorechangesList(),
    });
  }
}
