import type { StateFlags } from "../../engine/settings.js";
import type { GlobalOptions } from "../../global-options.js";
import type { InitFlags } from "../../init/wizard.js";

// What each core command's action receives. Definitions and actions both import this module, so an
// action never imports its definition (the definition loads the action lazily): no cycle.

export interface ConfigValidateOptions extends GlobalOptions {
  allStacks: boolean;
}

/** The wizard's answers as flags, and how to write the file. */
export interface InitOptions extends GlobalOptions, InitFlags {
  force: boolean;
  dryRun: boolean;
}

export interface PreviewOptions extends GlobalOptions, StateFlags {
  offline: boolean;
  /** With --offline --json: each resource's inputs and the stack's outputs. */
  inputs?: boolean;
  /** Fail (exit 1) when the engine proposes any change: a deployed stack matches its program. */
  expectNoChanges?: boolean;
}

export interface UpOptions extends GlobalOptions, StateFlags {
  yes: boolean;
  dryRun: boolean;
  /** Deploy although this machine's DR journals say the stack is failed over or mid-run. */
  ignoreDrState?: boolean;
}

export interface DestroyOptions extends GlobalOptions, StateFlags {
  yes: boolean;
  dryRun: boolean;
}

export type StatusOptions = GlobalOptions & StateFlags;

export type OutputsOptions = GlobalOptions & StateFlags;

export type DoctorOptions = GlobalOptions & StateFlags;
