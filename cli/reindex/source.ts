import pg from "pg";
import { PRODUCT_COLUMNS, productsTable, type ProductRow } from "../../apps/storefront/src/catalog/index.js";

/** A row of a catch-up page: the product plus the transaction that last changed it. */
export interface ChangedRow extends ProductRow {
  changed_xid: string;
}

/** Catch-up pages are read in (changed_xid, id) order, which the products_changed_xid_id_idx index serves. */
export interface ChangeKey {
  xid: string;
  id: string;
}

/** Something that runs SQL: the pool, or one client inside a transaction. */
interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/** Document ids that can be row ids: a stray document's _id may be any string. */
function rowIds(ids: readonly string[]): string[] {
  return ids.filter((id) => /^[1-9][0-9]{0,15}$/.test(id));
}

// Advisory lock class for shopctl reindex ("shop" in ASCII); the object is hashtext(lock key).
const LOCK_CLASS = 0x73686f70;

/**
 * Reads of the catalog for a reindex. Keyset pages (not one long cursor) keep memory bounded and
 * hold no transaction open for the length of the load; consistency comes from the watermark:
 * a pg_current_snapshot() taken before reading, after which catch-up passes select the rows
 * changed by transactions that snapshot did not see.
 */
export class CatalogReader {
  constructor(protected readonly db: Queryable, readonly schema: string) {}

  protected get table(): string {
    return productsTable(this.schema);
  }

  /** The watermark: which transactions had committed, as `xmin:xmax:xip,...`. */
  async snapshot(): Promise<string> {
    const { rows } = await this.db.query<{ snapshot: string }>("SELECT pg_current_snapshot()::text AS snapshot");
    const snapshot = rows[0]?.snapshot;
    if (snapshot === undefined) throw new Error("PostgreSQL returned no snapshot");
    return snapshot;
  }

  async liveCount(): Promise<number> {
    const { rows } = await this.db.query<{ count: string }>(`SELECT count(*) AS count FROM ${this.table} WHERE deleted_at IS NULL`);
    return Number(rows[0]?.count ?? 0);
  }

  /** Live rows with id > after, in id order. */
  async livePage(after: string | undefined, limit: number): Promise<ProductRow[]> {
    const { rows } = await this.db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM ${this.table} WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
      [after ?? "0", limit],
    );
    return rows;
  }

  /**
   * Rows (tombstones included) whose last change is not visible in `since`, after `after` in
   * (changed_xid, id) order. Every such xid is at least the snapshot's xmin, which bounds the
   * index range scanned.
   */
  async changedPage(since: string, after: ChangeKey | undefined, limit: number): Promise<ChangedRow[]> {
    const { rows } = await this.db.query<ChangedRow>(
      `SELECT ${PRODUCT_COLUMNS}, changed_xid::text AS changed_xid FROM ${this.table}
       WHERE changed_xid >= pg_snapshot_xmin($1::pg_snapshot)
         AND NOT pg_visible_in_snapshot(changed_xid, $1::pg_snapshot)
         AND (changed_xid, id) > ($2::xid8, $3::bigint)
       ORDER BY changed_xid, id
       LIMIT $4`,
      [since, after?.xid ?? "0", after?.id ?? "0", limit],
    );
    return rows;
  }

  /** Ids and SKUs of live rows with id > after, in id order: what a verification that failed compares. */
  async liveIdPage(after: string | undefined, limit: number): Promise<{ id: string; sku: string }[]> {
    const { rows } = await this.db.query<{ id: string; sku: string }>(
      `SELECT id, sku FROM ${this.table} WHERE deleted_at IS NULL AND id > $1 ORDER BY id LIMIT $2`,
      [after ?? "0", limit],
    );
    return rows;
  }

  /** Which of `ids` are live rows. */
  async liveAmong(ids: readonly string[]): Promise<Set<string>> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM ${this.table} WHERE deleted_at IS NULL AND id = ANY($1::bigint[])`,
      [rowIds(ids)],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** The rows with these ids, tombstones included; a purged row is simply absent. */
  async rowsByIds(ids: readonly string[]): Promise<ProductRow[]> {
    const { rows } = await this.db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM ${this.table} WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [rowIds(ids)],
    );
    return rows;
  }

  /** Random live rows, for verification. */
  async sample(size: number): Promise<ProductRow[]> {
    const { rows } = await this.db.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS} FROM ${this.table} WHERE deleted_at IS NULL ORDER BY random() LIMIT $1`,
      [size],
    );
    return rows;
  }

  async tableExists(): Promise<boolean> {
    const { rows } = await this.db.query<{ found: boolean }>("SELECT to_regclass($1) IS NOT NULL AS found", [this.table]);
    return rows[0]?.found === true;
  }
}

/** The catalog database of a reindex: a small pool for reads and one session holding the lock. */
export class CatalogSource extends CatalogReader {
  private lockClient: pg.PoolClient | undefined;

  private constructor(private readonly pool: pg.Pool, schema: string) {
    super(pool, schema);
  }

  static open(connection: pg.PoolConfig, schema: string): CatalogSource {
    const pool = new pg.Pool({ max: 4, connectionTimeoutMillis: 10_000, ...connection });
    // An idle client that loses its server emits 'error' on the pool; the next query reports it.
    pool.on("error", () => undefined);
    return new CatalogSource(pool, schema);
  }

  /**
   * Take the session-level advisory lock for `key` without waiting; false when another session
   * holds it. Held until release() or until this process's connection ends, so a killed run
   * never leaves it behind.
   */
  async lock(key: string): Promise<boolean> {
    if (this.lockClient !== undefined) throw new Error("the reindex lock is already held by this run");
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS locked", [LOCK_CLASS, key]);
      if (rows[0]?.locked !== true) {
        client.release();
        return false;
      }
      this.lockClient = client;
      return true;
    } catch (error) {
      client.release();
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    const client = this.lockClient;
    if (client === undefined) return;
    this.lockClient = undefined;
    try {
      await client.query("SELECT pg_advisory_unlock($1::int, hashtext($2))", [LOCK_CLASS, key]);
      client.release();
    } catch (error) {
      // A broken session has lost its locks anyway; do not hand it back to the pool.
      client.release(error instanceof Error ? error : true);
    }
  }

  /**
   * Run `work` in one REPEATABLE READ, READ ONLY transaction: every read sees the same snapshot,
   * which `snapshot()` inside returns. Verification counts and compares at that exact state.
   */
  async atSnapshot<T>(work: (reader: CatalogReader) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const result = await work(new CatalogReader(client, this.schema));
      await client.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release(true);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.lockClient?.release();
    this.lockClient = undefined;
    await this.pool.end();
  }
}
