import type { LoadBalancerArgs } from "../load-balancer.js";
import { ArgsChecker } from "../common/args.js";

/** TLS 1.3 and 1.2 only, forward-secret ciphers: the ALB's recommended policy. */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** ELB policies that allow nothing older than TLS 1.2. */
const TLS12_PLUS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

/** What the ALB may speak to the app. */
const TARGET_PROTOCOLS = ["HTTP", "HTTPS"] as const;

/** A path from the root, without spaces. */
const HEALTH_CHECK_PATH = /^\/\S{0,1023}$/;

/** The args with their defaults applied, once checked. */
export interface Settings {
  readonly appPort: number;
  readonly idleTimeout: number;
  readonly sslPolicy: string;
  readonly deregistrationDelay: number;
  readonly accessLogsPrefix: string;
  readonly healthCheckPath: string;
  /** The target group's and its health check's protocol. */
  readonly targetProtocol: "HTTP" | "HTTPS";
  readonly https: boolean;
  /** 443 with HTTPS, 80 without. */
  readonly listenerPort: number;
}

/** HTTPS needs a domain and its zone; without them, plain HTTP only when asked for. */
function checkOrigin(check: ArgsChecker, args: LoadBalancerArgs): boolean {
  check.require((args.domainName === undefined) === (args.hostedZoneId === undefined), "hostedZoneId", args.hostedZoneId,
    "domainName and hostedZoneId go together: the certificate is validated through a record in that zone");
  const https = args.domainName !== undefined;
  check.require(https || args.allowHttpOrigin === true, "domainName", args.domainName,
    "no domainName, so the origin would be plain HTTP. Pass domainName and hostedZoneId for an HTTPS origin, " +
      "or allowHttpOrigin: true in a dev stack without a domain");
  return https;
}

/** Checks every arg with a clear error and applies the defaults. */
export function settingsOf(name: string, args: LoadBalancerArgs): Settings {
  const check = new ArgsChecker(`LoadBalancer "${name}"`);
  const sslPolicy = args.sslPolicy ?? DEFAULT_SSL_POLICY;
  check.require(TLS12_PLUS_POLICY.test(sslPolicy), "sslPolicy", sslPolicy,
    `sslPolicy "${sslPolicy}" allows TLS older than 1.2; use ${DEFAULT_SSL_POLICY} or another TLS 1.2+ policy`);
  const https = checkOrigin(check, args);
  const accessLogsPrefix = args.accessLogsPrefix ?? "alb";
  check.require(!accessLogsPrefix.startsWith("/") && !accessLogsPrefix.endsWith("/") && !accessLogsPrefix.includes("AWSLogs"), "accessLogsPrefix", accessLogsPrefix,
    `accessLogsPrefix "${accessLogsPrefix}" must have no leading or trailing slash and must not contain AWSLogs (ELB adds it)`);
  const targetProtocol = args.targetProtocol ?? "HTTP";
  // Checked at run time too: a JavaScript caller or a transform may pass anything.
  check.require((TARGET_PROTOCOLS as readonly string[]).includes(targetProtocol), "targetProtocol", targetProtocol, 'targetProtocol is "HTTP" or "HTTPS"');
  const healthCheckPath = check.matches("healthCheckPath", args.healthCheckPath ?? "/readyz", HEALTH_CHECK_PATH, 'a path that starts with "/" and holds no spaces');
  return {
    appPort: check.integer("appPort", args.appPort ?? 8080, 1, 65535),
    idleTimeout: check.integer("idleTimeoutSeconds", args.idleTimeoutSeconds ?? 60, 1, 4000),
    deregistrationDelay: check.integer("deregistrationDelaySeconds", args.deregistrationDelaySeconds ?? 30, 0, 3600),
    sslPolicy,
    accessLogsPrefix,
    healthCheckPath,
    targetProtocol,
    https,
    listenerPort: https ? 443 : 80,
  };
}
