import type { SesClientLike, SesSendEmailInput } from "./ses.js";

// Loaded by name at run time: the package is optional until SES is turned on (EMAIL_PROVIDER=ses).
const SES_PACKAGE: string = "@aws-sdk/client-sesv2";

interface SesV2Module {
  SESv2Client: new (config: { region?: string }) => { send(command: unknown): Promise<{ MessageId?: string }> };
  SendEmailCommand: new (input: SesSendEmailInput) => unknown;
}

function isSesV2Module(value: unknown): value is SesV2Module {
  const module = value as Partial<Record<keyof SesV2Module, unknown>> | null;
  return typeof module?.SESv2Client === "function" && typeof module.SendEmailCommand === "function";
}

/** An SES v2 client from @aws-sdk/client-sesv2, shaped for SesEmailProvider. */
export async function sesV2Client(region: string | undefined): Promise<SesClientLike> {
  let sdk: unknown;
  try {
    sdk = await import(SES_PACKAGE);
  } catch (error) {
    throw new Error(`EMAIL_PROVIDER=ses needs the ${SES_PACKAGE} package in the artifact: add it to the dependencies and rebuild`, { cause: error });
  }
  if (!isSesV2Module(sdk)) throw new Error(`${SES_PACKAGE} does not export SESv2Client and SendEmailCommand`);
  const client = new sdk.SESv2Client(region === undefined ? {} : { region });
  const Command = sdk.SendEmailCommand;
  return { sendEmail: (input) => client.send(new Command(input)) };
}
