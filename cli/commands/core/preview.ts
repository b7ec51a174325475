import type { Command } from "commander";
import { UsageError } from "../../exit-codes.js";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { addLocalOption, addStateOptions } from "../common/state-options.js";
import type { PreviewOptions } from "./options.js";

/** `shopctl preview [--offline]`: the plan, from the mock cloud or from Pulumi against AWS. */
export function registerPreview(program: Command, runner: CommandRunner): void {
  const command = program
    .command("preview")
    .summary("show the plan: --offline under the mock cloud, --local through the real engine, or live")
    .description("show what a stack would create: --offline runs the program under the mock cloud (no AWS account, no Pulumi CLI); --local runs `pulumi preview` with the policy pack against the local cloud (no AWS account); without either, a live `pulumi preview` with the policy pack")
    .option("--offline", "run under the mock cloud: resources by component and region, then the policy check", false)
    .option("--inputs", "with --offline --json: each resource's provider and inputs, and the stack's outputs (secrets masked)", false)
    .option("--expect-no-changes", "fail (exit 1) when the engine proposes any change, as `pulumi preview --expect-no-changes` (live or --local)", false);
  addLocalOption(addStateOptions(addGlobalOptions(command)))
    .addHelpText("after", examples(
      "shopctl preview --offline --stack dev",
      "shopctl preview --offline --stack prod --json | jq '.resources | length'",
      "shopctl preview --offline --stack prod --json --inputs > plan.json   # every input and output, to diff",
      "shopctl preview --local --stack dev     # the engine's real diff against what `up --local` deployed",
      "shopctl preview --local --stack dev --expect-no-changes   # exit 1 unless the deployed stack matches",
      "shopctl preview --stack staging",
    ))
    .action(runner(async (options: PreviewOptions, io) => {
      if (options.offline && options.expectNoChanges === true) throw new UsageError("--expect-no-changes compares a deployed stack with its program; --offline has no deployed stack: drop one of them");
      if (options.offline && options.local === true) throw new UsageError("--offline and --local are two different previews: --offline runs the program under the mock cloud with no engine, --local runs the real engine against the local cloud; pass one of them");
      if (options.inputs === true && !(options.offline && options.json)) throw new UsageError("--inputs adds each resource's inputs to the offline plan's JSON: pass it with --offline --json");
      const actions = await import("./preview-action.js");
      return options.offline ? actions.previewOffline(options, io) : actions.previewLive(options, io);
    }));
}
