export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends one email; throws when it was not accepted (the outbox retries). */
export interface EmailProvider {
  readonly name: string;
  send(message: EmailMessage): Promise<{ messageId: string }>;
}
