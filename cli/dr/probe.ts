/** One HTTP answer, as much as the DR checks need. */
export interface ProbeResponse {
  status: number;
  body: string;
}

/**
 * Makes a GET request. Injectable: tests point it at a local server on 127.0.0.1, never the
 * internet; a network error rejects.
 */
export type HttpProbe = (url: string, timeoutMs: number) => Promise<ProbeResponse>;

export const fetchProbe: HttpProbe = async (url, timeoutMs) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { "user-agent": "shopctl-dr-verify" } });
  const body = await response.text();
  return { status: response.status, body: body.slice(0, 4_096) };
};

/** The region a `/readyz` answer names (`{"region": "eu-central-1"}`), if it names one. */
export function regionOf(body: string): string | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    if (typeof value === "object" && value !== null && "region" in value && typeof value.region === "string") return value.region;
  } catch {
    // Not JSON: a plain "ok" says nothing about the region.
  }
  return undefined;
}

/** `base` + `path` without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
