import type { StateFlags } from "../../engine/settings.js";
import type { GlobalOptions } from "../../global-options.js";

// What each core command's action receives. Definitions and actions both import this module, so an
// action never imports its definition (the definition loads the action lazily): no cycle.

export interface ConfigValidateOptions extends GlobalOptions {
  allStacks: boolean;
}

export interface InitOptions extends GlobalOptions {
  tier?: string;
  primaryRegion?: string;
  drStrategy?: string;
  drRegion?: string;
  dataResidency?: string;
  domain?: string;
  hostedZoneId?: string;
  alarmEmail?: string[];
  owner?: string;
  costCenter?: string;
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
