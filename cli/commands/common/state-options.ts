import { Option, type Command } from "commander";

/** `--backend` and `--secrets-provider`, for every command that reads or changes live state. */
export function addStateOptions(command: Command): Command {
  return command
    .addOption(new Option("--backend <url>", "Pulumi state backend: file://PATH, s3://BUCKET[/PREFIX]?region=R, or https://api.pulumi.com (default: file://$SHOPCTL_HOME/state, ~/.shopctl/state)").env("SHOPCTL_BACKEND"))
    .addOption(new Option("--secrets-provider <provider>", "how stack secrets are encrypted: passphrase (default; PULUMI_CONFIG_PASSPHRASE) or awskms://ALIAS_OR_KEY?region=R for teams").env("SHOPCTL_SECRETS_PROVIDER"));
}

/** `--local`: the real Pulumi engine against the local cloud, for rehearsing a change with no AWS account. */
export function addLocalOption(command: Command): Command {
  return command.option("--local", "run the real Pulumi engine against the local cloud (simulated AWS on this machine), with state in $SHOPCTL_HOME/local: no AWS account needed", false);
}
