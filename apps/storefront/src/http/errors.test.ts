import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { ApiError, handleError, UnavailableError } from "./errors.js";

async function appThrowing(error: Error) {
  const app = Fastify();
  app.setErrorHandler(handleError);
  app.get("/", () => {
    throw error;
  });
  await app.ready();
  return app;
}

describe("handleError", () => {
  it("answers an ApiError with its status, body and headers", async () => {
    const app = await appThrowing(new ApiError(409, "insufficient_stock", "only 2 left", "quantity", { details: { available: 2 }, headers: { "retry-after": "3" } }));
    const response = await app.inject({ url: "/", headers: { "x-request-id": "r1" } });
    expect(response.statusCode).toBe(409);
    expect(response.headers["retry-after"]).toBe("3");
    expect(response.json()).toEqual({ error: { code: "insufficient_stock", message: "only 2 left", field: "quantity", details: { available: 2 }, requestId: response.json<{ error: { requestId: string } }>().error.requestId } });
  });

  it("answers a dependency outage with 503 and Retry-After", async () => {
    const response = await (await appThrowing(new UnavailableError("search_unavailable", "search is down"))).inject({ url: "/" });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("1");
  });

  it("answers an unreachable database with 503, not 500", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:5432"), { code: "ECONNREFUSED" });
    const adminShutdown = Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });
    for (const error of [refused, adminShutdown, new Error("timeout exceeded when trying to connect")]) {
      const response = await (await appThrowing(error)).inject({ url: "/" });
      expect(response.statusCode).toBe(503);
      expect(response.json<{ error: { code: string } }>().error.code).toBe("database_unavailable");
    }
  });

  it("answers anything else with a 500 that reveals nothing of the error", async () => {
    const response = await (await appThrowing(new Error("relation \"secret_table\" does not exist"))).inject({ url: "/" });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain("secret_table");
    expect(response.json<{ error: { code: string } }>().error.code).toBe("internal_error");
  });
});
