import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import { errorBody, handleError } from "./http/errors.js";
import { openApiDocument } from "./http/openapi.js";
import { createTracing, registerRequestContext, requestIdOf } from "./http/request-context.js";
import type { XRayEmitter } from "./http/xray.js";
import { cartRoutes } from "./routes/carts.js";
import { checkoutRoutes } from "./routes/checkout.js";
import { healthRoutes, type Lifecycle } from "./routes/health.js";
import { productRoutes } from "./routes/products.js";
import type { TlsMaterial } from "./config/tls.js";
import type { Services } from "./services.js";

export interface AppOptions {
  logger: Logger;
  services: Services;
  lifecycle?: Lifecycle;
  /** Share of requests without an upstream sampling decision that get an X-Ray segment. */
  traceSampleRate?: number;
  xray?: XRayEmitter;
  /** Behind the ALB: client addresses come from X-Forwarded-For. */
  trustProxy?: boolean;
  /** Largest JSON body accepted, in bytes. */
  bodyLimit?: number;
  /** Serve HTTPS with this certificate and key (the ALB's HTTPS target group); absent: plain HTTP. */
  tls?: TlsMaterial;
}

const QUIET_PATHS = new Set(["/healthz", "/readyz"]);

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const tracing = createTracing(options.traceSampleRate ?? 0.05, options.xray);
  const lifecycle = options.lifecycle ?? { draining: false };
  const loggerInstance: FastifyBaseLogger = options.logger;
  // With a certificate the server speaks HTTPS; fastify's type for that instance differs only in
  // its raw server, which nothing here touches.
  const app = Fastify({
    ...(options.tls === undefined ? {} : { https: { cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" as const } }),
    loggerInstance,
    genReqId: requestIdOf,
    // Health checks every few seconds from every ALB node would drown the log.
    logController: new LogController({ requestIdLogLabel: "requestId", disableRequestLogging: (request) => QUIET_PATHS.has(request.url) }),
    childLoggerFactory: (logger, bindings, childOptions, raw) => logger.child({ ...bindings, traceId: tracing.traceOf(raw).root }, childOptions),
    trustProxy: options.trustProxy ?? true,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // During close: new requests on kept-alive connections get 503 while in-flight ones finish.
    return503OnClosing: true,
    forceCloseConnections: "idle",
  });
  // JSON only: a text/plain body is a 415, not a string handed to the handlers.
  app.removeContentTypeParser("text/plain");
  registerRequestContext(app, tracing);
  // While draining, every response closes its connection: a kept-alive socket would otherwise
  // hold the server open until its keep-alive timeout after the last in-flight request ends.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header("connection", "close");
    done(null, payload);
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody(request, "route_not_found", `no route ${request.method} ${request.url.split("?")[0] ?? ""}`, "url")));

  const document = openApiDocument();
  app.get("/openapi.json", (_request, reply) => reply.send(document));
  healthRoutes(app, options.services, lifecycle);
  productRoutes(app, options.services);
  cartRoutes(app, options.services);
  checkoutRoutes(app, options.services);
  await app.ready();
  return app;
}
