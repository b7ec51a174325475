import type pg from "pg";
import type { Logger } from "pino";
import type { Tables } from "../db/tables.js";
import type { EmailProvider } from "./provider.js";
import type { EmailKind } from "./templates.js";

type Queryable = Pick<pg.PoolClient, "query">;

export interface OutboxEmail {
  kind: EmailKind;
  orderId: string;
  recipient: string;
  subject: string;
  text: string;
}

/** Writes an email into the outbox inside the caller's transaction; one per order and kind. */
export async function enqueueEmail(db: Queryable, tables: Tables, email: OutboxEmail): Promise<void> {
  await db.query(
    `INSERT INTO ${tables.emailOutbox} (kind, order_id, recipient, subject, body_text) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ON CONSTRAINT email_outbox_order_kind_key DO NOTHING`,
    [email.kind, email.orderId, email.recipient, email.subject, email.text],
  );
}

export interface DispatchOptions {
  /** Emails claimed per pass. */
  batchSize: number;
  /** Attempts before an email is marked failed. */
  maxAttempts: number;
  /** How long a claimed email is hidden from other dispatchers while it is being sent. */
  leaseSeconds: number;
  /** Delay before retry n (1-based), in seconds. */
  backoffSeconds: (attempt: number) => number;
}

export const DEFAULT_DISPATCH: DispatchOptions = {
  batchSize: 20,
  maxAttempts: 8,
  leaseSeconds: 60,
  backoffSeconds: (attempt) => Math.min(3_600, 30 * 2 ** (attempt - 1)),
};

export interface DispatchResult {
  sent: number;
  retried: number;
  failed: number;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  subject: string;
  body_text: string;
  attempts: number;
}

/**
 * Sends due emails from the outbox. Rows are claimed with SKIP LOCKED and a lease, so any number
 * of instances dispatch without sending an email twice in the normal case; an instance that dies
 * mid-send leaves the lease to expire and another sends it again (at least once).
 */
export class OutboxDispatcher {
  private readonly options: DispatchOptions;

  constructor(private readonly pool: pg.Pool, private readonly tables: Tables, private readonly provider: EmailProvider, private readonly logger: Logger, options: Partial<DispatchOptions> = {}) {
    this.options = { ...DEFAULT_DISPATCH, ...options };
  }

  async dispatchDue(): Promise<DispatchResult> {
    const { rows } = await this.pool.query<ClaimedRow>(
      `UPDATE ${this.tables.emailOutbox} SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
       WHERE id IN (
         SELECT id FROM ${this.tables.emailOutbox} WHERE status = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, recipient, subject, body_text, attempts`,
      [this.options.batchSize, this.options.leaseSeconds],
    );
    const result: DispatchResult = { sent: 0, retried: 0, failed: 0 };
    for (const row of rows) {
      try {
        const { messageId } = await this.provider.send({ to: row.recipient, subject: row.subject, text: row.body_text });
        await this.pool.query(
          `UPDATE ${this.tables.emailOutbox} SET status = 'sent', sent_at = now(), provider_message_id = $2, last_error = NULL WHERE id = $1`,
          [row.id, messageId],
        );
        result.sent++;
      } catch (error) {
        const message = (error as Error).message.slice(0, 1_000);
        if (row.attempts >= this.options.maxAttempts) {
          await this.pool.query(`UPDATE ${this.tables.emailOutbox} SET status = 'failed', last_error = $2 WHERE id = $1`, [row.id, message]);
          this.logger.error({ outboxId: row.id, attempts: row.attempts, provider: this.provider.name }, `email gave up after ${row.attempts} attempts: ${message}`);
          result.failed++;
        } else {
          await this.pool.query(
            `UPDATE ${this.tables.emailOutbox} SET last_error = $2, next_attempt_at = now() + make_interval(secs => $3) WHERE id = $1`,
            [row.id, message, this.options.backoffSeconds(row.attempts)],
          );
          this.logger.warn({ outboxId: row.id, attempts: row.attempts, provider: this.provider.name }, `email not sent, will retry: ${message}`);
          result.retried++;
        }
      }
    }
    return result;
  }
}
