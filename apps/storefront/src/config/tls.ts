import { readFileSync } from "node:fs";
import { ConfigError, type EnvSettings } from "./env.js";

/** The certificate and key the server presents, read from their PEM files. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
}

function readPem(variable: string, file: string, what: string, problems: string[]): Buffer | undefined {
  try {
    const content = readFileSync(file);
    if (!content.toString("utf8").includes("-----BEGIN ")) {
      problems.push(`${variable}: ${file} holds no PEM block; expected a PEM ${what}`);
      return undefined;
    }
    return content;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    problems.push(`${variable}: cannot read ${file} (${code}); expected a PEM ${what} the app's user can read`);
    return undefined;
  }
}

/**
 * Reads TLS_CERT_FILE and TLS_KEY_FILE when the environment names them; undefined means plain
 * HTTP. An unreadable file is a ConfigError naming the variable, the path and the reason.
 */
export function loadTls(tls: EnvSettings["tls"]): TlsMaterial | undefined {
  if (tls === undefined) return undefined;
  const problems: string[] = [];
  const cert = readPem("TLS_CERT_FILE", tls.certFile, "certificate", problems);
  const key = readPem("TLS_KEY_FILE", tls.keyFile, "private key", problems);
  if (cert === undefined || key === undefined) throw new ConfigError(problems);
  return { cert, key };
}
