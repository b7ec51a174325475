import type pg from "pg";
import type { Tables } from "../db/tables.js";
import { ApiError } from "../http/errors.js";

export type RecoveryPoint = "started" | "order_created" | "finished";

export interface KeyRecord {
  key: string;
  recoveryPoint: RecoveryPoint;
  orderId: string | null;
}

export type Claim =
  | { kind: "replay"; status: number; body: unknown; orderId: string | null }
  | { kind: "claimed"; record: KeyRecord };

interface KeyRow {
  key: string;
  fingerprint: string;
  recovery_point: RecoveryPoint;
  order_id: string | null;
  response_status: number | null;
  response_body: unknown;
}

const COLUMNS = "key, fingerprint, recovery_point, order_id, response_status, response_body";

/**
 * Idempotency keys of checkout requests. A key is claimed (locked) by one request at a time; a
 * finished key replays its response; a key whose holder died is reclaimed after `lockSeconds`.
 */
export class IdempotencyKeys {
  constructor(private readonly pool: pg.Pool, private readonly tables: Tables, private readonly lockSeconds = 60) {}

  async claim(key: string, fingerprint: string): Promise<Claim> {
    const inserted = await this.pool.query<KeyRow>(
      `INSERT INTO ${this.tables.idempotencyKeys} (key, fingerprint, locked_at) VALUES ($1, $2, now())
       ON CONFLICT (key) DO NOTHING RETURNING ${COLUMNS}`,
      [key, fingerprint],
    );
    const fresh = inserted.rows[0];
    if (fresh !== undefined) return { kind: "claimed", record: record(fresh) };

    const { rows } = await this.pool.query<KeyRow>(`SELECT ${COLUMNS} FROM ${this.tables.idempotencyKeys} WHERE key = $1`, [key]);
    const existing = rows[0];
    // Deleted between the two statements (its request failed on bad input): claim it again.
    if (existing === undefined) return this.claim(key, fingerprint);
    if (existing.fingerprint !== fingerprint) {
      throw new ApiError(422, "idempotency_key_reused", "this Idempotency-Key was used for a different checkout request; use a new key for a new request", "Idempotency-Key");
    }
    if (existing.recovery_point === "finished") return replay(existing);

    const locked = await this.pool.query<KeyRow>(
      `UPDATE ${this.tables.idempotencyKeys} SET locked_at = now(), updated_at = now()
       WHERE key = $1 AND recovery_point <> 'finished' AND (locked_at IS NULL OR locked_at < now() - make_interval(secs => $2))
       RETURNING ${COLUMNS}`,
      [key, this.lockSeconds],
    );
    const reclaimed = locked.rows[0];
    if (reclaimed !== undefined) return { kind: "claimed", record: record(reclaimed) };
    const { rows: again } = await this.pool.query<KeyRow>(`SELECT ${COLUMNS} FROM ${this.tables.idempotencyKeys} WHERE key = $1`, [key]);
    if (again[0]?.recovery_point === "finished") return replay(again[0]);
    throw new ApiError(409, "idempotency_key_in_use", "a request with this Idempotency-Key is still being processed; retry shortly", "Idempotency-Key", { headers: { "retry-after": "1" } });
  }

  /** Lets a retry take over (after a failure that left the request resumable). */
  async release(key: string): Promise<void> {
    await this.pool.query(`UPDATE ${this.tables.idempotencyKeys} SET locked_at = NULL, updated_at = now() WHERE key = $1`, [key]);
  }

  /** Forgets a key whose request changed nothing (refused input): a retry runs afresh. */
  async forget(key: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.tables.idempotencyKeys} WHERE key = $1 AND recovery_point = 'started'`, [key]);
  }

  /** Deletes keys older than `hours`: clients retry within minutes, not days. */
  async purge(hours: number): Promise<number> {
    const result = await this.pool.query(
      `DELETE FROM ${this.tables.idempotencyKeys} WHERE created_at < now() - make_interval(hours => $1) AND (locked_at IS NULL OR recovery_point = 'finished')`,
      [hours],
    );
    return result.rowCount ?? 0;
  }
}

function record(row: KeyRow): KeyRecord {
  return { key: row.key, recoveryPoint: row.recovery_point, orderId: row.order_id };
}

function replay(row: KeyRow): Claim {
  return { kind: "replay", status: row.response_status ?? 500, body: row.response_body, orderId: row.order_id };
}
