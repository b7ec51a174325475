// The Pulumi program (Pulumi.yaml `main`). Validates the stack config first: a bad config throws
// a ConfigError listing every problem, and nothing is declared.
import * as pulumi from "@pulumi/pulumi";
import { fromPulumiConfigMap, resolveStackConfig } from "./config/index.js";
import { platform, type PlatformOutputs } from "./program.js";

export default function main(): PlatformOutputs {
  const config = resolveStackConfig(fromPulumiConfigMap(pulumi.runtime.allConfig()), `stack ${pulumi.getStack()}`);
  return platform(config, { project: pulumi.getProject(), stack: pulumi.getStack() });
}
