/**
 * Settings every AWS SDK client of shopctl gets. The endpoint can be overridden per service
 * (`SHOPCTL_AWS_ENDPOINT_URL_<SERVICE>`, e.g. SHOPCTL_AWS_ENDPOINT_URL_AUTO_SCALING) or for all of
 * them (`SHOPCTL_AWS_ENDPOINT_URL`), which is how tests point shopctl at moto on 127.0.0.1.
 * Credentials follow the standard AWS chain of the process (env keys, AWS_PROFILE and SSO, ...).
 */

// The SDK warns on every run under Node 20 that its releases after January 2027 will need Node
// 22. shopctl supports Node >= 20.19 (package.json engines), so the notice is noise to its users;
// an explicit setting still wins.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/** The services shopctl calls; the names follow AWS's own `AWS_ENDPOINT_URL_<SERVICE>` ids. */
export type AwsService = "AUTO_SCALING" | "RDS" | "CLOUDWATCH" | "OPENSEARCH" | "BACKUP" | "STS" | "EC2" | "S3" | "KMS" | "SSM" | "SECRETS_MANAGER"
  | "ROUTE_53" | "ELASTIC_LOAD_BALANCING_V2";

export function endpointFor(service: AwsService, env: NodeJS.ProcessEnv): string | undefined {
  const value = env[`SHOPCTL_AWS_ENDPOINT_URL_${service}`]?.trim() || env.SHOPCTL_AWS_ENDPOINT_URL?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export interface ClientSettings {
  region: string;
  endpoint?: string;
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number };
  forcePathStyle?: boolean;
}

/** Short timeouts: a status or doctor run should say "unreachable" in seconds, not hang. */
export function clientSettings(service: AwsService, region: string, env: NodeJS.ProcessEnv): ClientSettings {
  const endpoint = endpointFor(service, env);
  return {
    region,
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
    ...(endpoint === undefined ? {} : { endpoint }),
    // A local S3 endpoint (moto) cannot serve virtual-hosted bucket names.
    ...(service === "S3" && endpoint !== undefined ? { forcePathStyle: true } : {}),
  };
}

/** The message of an SDK error, with its code when the message does not already say it. */
export function awsErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const name = error.name;
  const message = error.message || name;
  return name !== "" && name !== "Error" && !message.includes(name) ? `${name}: ${message}` : message;
}
