import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";

export interface Lifecycle {
  /** Set when shutdown began: readiness fails so that the load balancer stops sending traffic. */
  draining: boolean;
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<"ok" | "unavailable"> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => { reject(new Error("timed out")); }, timeoutMs);
      }),
    ]);
    return "ok";
  } catch {
    return "unavailable";
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(app: FastifyInstance, services: Services, lifecycle: Lifecycle, probeTimeoutMs = 2_000): void {
  app.get("/healthz", (_request, reply) => reply.send({ status: "ok" }));

  // The ALB's health check: ready when the database and the search alias answer.
  app.get("/readyz", async (request, reply) => {
    if (lifecycle.draining) return reply.status(503).send({ status: "draining", checks: {} });
    const [database, search] = await Promise.all([
      probe(() => services.pool.query("SELECT 1"), probeTimeoutMs),
      probe(() => services.search.check(), probeTimeoutMs),
    ]);
    const ready = database === "ok" && search === "ok";
    if (!ready) request.log.warn({ database, search }, "not ready");
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks: { database, search } });
  });
}
