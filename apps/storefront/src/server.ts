// The web tier's entry point (server.js at the artifact's root): configuration from the
// environment (and SSM), then serve until SIGTERM, then drain.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadEnv } from "./config/env.js";
import { loadTls, type TlsMaterial } from "./config/tls.js";
import { findMigrationsDir } from "./db/migrate.js";
import { createLogger } from "./logger.js";
import { Storefront } from "./storefront.js";

const entryDir = path.dirname(fileURLToPath(import.meta.url));

/** The RDS CA bundle the build puts beside server.js, when it had one. */
function shippedCaBundle(): string | undefined {
  const file = path.join(entryDir, "certs", "rds-global-bundle.pem");
  return existsSync(file) ? file : undefined;
}

async function main(): Promise<void> {
  process.setSourceMapsEnabled(true);
  const bootLogger = createLogger(process.env.LOG_LEVEL ?? "info");
  let env;
  let tls: TlsMaterial | undefined;
  try {
    env = loadEnv(process.env, { ...(shippedCaBundle() === undefined ? {} : { caFile: shippedCaBundle() }) });
    // TLS_CERT_FILE and TLS_KEY_FILE (the web tier's boot-time certificate): HTTPS; neither: HTTP.
    tls = loadTls(env.tls);
  } catch (error) {
    if (error instanceof ConfigError) {
      bootLogger.fatal({ problems: error.problems }, error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(env.logLevel);
  const storefront = await Storefront.create({ env, logger, migrationsDir: findMigrationsDir(entryDir), ...(tls === undefined ? {} : { tls }) });
  const address = await storefront.listen();
  // The port stays last: the artifact test and the app benchmark read `"port":N,"msg":"listening"`.
  logger.info({ address: address.address, protocol: tls === undefined ? "http" : "https", port: address.port }, "listening");

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal, timeoutMs: env.shutdown.timeoutMs }, "shutting down: draining in-flight requests");
    // systemd sends SIGKILL after its own timeout; this one reports what did not finish first.
    const deadline = setTimeout(() => {
      logger.error("in-flight work did not finish before SHUTDOWN_TIMEOUT_MS; exiting anyway");
      process.exit(1);
    }, env.shutdown.timeoutMs);
    deadline.unref();
    storefront.stop().then(() => process.exit(0), (error: unknown) => {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  createLogger("fatal").fatal({ err: error }, "the storefront could not start");
  process.exit(1);
});
