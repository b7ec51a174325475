import pino, { type DestinationStream, type Logger } from "pino";

/**
 * JSON lines to stdout (systemd appends them to the app log, which the CloudWatch agent ships).
 * Credentials, cookies and customer addresses are redacted wherever they appear in a log object.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "storefront" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "password",
          "email",
          "shippingAddress",
          "paymentToken",
          "*.password",
          "*.email",
          "*.shippingAddress",
          "*.paymentToken",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}
