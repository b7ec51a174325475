import { loadStack, resolveStackConfig, toPulumiConfigMap, type LoadedStack } from "./config/index.js";
import { runUnderMocks, type MockRun } from "../local-cloud/index.js";
import type { PlatformOutputs } from "./program.js";

export const PROJECT = "shop-platform";

/**
 * Run the whole program for a stack under the mock cloud: no AWS account and no Pulumi CLI.
 * The config is validated first, exactly as `stacks/index.ts` does, so a bad config declares
 * nothing. Used by `shopctl preview --offline`, the policy checks and the stack tests.
 */
export async function runStackOffline(
  stack: string | LoadedStack,
  options: { stacksDir?: string; preview?: boolean } = {},
): Promise<MockRun<PlatformOutputs>> {
  const loaded = typeof stack === "string" ? await loadStack(stack, options.stacksDir) : stack;
  const config = toPulumiConfigMap(loaded.values);
  return runUnderMocks(async () => {
    // Imported inside the run: resource modules must see the mocks (see local-cloud/README.md).
    const { default: main } = await import("./index.js");
    return main();
  }, {
    project: PROJECT,
    stack: loaded.stack,
    config: { "aws:region": resolveStackConfig(loaded.values, loaded.file).primaryRegion, ...config },
    preview: options.preview ?? false,
  });
}
