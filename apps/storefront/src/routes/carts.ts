import type { FastifyInstance } from "fastify";
import { addItemBody, cartItemParams, cartParams, createCartBody, setQuantityBody } from "../carts/schemas.js";
import { parseInput } from "../http/validation.js";
import type { Services } from "../services.js";

export function cartRoutes(app: FastifyInstance, services: Services): void {
  app.post("/api/carts", async (request, reply) => {
    parseInput(createCartBody, request.body, "body");
    const cart = await services.carts.create();
    return reply.status(201).header("location", `/api/carts/${cart.id}`).send(cart);
  });

  app.get("/api/carts/:cartId", async (request) => {
    const { cartId } = parseInput(cartParams, request.params, "params");
    return services.carts.get(cartId);
  });

  app.post("/api/carts/:cartId/items", async (request) => {
    const { cartId } = parseInput(cartParams, request.params, "params");
    const { sku, quantity } = parseInput(addItemBody, request.body, "body");
    return services.carts.addItem(cartId, sku, quantity);
  });

  app.patch("/api/carts/:cartId/items/:sku", async (request) => {
    const { cartId, sku } = parseInput(cartItemParams, request.params, "params");
    const { quantity } = parseInput(setQuantityBody, request.body, "body");
    return services.carts.setQuantity(cartId, sku, quantity);
  });

  app.delete("/api/carts/:cartId/items/:sku", async (request) => {
    const { cartId, sku } = parseInput(cartItemParams, request.params, "params");
    return services.carts.removeItem(cartId, sku);
  });
}
