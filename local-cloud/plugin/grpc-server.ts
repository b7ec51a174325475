import * as grpc from "@grpc/grpc-js";

// The little gRPC plumbing the aws plugin needs: unary handlers written as (request) => response
// functions, errors turned into gRPC statuses the engine shows, a server on the loopback only.

/** The engine sends whole resource states in one message: allow what the SDK allows. */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

function statusOf(error: unknown): grpc.ServerErrorResponse {
  const message = error instanceof Error ? error.message : String(error);
  const status = new Error(message) as grpc.ServerErrorResponse;
  status.code = grpc.status.UNKNOWN;
  status.details = message;
  return status;
}

/** A unary handler from a function; its exceptions (sync or async) become UNKNOWN with the message. */
export function unary<Request, Response>(handle: (request: Request) => Response | Promise<Response>): grpc.handleUnaryCall<Request, Response> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => {
          callback(null, response);
        },
        (error: unknown) => {
          callback(statusOf(error));
        },
      );
  };
}

/** A handler for a method the plugin does not implement: the engine falls back where it can. */
export function unimplemented(method: string): grpc.handleUnaryCall<unknown, never> {
  return (_call, callback) => {
    callback({ code: grpc.status.UNIMPLEMENTED, details: `the local cloud's plugin does not implement ${method}` });
  };
}

/** Serves `implementation` on 127.0.0.1 at a free port. */
export async function serveOnLoopback<Implementation extends grpc.UntypedServiceImplementation>(
  service: grpc.ServiceDefinition<Implementation>,
  implementation: Implementation,
): Promise<{ server: grpc.Server; port: number }> {
  const server = new grpc.Server({ "grpc.max_receive_message_length": MAX_MESSAGE_BYTES, "grpc.max_send_message_length": MAX_MESSAGE_BYTES });
  server.addService(service, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound);
      else reject(error);
    });
  });
  return { server, port };
}
