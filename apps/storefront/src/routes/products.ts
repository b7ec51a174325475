import type { FastifyInstance } from "fastify";
import { ApiError } from "../http/errors.js";
import { parseInput } from "../http/validation.js";
import { productParams } from "../products/schemas.js";
import { productSearchQuery, searchRequest } from "../search/params.js";
import type { Services } from "../services.js";

export function productRoutes(app: FastifyInstance, services: Services): void {
  app.get("/api/products", async (request) => {
    const query = parseInput(productSearchQuery, request.query, "query");
    return services.search.search(searchRequest(query), request.downstreamTrace);
  });

  app.get("/api/products/:sku", async (request) => {
    const { sku } = parseInput(productParams, request.params, "params");
    const product = await services.products.bySku(sku);
    if (product === undefined) throw new ApiError(404, "product_not_found", `no product has the SKU ${sku}`, "sku");
    return product;
  });
}
