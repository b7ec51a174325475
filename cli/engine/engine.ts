/**
 * The one interface every live Pulumi operation goes through. The Automation API sits behind it
 * (./automation.ts); commands and their tests see only this, so CLI logic is tested with a stub
 * engine and no Pulumi CLI.
 */

/** The kinds of step the engine reports, as Pulumi names them (`create`, `update`, `delete`, ...). */
export type StepOp = string;

/** One resource operation as the progress display needs it; converted from Pulumi's engine events. */
export type ProgressEvent =
  | { kind: "start"; urn: string; type: string; op: StepOp; parent: string | undefined; at: number }
  | { kind: "done"; urn: string; type: string; op: StepOp; parent: string | undefined; at: number }
  | { kind: "failed"; urn: string; type: string; op: StepOp; parent: string | undefined; at: number }
  | { kind: "diagnostic"; urn: string | undefined; severity: "info" | "warning" | "error"; message: string; at: number }
  | { kind: "policy"; urn: string | undefined; policy: string; enforcement: "advisory" | "mandatory"; message: string; at: number };

export interface OperationOptions {
  /** Called for every engine event, in order. */
  onEvent?: (event: ProgressEvent) => void;
  /** Aborts the running operation (Ctrl-C). */
  signal?: AbortSignal;
}

/** Counts per operation kind, as Pulumi summarises a run (`{ create: 12, same: 3 }`). */
export type ChangeCounts = Record<string, number>;

/** A stack's outputs as the engine returns them: plain values plus which keys are secret. */
export interface EngineOutputs {
  values: Record<string, unknown>;
  secretKeys: string[];
}

export interface UpResult {
  changes: ChangeCounts;
  outputs: EngineOutputs;
}

/** A resource in the stack's state, with what decides whether `destroy` may delete it. */
export interface DeployedResource {
  urn: string;
  type: string;
  /** Pulumi's `protect` resource option. */
  protect: boolean;
  /** The provider-level flag (`deletionProtection`, `enableDeletionProtection`) when it is on. */
  deletionProtection: boolean;
}

/** The stack does not exist in the state backend: nothing was deployed there. */
export class StackNotDeployedError extends Error {
  constructor(readonly stackName: string, readonly backend: string) {
    super(`stack ${stackName} has not been deployed to ${backend} (no such stack in that state backend)`);
    this.name = "StackNotDeployedError";
  }
}

export interface Engine {
  /**
   * `pulumi preview` with the policy pack attached; creates the stack in the backend if needed.
   * `expectNoChanges`: the engine fails the preview when it proposes any change.
   */
  preview(options?: OperationOptions & { expectNoChanges?: boolean }): Promise<ChangeCounts>;
  /** `pulumi up` with the policy pack attached; creates the stack in the backend if needed. */
  up(options?: OperationOptions): Promise<UpResult>;
  /** `pulumi destroy` (or its preview); the stack must exist. */
  destroy(options?: OperationOptions & { previewOnly?: boolean }): Promise<ChangeCounts>;
  /** The stack's outputs; throws StackNotDeployedError when the stack does not exist. */
  outputs(): Promise<EngineOutputs>;
  /** The resources in the stack's state; throws StackNotDeployedError when the stack does not exist. */
  resources(): Promise<DeployedResource[]>;
}
