import { Option, type Command } from "commander";
import { addDryRun, addGlobalOptions, examples } from "../../global-options.js";
import type { CommandRunner } from "../common/runner.js";
import type { InitOptions } from "./options.js";

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** `shopctl init`: a wizard that writes stacks/Pulumi.<name>.yaml; every prompt has a flag. */
export function registerInit(program: Command, runner: CommandRunner): void {
  const command = program
    .command("init")
    .summary("create a stack file, by wizard or by flags")
    .description("create a stack file (stacks/Pulumi.<name>.yaml): asks on a terminal, or takes every answer as a flag")
    .addOption(new Option("--tier <tier>", "sizing and safety tier").choices(["dev", "staging", "prod"]))
    .option("--primary-region <region>", "AWS region that serves traffic, e.g. eu-west-1")
    .addOption(new Option("--dr-strategy <strategy>", "disaster recovery (default: the tier's)").choices(["none", "pilot-light", "warm-standby"]))
    .option("--dr-region <region>", "DR region (required unless --dr-strategy none)")
    .option("--data-residency <scope>", "any, eu, us, ca or uk: every region must be allowed (default: any)")
    .option("--domain <name>", "the store's domain, e.g. shop.example.com (required outside dev)")
    .option("--hosted-zone-id <id>", "the Route 53 hosted zone id of the domain")
    .option("--alarm-email <address>", "who alarms email; repeat for several (at least one in prod)", collect)
    .option("--ops-principal <arn>", "a role or user ARN (e.g. the CI role) that may assume the ops role; repeat for several (at least one in prod)", collect)
    .option("--owner <team>", "owning team or person (the Owner tag)")
    .option("--cost-center <code>", "cost center (the CostCenter tag)")
    .option("--force", "overwrite an existing stack file", false);
  addDryRun(addGlobalOptions(command))
    .addHelpText("after", examples(
      "shopctl init",
      "shopctl init --stack qa --tier staging --primary-region eu-west-1 --dr-region eu-central-1 --domain qa.shop.example.com --hosted-zone-id Z0QAEXAMPLE000001 --alarm-email oncall@example.com --owner platform-team --cost-center CC-1001",
      "shopctl init --stack sandbox --tier dev --primary-region us-east-2 --owner me --cost-center CC-0 --dry-run",
    ))
    .action(runner(async (options: InitOptions, io) => (await import("./init-action.js")).init(options, io)));
}
