import type { LoadedStack } from "../../stacks/config/index.js";
import type { CheckResult, DoctorInput } from "../doctor/checks.js";
import type { Engine } from "../engine/engine.js";
import type { EngineSettings } from "../engine/settings.js";
import type { OfflineResult } from "../offline/run.js";

/**
 * What live commands need from the outside world. Commands take it as a parameter so their
 * tests run with a stub engine, canned checks and no Pulumi CLI; the defaults load the real
 * implementations lazily.
 */
export interface LiveDeps {
  createEngine(settings: EngineSettings): Promise<Engine>;
  runChecks(input: DoctorInput): Promise<CheckResult[]>;
  runOffline(loaded: LoadedStack): Promise<OfflineResult>;
  now(): number;
}

export const defaultLiveDeps: LiveDeps = {
  createEngine: async (settings) => (await import("../engine/automation.js")).createAutomationEngine(settings),
  runChecks: async (input) => (await import("../doctor/checks.js")).runChecks(input),
  runOffline: async (loaded) => (await import("../offline/run.js")).runOffline(loaded),
  now: () => Date.now(),
};
