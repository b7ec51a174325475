import { Option, type Command } from "commander";
import { addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import { REPORT_FORMATS, type PolicyCheckOptions, type PolicyConfigOptions } from "./options.js";

/** `shopctl policy check|config`: the shop-guardrails policy pack, offline. */
export function registerPolicy(program: Command, runner: CommandRunner): void {
  const policy = program
    .command("policy")
    .description("evaluate the shop-guardrails policy pack (PCI DSS v4 and GDPR guardrails) without the Pulumi CLI");

  const check = addGlobalOptions(policy.command("check"))
    .description(
      "evaluate the pack over a stack's program (run under the mock cloud), every stack, or a real stack's `pulumi stack export` or " +
        "`pulumi preview --json` file; exit 1 when a mandatory policy is violated. A policy that reads a value a preview cannot know " +
        "(an id or ARN of a resource not yet created) is reported as not evaluated, which does not fail the check: run --stack or " +
        "--from-export to judge it",
    )
    .option("--all-stacks", "check every stacks/Pulumi.*.yaml", false)
    .option("--from-export <file>", "check the resources of a `pulumi stack export` file")
    .option("--from-preview <file>", "check the resources a `pulumi preview --json` file plans")
    .option("--config <file>", "a policy pack config file (as for `pulumi preview --policy-pack-config`), applied over the stack's own")
    .addOption(new Option("--format <format>", "report format (default: text; json with --json)").choices(REPORT_FORMATS))
    .option("--output <file>", "write the report to a file instead of stdout")
    .addHelpText("after", examples(
      "shopctl policy check --stack prod",
      "shopctl policy check --all-stacks --format junit --output policy-report.xml",
      "pulumi stack export --stack prod > prod.json && shopctl policy check --from-export prod.json --config policies/config/prod.json",
      "pulumi preview --json > plan.json && shopctl policy check --from-preview plan.json --format sarif --output policy.sarif",
    ));
  check.action(runner(async (options: PolicyCheckOptions, io) =>
    (await import("./actions.js")).check({ ...options, stackFromEnv: check.getOptionValueSource("stack") === "env" }, io)));

  addGlobalOptions(policy.command("config"))
    .description("print the policy pack config derived from a stack's config (tier, data residency, DR region, domain), for `pulumi preview --policy-pack-config`")
    .option("--output <file>", "write the config to a file instead of stdout")
    .addHelpText("after", examples(
      "shopctl policy config --stack prod --output policies/config/prod.json",
      "pulumi preview --stack prod --policy-pack policies --policy-pack-config <(shopctl policy config --stack prod)",
    ))
    .action(runner(async (options: PolicyConfigOptions, io) => (await import("./actions.js")).config(options, io)));
}
