import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";

/**
 * How the app talks TLS to PostgreSQL:
 * - `verify-full`: TLS 1.2+, the server's certificate checked against `caFile` (the RDS CA
 *   bundle) and its name against the host: the production choice (RDS has rds.force_ssl on).
 * - `require`: encrypted, certificate unchecked; for a server whose CA you cannot ship.
 * - `disable`: plain TCP; only for a local database.
 * Neither TLS mode ever falls back to plain TCP: a server without TLS is an error.
 */
export const DATABASE_TLS_MODES = ["verify-full", "require", "disable"] as const;
export type DatabaseTlsMode = (typeof DATABASE_TLS_MODES)[number];

export function databaseTls(mode: DatabaseTlsMode, caFile: string | undefined): false | ConnectionOptions {
  switch (mode) {
    case "disable":
      return false;
    case "require":
      return { rejectUnauthorized: false, minVersion: "TLSv1.2" };
    case "verify-full": {
      if (caFile === undefined) {
        throw new Error("DATABASE_TLS=verify-full needs the RDS CA bundle: set DATABASE_CA_FILE (the artifact ships certs/rds-global-bundle.pem when the build found it)");
      }
      let ca: string;
      try {
        ca = readFileSync(caFile, "utf8");
      } catch (error) {
        throw new Error(`DATABASE_CA_FILE ${caFile} cannot be read: ${(error as Error).message}`, { cause: error });
      }
      if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`DATABASE_CA_FILE ${caFile} holds no PEM certificate`);
      return { rejectUnauthorized: true, ca, minVersion: "TLSv1.2" };
    }
  }
}
