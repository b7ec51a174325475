import dgram from "node:dgram";
import type { TraceContext } from "./trace.js";

/** The facts of one served request that its X-Ray segment reports. */
export interface RequestFacts {
  method: string;
  url: string;
  clientIp: string | undefined;
  userAgent: string | undefined;
  status: number;
  startTime: number;
  endTime: number;
  requestId: string;
}

/** An X-Ray segment document (https://docs.aws.amazon.com/xray/latest/devguide/xray-api-segmentdocuments.html). */
export function segmentDocument(name: string, trace: TraceContext, facts: RequestFacts): Record<string, unknown> {
  return {
    name,
    id: trace.segmentId,
    trace_id: trace.root,
    ...(trace.parent === undefined ? {} : { parent_id: trace.parent }),
    start_time: facts.startTime,
    end_time: facts.endTime,
    origin: "AWS::EC2::Instance",
    http: {
      request: {
        method: facts.method,
        url: facts.url,
        ...(facts.clientIp === undefined ? {} : { client_ip: facts.clientIp }),
        ...(facts.userAgent === undefined ? {} : { user_agent: facts.userAgent.slice(0, 256) }),
      },
      response: { status: facts.status },
    },
    ...(facts.status === 429 ? { throttle: true } : {}),
    ...(facts.status >= 400 && facts.status < 500 ? { error: true } : {}),
    ...(facts.status >= 500 ? { fault: true } : {}),
    annotations: { request_id: facts.requestId },
  };
}

const HEADER = `${JSON.stringify({ format: "json", version: 1 })}\n`;

/**
 * Sends segments to the X-Ray daemon over UDP (what the X-Ray SDKs do), fire and forget: a
 * daemon that is missing or slow never delays or fails a request.
 */
export class XRayEmitter {
  private readonly socket: dgram.Socket;
  private readonly host: string;
  private readonly port: number;

  constructor(address: string, private readonly serviceName = "storefront") {
    const separator = address.lastIndexOf(":");
    this.host = address.slice(0, separator);
    this.port = Number(address.slice(separator + 1));
    if (separator <= 0 || !Number.isInteger(this.port)) throw new Error(`X-Ray daemon address ${address} is not host:port`);
    this.socket = dgram.createSocket("udp4");
    this.socket.on("error", () => undefined);
    this.socket.unref();
  }

  emit(trace: TraceContext, facts: RequestFacts): void {
    if (!trace.sampled || this.closed) return;
    const message = Buffer.from(HEADER + JSON.stringify(segmentDocument(this.serviceName, trace, facts)));
    this.socket.send(message, this.port, this.host, () => undefined);
  }

  private closed = false;

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
