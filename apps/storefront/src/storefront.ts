import type { AddressInfo } from "node:net";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SSMClient } from "@aws-sdk/client-ssm";
import type { Client as SearchClient } from "@opensearch-project/opensearch";
import type { FastifyInstance } from "fastify";
import type pg from "pg";
import type { Logger } from "pino";
import { buildApp } from "./app.js";
import { PeriodicTask } from "./background.js";
import type { EnvSettings } from "./config/env.js";
import { SsmParameterReader } from "./config/parameters.js";
import { type RuntimeSettings, type RuntimeSources, resolveRuntimeSettings } from "./config/runtime.js";
import { SecretsManagerCredentialsReader } from "./config/secrets.js";
import type { TlsMaterial } from "./config/tls.js";
import { migrateStorefront } from "./db/migrate.js";
import { createPool } from "./db/pool.js";
import { tables } from "./db/tables.js";
import { LogEmailProvider } from "./email/log-provider.js";
import { OutboxDispatcher } from "./email/outbox.js";
import type { EmailProvider } from "./email/provider.js";
import { SesEmailProvider, sesV2Client } from "./email/ses.js";
import { XRayEmitter } from "./http/xray.js";
import type { PaymentProvider } from "./payments/provider.js";
import { TestPaymentProvider } from "./payments/test-provider.js";
import type { Lifecycle } from "./routes/health.js";
import { createSearchClient } from "./search/client.js";
import { ProductSearch } from "./search/service.js";
import { createServices } from "./services.js";

export interface StorefrontOptions {
  env: EnvSettings;
  logger: Logger;
  /** apps/storefront/migrations, or the artifact's migrations/. */
  migrationsDir: string;
  /** SSM and Secrets Manager; made from the AWS SDK's default chain when absent. */
  sources?: RuntimeSources;
  payments?: PaymentProvider;
  /** Overrides EMAIL_PROVIDER. */
  email?: EmailProvider;
  /** Serve HTTPS with this certificate and key (see config/tls.ts); absent: plain HTTP. */
  tls?: TlsMaterial;
}

const IDEMPOTENCY_KEY_HOURS = 24;

function defaultSources(env: EnvSettings): RuntimeSources {
  const region = env.awsRegion === undefined ? {} : { region: env.awsRegion };
  return {
    parameters: env.runtimeParameterPrefix === undefined ? undefined : new SsmParameterReader(new SSMClient(region)),
    credentials: env.database.secretArn === undefined && env.runtimeParameterPrefix === undefined ? undefined : new SecretsManagerCredentialsReader(new SecretsManagerClient(region)),
  };
}

async function emailProvider(env: EnvSettings, logger: Logger): Promise<EmailProvider | undefined> {
  switch (env.email.provider) {
    case "none":
      return undefined;
    case "log":
      return new LogEmailProvider(logger);
    case "ses":
      if (env.email.from === undefined) throw new Error("EMAIL_PROVIDER=ses needs EMAIL_FROM");
      return new SesEmailProvider(await sesV2Client(env.awsRegion), env.email.from);
  }
}

/**
 * The running service: configuration resolved, database migrated, HTTP server, background
 * tasks (outbox, key purge), and a stop() that drains in-flight requests before closing anything.
 */
export class Storefront {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly app: FastifyInstance,
    readonly settings: RuntimeSettings,
    private readonly pool: pg.Pool,
    private readonly searchClient: SearchClient,
    private readonly tasks: PeriodicTask[],
    private readonly xray: XRayEmitter | undefined,
    private readonly options: StorefrontOptions,
    readonly lifecycle: Lifecycle,
  ) {}

  static async create(options: StorefrontOptions): Promise<Storefront> {
    const { env, logger } = options;
    const settings = await resolveRuntimeSettings(env, options.sources ?? defaultSources(env));
    logger.info({ sources: settings.sources, database: `${settings.database.host}:${settings.database.port}/${settings.database.database}`, tls: settings.database.tls, search: settings.search.endpoint, alias: settings.search.indexAlias }, "configuration resolved");
    const pool = createPool(settings.database, logger);
    const searchClient = createSearchClient(settings.search);
    try {
      const schemaTables = tables(env.database.schema);
      if (env.migrateOnStart) {
        const client = await pool.connect();
        try {
          const ran = await migrateStorefront({ client, schema: env.database.schema, dir: options.migrationsDir, log: (line) => { logger.debug(line); } });
          logger.info({ migrations: ran }, ran.length === 0 ? "database schema is current" : `ran ${ran.length} migrations`);
        } finally {
          client.release();
        }
      }
      const payments = options.payments ?? new TestPaymentProvider();
      if (payments.name === "test" && env.nodeEnv === "production") {
        logger.warn("PAYMENT_PROVIDER=test: orders are charged by the deterministic test provider, not a real one");
      }
      const services = createServices(pool, schemaTables, new ProductSearch(searchClient, settings.search.indexAlias), payments);
      const xray = env.xray.daemonAddress === undefined ? undefined : new XRayEmitter(env.xray.daemonAddress);
      const lifecycle: Lifecycle = { draining: false };
      const app = await buildApp({ logger, services, lifecycle, traceSampleRate: env.xray.sampleRate, ...(xray === undefined ? {} : { xray }), trustProxy: env.trustProxy, ...(options.tls === undefined ? {} : { tls: options.tls }) });
      const tasks: PeriodicTask[] = [
        new PeriodicTask("idempotency key purge", 3_600_000, async () => {
          await services.checkout.idempotencyKeys.purge(IDEMPOTENCY_KEY_HOURS);
        }, logger),
      ];
      const email = options.email ?? (await emailProvider(env, logger));
      if (email !== undefined) {
        const dispatcher = new OutboxDispatcher(pool, schemaTables, email, logger);
        tasks.push(new PeriodicTask("email outbox", env.email.pollMs, async () => {
          await dispatcher.dispatchDue();
        }, logger));
      }
      return new Storefront(app, settings, pool, searchClient, tasks, xray, options, lifecycle);
    } catch (error) {
      await pool.end().catch(() => undefined);
      await searchClient.close().catch(() => undefined);
      throw error;
    }
  }

  /** Listens on HOST:PORT and starts the background tasks; returns the address. */
  async listen(): Promise<AddressInfo> {
    await this.app.listen({ host: this.options.env.host, port: this.options.env.port });
    for (const task of this.tasks) task.start();
    const address = this.app.server.address();
    if (address === null || typeof address === "string") throw new Error("the server has no TCP address");
    return address;
  }

  /**
   * Graceful stop: readiness fails first (so the load balancer stops routing here), then the
   * server stops accepting and waits for in-flight requests, then the background tasks finish
   * their current run, and only then are the connections closed. Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.drain();
    return this.stopping;
  }

  private async drain(): Promise<void> {
    const { logger, env } = this.options;
    this.lifecycle.draining = true;
    if (env.shutdown.drainDelayMs > 0) {
      logger.info({ delayMs: env.shutdown.drainDelayMs }, "draining: readiness fails while the load balancer notices");
      await new Promise((resolve) => setTimeout(resolve, env.shutdown.drainDelayMs));
    }
    await this.app.close();
    await Promise.all(this.tasks.map((task) => task.stop()));
    this.xray?.close();
    await this.searchClient.close();
    await this.pool.end();
    logger.info("stopped");
  }
}
