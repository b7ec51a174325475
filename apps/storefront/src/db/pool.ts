import pg from "pg";
import type { Logger } from "pino";
import { type DatabaseTlsMode, databaseTls } from "./tls.js";

export interface DatabaseSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  tls: DatabaseTlsMode;
  /** PEM bundle of the CAs that may sign the server's certificate (verify-full). */
  caFile: string | undefined;
  /** Connections per instance. */
  poolMax: number;
  /** Longest a statement may run before PostgreSQL cancels it. */
  statementTimeoutMs: number;
}

export function createPool(settings: DatabaseSettings, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: databaseTls(settings.tls, settings.caFile),
    max: settings.poolMax,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: settings.statementTimeoutMs,
    application_name: "storefront",
  });
  // An idle client losing its connection (a failover, a restart) must not crash the process.
  pool.on("error", (error) => {
    logger.warn({ err: error }, "an idle database connection failed");
  });
  return pool;
}
