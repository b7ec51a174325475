import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { EmailMessage, EmailProvider } from "./provider.js";

/** For dev stacks without SES: records that an email would have gone out, never the address or body. */
export class LogEmailProvider implements EmailProvider {
  readonly name = "log";

  constructor(private readonly logger: Logger) {}

  send(message: EmailMessage): Promise<{ messageId: string }> {
    const messageId = `log-${createHash("sha256").update(`${message.to}\n${message.subject}\n${message.text}`).digest("hex").slice(0, 16)}`;
    this.logger.info({ messageId, subject: message.subject }, "email not sent (EMAIL_PROVIDER=log)");
    return Promise.resolve({ messageId });
  }
}
