/**
 * An error raised by the mock cloud: an unmodelled type or invoke, or a request AWS would refuse.
 * `details` carries the message too, because the SDK re-raises a failed invoke as
 * `new Error(err.details)` (the gRPC error field); without it the message would be lost.
 */
export class MockCloudError extends Error {
  readonly details: string;

  constructor(message: string) {
    super(message);
    this.name = "MockCloudError";
    this.details = message;
  }
}
