import { listStacks, loadStack, type LoadedStack } from "../../stacks/config/index.js";
import { projectRoot } from "../../stacks/project-root.js";
import { resolveEngineSettings, type EngineSettings, type StateFlags } from "../engine/settings.js";
import type { GlobalOptions } from "../global-options.js";
import { stacksDirFrom, type Io } from "../io.js";
import { chooseStack } from "../stack-choice.js";
import { packConfigFor } from "../../policies/api.js";
import { profileOf } from "../policy-profile.js";
import { EDGE_REGION } from "../../stacks/config/regions.js";

/** A stack a live command acts on: its validated config and where its state lives. */
export interface LiveTarget {
  stack: string;
  loaded: LoadedStack;
  settings: EngineSettings;
  /** Primary, DR (if any) and the edge region, deduplicated: what the doctor's region check covers. */
  regions: string[];
}


/** Choose the stack, validate its config (ConfigError: exit 2) and resolve the state settings. */
export async function resolveTarget(options: GlobalOptions & StateFlags, io: Io): Promise<LiveTarget> {
  const dir = stacksDirFrom(io);
  const stack = await chooseStack(io, options.stack, await listStacks(dir));
  const loaded = await loadStack(stack, dir);
  const settings = {
    ...resolveEngineSettings({ stack, stackFile: loaded.file, projectRoot: projectRoot(), flags: options, env: io.env }),
    policyConfig: packConfigFor(profileOf(loaded.config)),
  };
  const { primaryRegion, drRegion } = loaded.config;
  const regions = [...new Set([primaryRegion, ...(drRegion === undefined ? [] : [drRegion]), EDGE_REGION])];
  return { stack, loaded, settings, regions };
}
