import * as pulumi from "@pulumi/pulumi";
import { MockCloud, type MockCloudOptions } from "./mock-cloud.js";
import { type CollectedResource, type RegistrationFailure, RegistrationRecorder } from "./registration-recorder.js";

export type { CollectedResource, RegistrationFailure } from "./registration-recorder.js";

export interface RunOptions {
  /** @default "shop-platform" */
  readonly project?: string;
  readonly stack: string;
  /**
   * The stack's config exactly as the engine passes it: namespaced keys (`shop:tier`,
   * `aws:region`), string values, objects as JSON strings. Read with `new pulumi.Config("shop")`.
   */
  readonly config?: Readonly<Record<string, string>>;
  /** Config keys that hold secrets (`config.requireSecret` then returns secret outputs). */
  readonly secretKeys?: readonly string[];
  /** Run as `pulumi preview`: AWS-computed outputs (ids, ARNs, endpoints) are unknown. @default false */
  readonly preview?: boolean;
  /** Options for the mock cloud (account id, default region/tags). */
  readonly cloud?: MockCloudOptions;
}

/** `T` with every Output and Promise inside it awaited (Resource objects are kept as they are). */
export type Resolved<T> =
  T extends pulumi.Output<infer U>
    ? Resolved<U>
    : T extends Promise<infer U>
      ? Resolved<U>
      : T extends pulumi.Resource
        ? T
        : T extends (...args: never[]) => unknown
          ? T
          : T extends readonly (infer E)[]
            ? Resolved<E>[]
            : T extends object
              ? { [K in keyof T]: Resolved<T[K]> }
              : T;

export interface MockRun<T> {
  /** Every registration, the stack included, in the order the mock cloud answered them. */
  readonly resources: CollectedResource[];
  /** What the program returned, resolved (secrets unwrapped; preview unknowns `undefined`). */
  readonly outputs: Resolved<T>;
  /** The mock cloud of this run, e.g. to look at its inventory. */
  readonly cloud: MockCloud;
}

/** One or more registrations or invokes that the mock cloud refused during a run. */
export class MockRunError extends Error {
  constructor(
    readonly failures: readonly RegistrationFailure[],
    readonly programError: unknown,
  ) {
    const lines = failures.map((failure) => `  - ${failure.kind} ${failure.subject}: ${failure.message}`);
    if (programError instanceof Error && !failures.some((failure) => failure.message !== "" && programError.message.includes(failure.message))) {
      lines.push(`  - the program then threw: ${programError.message}`);
    }
    super(`The program failed under the mock cloud:\n${lines.join("\n")}`, { cause: programError });
    this.name = "MockRunError";
  }
}

let running = false;

/**
 * Runs a Pulumi program against the mock cloud and returns what it registered and returned.
 *
 * Mocks and config are in place before `program` runs, and the run waits for every outstanding
 * registration, invoke and `registerOutputs` before returning, so `resources` is complete. Any
 * registration or invoke the mock cloud refuses, an error thrown by the program, or a rejection
 * nobody handled makes the whole run reject with one MockRunError.
 *
 * Modules that declare resources must do so inside functions called from `program` (or be
 * imported there with `await import(...)`): a module that creates resources at import time runs
 * only once per process (ESM caches it), before any mocks exist. Runs are sequential: start the
 * next one after the previous has settled; each starts from fresh SDK state, so nothing leaks.
 */
export async function runUnderMocks<T>(program: () => Promise<T> | T, options: RunOptions): Promise<MockRun<T>> {
  if (running) throw new Error("runUnderMocks: another run is in progress; runs share the SDK's global state, so await it first.");
  running = true;
  try {
    const cloud = new MockCloud(options.cloud);
    const recorder = new RegistrationRecorder(cloud);
    const failures = recorder.failures;
    let programError: unknown;
    let outputs: unknown;

    await foldingUnhandledRejections(
      (reason) => {
        if (!echoesKnownFailure(reason, failures, programError)) {
          failures.push({ kind: "program", subject: "unhandled rejection", message: messageOf(reason) });
        }
      },
      async () => {
        // setMocks resets the SDK's per-run state (monitor, stack resource, pending RPCs, features).
        await pulumi.runtime.setMocks(recorder.mocks, options.project ?? "shop-platform", options.stack, options.preview ?? false);
        pulumi.runtime.setAllConfig({ ...(options.config ?? {}) }, [...(options.secretKeys ?? [])]);
        recorder.attach();
        const run = (async () => {
          await pulumi.runtime.runInPulumiStack(async () => {
            // The program's failure is caught here, not left to reject the stack resource, which
            // would fan out into one unhandled rejection per stack promise.
            try {
              const result = await program();
              outputs = await resolveDeep(result);
              return result;
            } catch (error) {
              programError = error;
              return undefined;
            }
          });
          // Drains every outstanding RPC (registrations started inside applies included).
          await pulumi.runtime.disconnect();
        })();
        // A failed Output that feeds a chain of resources leaves the SDK waiting on promises that
        // never settle (a real `pulumi` process would exit on the logged error). Once a failure is
        // recorded and the run has gone quiet, stop waiting and report it.
        const watch = { stopped: false };
        try {
          await Promise.race([run, quietAfterFailure(failures, () => recorder.resources.length, watch)]);
        } finally {
          watch.stopped = true;
        }
      },
    );

    if (failures.length > 0) throw new MockRunError(failures, programError);
    if (programError !== undefined) {
      throw programError instanceof Error ? programError : new Error("the program threw a non-Error value", { cause: programError });
    }
    return { resources: recorder.resources, outputs: outputs as Resolved<T>, cloud };
  } finally {
    running = false;
  }
}

const QUIET_MS = 1_000;

async function quietAfterFailure(failures: readonly RegistrationFailure[], progress: () => number, watch: { stopped: boolean }): Promise<void> {
  let last = `${failures.length}/${progress()}`;
  let quietSince = Date.now();
  while (!watch.stopped) {
    await new Promise((resolve) => setTimeout(resolve, 100).unref());
    const now = `${failures.length}/${progress()}`;
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    } else if (failures.length > 0 && Date.now() - quietSince >= QUIET_MS) {
      return;
    }
  }
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

/** The SDK re-raises one failure through many promises; those echoes are not new failures. */
function echoesKnownFailure(reason: unknown, failures: readonly RegistrationFailure[], programError: unknown): boolean {
  if (reason === programError) return true;
  const message = messageOf(reason);
  if (programError instanceof Error && message.includes(programError.message)) return true;
  return failures.some((failure) => failure.message !== "" && message.includes(failure.message));
}

/**
 * While a run is in flight, unhandled rejections are the run's business: the SDK lets a failed
 * Output or invoke reject promises nobody awaits (a real `pulumi` process would just exit), and
 * neither a test runner nor `shopctl` should see those as stray crashes. The previous listeners
 * are restored afterwards.
 */
async function foldingUnhandledRejections(onRejection: (reason: unknown) => void, body: () => Promise<void>): Promise<void> {
  const previous = process.listeners("unhandledRejection");
  process.removeAllListeners("unhandledRejection");
  process.on("unhandledRejection", onRejection);
  try {
    await body();
  } finally {
    // Node reports an unhandled rejection only after the microtask queue drains: let them arrive.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    process.removeListener("unhandledRejection", onRejection);
    for (const listener of previous) process.on("unhandledRejection", listener);
  }
}

interface OutputInternals<T> {
  /** The SDK's own accessor: the value, or `undefined` when unknown (it is not in the typings). */
  promise(withUnknowns?: boolean): Promise<T>;
}

/**
 * The value of an Output (or Input) for assertions. Unlike `apply`, this also resolves secrets
 * (to their plain value) and values unknown during a preview (to `undefined`, although the type
 * says `T`: check for it in preview tests).
 */
export async function awaitOutput<T>(value: pulumi.Input<T> | pulumi.Output<T>): Promise<T> {
  if (pulumi.Output.isInstance(value)) return (value as unknown as OutputInternals<T>).promise();
  return await value;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

async function resolveDeep(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) return resolveDeep(await awaitOutput(value));
  if (value instanceof Promise) return resolveDeep(await (value as Promise<unknown>));
  if (Array.isArray(value)) return Promise.all(value.map(resolveDeep));
  if (typeof value === "object" && value !== null && isPlainObject(value)) {
    const entries = await Promise.all(Object.entries(value).map(async ([key, item]) => [key, await resolveDeep(item)] as const));
    return Object.fromEntries(entries);
  }
  return value;
}

function typesPresent(resources: readonly CollectedResource[]): string {
  const counts = new Map<string, number>();
  for (const resource of resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, count]) => `  ${type} (${count})`)
    .join("\n");
}

/** All resources of a type; throws, listing the types present, when there is none. */
export function findResources(resources: readonly CollectedResource[], type: string): CollectedResource[] {
  const found = resources.filter((resource) => resource.type === type);
  if (found.length === 0) {
    throw new Error(`No resource of type ${type} was registered. Types present:\n${typesPresent(resources)}`);
  }
  return found;
}

/**
 * The one resource of a type (and name, if given); throws when there is none, or when no name
 * was given and there are several.
 */
export function findResource(resources: readonly CollectedResource[], type: string, name?: string): CollectedResource {
  const ofType = findResources(resources, type);
  const names = ofType.map((resource) => resource.name).join(", ");
  if (name === undefined) {
    const [only, ...others] = ofType;
    if (only === undefined || others.length > 0) throw new Error(`${ofType.length} resources of type ${type} (${names}): pass a name.`);
    return only;
  }
  const match = ofType.find((resource) => resource.name === name);
  if (match === undefined) throw new Error(`No ${type} named "${name}". Names of that type: ${names}.`);
  return match;
}
