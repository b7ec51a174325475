import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** One problem with a request: which input it concerns and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: {
    /** Stable, machine-readable: `invalid_request`, `cart_not_found`, ... */
    code: string;
    message: string;
    /** The input at fault: a body path (`shippingAddress.country`), a query parameter, a header, a path parameter. */
    field?: string;
    /** Every problem found, when there were several. */
    problems?: FieldProblem[];
    /** Extra facts the client can act on (for example the stock left). */
    details?: unknown;
    requestId: string;
  };
}

/** An error the API answers with its own status and body. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly extra: { problems?: FieldProblem[]; details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** A dependency (database, search, payment provider) did not answer: not the client's fault, worth a retry. */
export class UnavailableError extends ApiError {
  constructor(code: string, message: string) {
    super(503, code, message, undefined, { headers: { "retry-after": "1" } });
    this.name = "UnavailableError";
  }
}

interface FrameworkMapping {
  status: number;
  code: string;
  field: string;
  message?: string;
}

// Fastify's own 4xx errors (body parsing), named by the input they concern.
const FRAMEWORK_ERRORS: Record<string, FrameworkMapping> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type", field: "Content-Type", message: "the body must be application/json" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_content_length", field: "Content-Length" },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: "body_too_large", field: "body" },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: "invalid_json", field: "body", message: "the body is empty; expected a JSON object" },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: "invalid_json", field: "body" },
  FST_ERR_CTP_INVALID_TYPE: { status: 400, code: "invalid_content_type", field: "Content-Type" },
  FST_ERR_BAD_URL: { status: 400, code: "bad_url", field: "url" },
};

// Codes of a database that cannot be reached or is going away (a failover, a restart).
const UNAVAILABLE_NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);
const UNAVAILABLE_SQLSTATES = new Set(["57P01", "57P02", "57P03", "08000", "08001", "08003", "08006", "53300"]);

function isDatabaseUnavailable(error: Error & { code?: unknown }): boolean {
  const code = typeof error.code === "string" ? error.code : undefined;
  if (code !== undefined && (UNAVAILABLE_NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code))) return true;
  return /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}

export function errorBody(request: FastifyRequest, code: string, message: string, field?: string, extra: ApiError["extra"] = {}): ErrorBody {
  return {
    error: {
      code,
      message,
      ...(field === undefined ? {} : { field }),
      ...(extra.problems === undefined ? {} : { problems: extra.problems }),
      ...(extra.details === undefined ? {} : { details: extra.details }),
      requestId: request.id,
    },
  };
}

/** The one error handler: a client's mistake is a 4xx naming the input, anything else a logged 5xx. */
export function handleError(error: FastifyError | ApiError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ApiError) {
    if (error.statusCode >= 500) request.log.warn({ code: error.code }, error.message);
    for (const [name, value] of Object.entries(error.extra.headers ?? {})) void reply.header(name, value);
    return reply.status(error.statusCode).send(errorBody(request, error.code, error.message, error.field, error.extra));
  }
  const fastifyError = error as FastifyError;
  const mapped = FRAMEWORK_ERRORS[fastifyError.code];
  if (mapped !== undefined) {
    return reply.status(mapped.status).send(errorBody(request, mapped.code, mapped.message ?? fastifyError.message, mapped.field));
  }
  if (typeof fastifyError.statusCode === "number" && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return reply.status(fastifyError.statusCode).send(errorBody(request, "bad_request", fastifyError.message, "request"));
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "the database is unavailable");
    void reply.header("retry-after", "1");
    return reply.status(503).send(errorBody(request, "database_unavailable", "the database is unavailable; retry shortly"));
  }
  request.log.error({ err: error }, "request failed");
  return reply.status(500).send(errorBody(request, "internal_error", "internal error; quote the request id when you report it"));
}
