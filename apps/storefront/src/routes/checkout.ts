import type { FastifyInstance } from "fastify";
import { checkoutBody, checkoutHeaders } from "../checkout/schemas.js";
import { parseInput } from "../http/validation.js";
import { orderNotFound } from "../orders/workflow.js";
import { orderParams } from "../orders/schemas.js";
import type { Services } from "../services.js";

export function checkoutRoutes(app: FastifyInstance, services: Services): void {
  app.post("/api/checkout", async (request, reply) => {
    const headers = parseInput(checkoutHeaders, request.headers, "headers");
    const body = parseInput(checkoutBody, request.body, "body");
    const outcome = await services.checkout.checkout(headers["idempotency-key"], body, request.id);
    if (outcome.orderId !== null) request.log.info({ orderId: outcome.orderId, status: outcome.status, replayed: outcome.replayed }, "checkout");
    if (outcome.replayed) void reply.header("idempotent-replayed", "true");
    if (outcome.status === 201 && outcome.orderId !== null) void reply.header("location", `/api/orders/${outcome.orderId}`);
    return reply.status(outcome.status).send(outcome.body);
  });

  app.get("/api/orders/:orderId", async (request) => {
    const { orderId } = parseInput(orderParams, request.params, "params");
    const order = await services.orders.get(services.pool, orderId);
    if (order === undefined) throw orderNotFound();
    return order;
  });

  app.post("/api/orders/:orderId/cancel", async (request) => {
    const { orderId } = parseInput(orderParams, request.params, "params");
    return services.workflow.cancel(orderId, "cancelled by the customer");
  });
}
