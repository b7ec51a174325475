import type { Command } from "commander";
import type { StateFlags } from "../engine/settings.js";
import { addGlobalOptions, examples, type GlobalOptions } from "../global-options.js";
import type { CommandRunner } from "./registry.js";
import { addStateOptions } from "./state-options.js";

export interface PreviewOptions extends GlobalOptions, StateFlags {
  offline: boolean;
}

/** `shopctl preview [--offline]`: the plan, from the mock cloud or from Pulumi against AWS. */
export function registerPreview(program: Command, runner: CommandRunner): void {
  const command = program
    .command("preview")
    .summary("show the plan: --offline under the mock cloud, or live")
    .description("show what a stack would create: --offline runs the program under the mock cloud (no AWS account, no Pulumi CLI); without it, a live `pulumi preview` with the policy pack")
    .option("--offline", "run under the mock cloud: resources by component and region, then the policy check", false);
  addStateOptions(addGlobalOptions(command))
    .addHelpText("after", examples(
      "shopctl preview --offline --stack dev",
      "shopctl preview --offline --stack prod --json | jq '.resources | length'",
      "shopctl preview --stack staging",
    ))
    .action(runner(async (options: PreviewOptions, io) => {
      const actions = await import("./preview-action.js");
      return options.offline ? actions.previewOffline(options, io) : actions.previewLive(options, io);
    }));
}
