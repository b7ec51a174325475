import type { CheckResult, DoctorInput } from "../cli/doctor/checks.js";
import { StackNotDeployedError, type ChangeCounts, type DeployedResource, type Engine, type EngineOutputs, type OperationOptions, type ProgressEvent, type UpResult } from "../cli/engine/engine.js";
import type { EngineSettings } from "../cli/engine/settings.js";
import type { LiveDeps } from "../cli/live/deps.js";
import type { OfflineResult } from "../cli/offline/run.js";

export interface StubScript {
  /** Engine events each operation reports before it returns (or fails). */
  events?: ProgressEvent[];
  changes?: ChangeCounts;
  outputs?: EngineOutputs;
  resources?: DeployedResource[];
  /** Makes preview/up/destroy fail after reporting their events. */
  fail?: Error;
  /** The stack does not exist in the backend. */
  notDeployed?: boolean;
}

/** An Engine that plays back a script and records what it was asked: CLI logic tests need no Pulumi CLI. */
export class StubEngine implements Engine {
  readonly calls: string[] = [];
  settings: EngineSettings | undefined;

  constructor(private readonly script: StubScript = {}) {}

  private play(name: string, options: OperationOptions | undefined): void {
    this.calls.push(name);
    for (const event of this.script.events ?? []) options?.onEvent?.(event);
    if (this.script.fail !== undefined) throw this.script.fail;
  }

  private deployed(): void {
    if (this.script.notDeployed === true) throw new StackNotDeployedError(this.settings?.stack ?? "?", this.settings?.backendUrl ?? "?");
  }

  preview(options?: OperationOptions): Promise<ChangeCounts> {
    this.play("preview", options);
    return Promise.resolve(this.script.changes ?? { create: 1 });
  }

  up(options?: OperationOptions): Promise<UpResult> {
    this.play("up", options);
    return Promise.resolve({ changes: this.script.changes ?? { create: 1 }, outputs: this.script.outputs ?? { values: {}, secretKeys: [] } });
  }

  destroy(options?: OperationOptions & { previewOnly?: boolean }): Promise<ChangeCounts> {
    this.deployed();
    this.play(options?.previewOnly === true ? "destroy-preview" : "destroy", options);
    return Promise.resolve(this.script.changes ?? { delete: 1 });
  }

  outputs(): Promise<EngineOutputs> {
    this.calls.push("outputs");
    this.deployed();
    return Promise.resolve(this.script.outputs ?? { values: {}, secretKeys: [] });
  }

  resources(): Promise<DeployedResource[]> {
    this.calls.push("resources");
    this.deployed();
    return Promise.resolve(this.script.resources ?? []);
  }
}

export const passingChecks: CheckResult[] = [
  { id: "node", name: "Node.js", status: "ok", detail: "v20" },
  { id: "pulumi", name: "Pulumi CLI", status: "ok", detail: "v3.210.0" },
];

export interface StubDeps extends LiveDeps {
  readonly engine: StubEngine;
  readonly checkInputs: DoctorInput[];
  readonly offlineRuns: string[];
  readonly enginesCreated: () => number;
}

/** LiveDeps around a StubEngine, canned doctor checks and a canned offline result. */
export function stubDeps(options: { engine?: StubEngine; checks?: CheckResult[]; offline?: OfflineResult; now?: () => number } = {}): StubDeps {
  const engine = options.engine ?? new StubEngine();
  const checkInputs: DoctorInput[] = [];
  const offlineRuns: string[] = [];
  let created = 0;
  return {
    engine,
    checkInputs,
    offlineRuns,
    enginesCreated: () => created,
    createEngine: (settings) => {
      created++;
      engine.settings = settings;
      return Promise.resolve(engine);
    },
    runChecks: (input) => {
      checkInputs.push(input);
      return Promise.resolve(options.checks ?? passingChecks);
    },
    runOffline: (loaded) => {
      offlineRuns.push(loaded.stack);
      return Promise.resolve(options.offline ?? { plan: { stack: loaded.stack, resources: [], groups: [], regions: [] }, policy: { status: "passed", resources: 10, mandatory: 0, advisory: 2, violations: [] } });
    },
    now: options.now ?? (() => 1_000),
  };
}
