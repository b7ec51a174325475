import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance } from "fastify";
import { downstreamTraceHeader, responseTraceHeader, type TraceContext, traceContext } from "./trace.js";
import type { XRayEmitter } from "./xray.js";

declare module "fastify" {
  interface FastifyRequest {
    /** X-Ray context of this request. */
    trace: TraceContext;
    /** The X-Amzn-Trace-Id header for calls this request makes to other services. */
    downstreamTrace: string;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's X-Request-Id when it is sane (a proxy's or a client's), else a new UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const header = raw.headers["x-request-id"];
  return typeof header === "string" && REQUEST_ID.test(header) ? header : randomUUID();
}

export interface Tracing {
  /** The trace context of a raw request, made once and remembered. */
  traceOf(raw: IncomingMessage): TraceContext;
  emitter: XRayEmitter | undefined;
}

export function createTracing(sampleRate: number, emitter?: XRayEmitter): Tracing {
  const traces = new WeakMap<IncomingMessage, TraceContext>();
  return {
    emitter,
    traceOf(raw) {
      let trace = traces.get(raw);
      if (trace === undefined) {
        const header = raw.headers["x-amzn-trace-id"];
        trace = traceContext(typeof header === "string" ? header : undefined, { sampleRate });
        traces.set(raw, trace);
      }
      return trace;
    },
  };
}

/** Request id and trace headers on every response, and one X-Ray segment per sampled request. */
export function registerRequestContext(app: FastifyInstance, tracing: Tracing): void {
  app.decorateRequest("trace", undefined as unknown as TraceContext);
  app.decorateRequest("downstreamTrace", "");
  app.addHook("onRequest", async (request, reply) => {
    request.trace = tracing.traceOf(request.raw);
    request.downstreamTrace = downstreamTraceHeader(request.trace);
    void reply.header("x-request-id", request.id);
    void reply.header("x-amzn-trace-id", responseTraceHeader(request.trace));
  });
  const emitter = tracing.emitter;
  if (emitter !== undefined) {
    app.addHook("onResponse", async (request, reply) => {
      const end = Date.now() / 1000;
      emitter.emit(request.trace, {
        method: request.method,
        url: request.url,
        clientIp: request.ip,
        userAgent: request.headers["user-agent"],
        status: reply.statusCode,
        startTime: end - reply.elapsedTime / 1000,
        endTime: end,
        requestId: request.id,
      });
    });
  }
}
