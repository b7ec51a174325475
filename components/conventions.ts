import { createHash } from "node:crypto";

/** The data classes that get their own KMS key and show in the DataClass tag. */
export const DATA_CLASSES = ["database", "search", "backup", "logs", "assets", "secrets", "telemetry"] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

/**
 * A physical AWS name within `maxLength`: the readable name when it fits, otherwise its head plus
 * a short stable hash, so names stay deterministic and unique (e.g. ALB and target group names
 * allow 32 characters, IAM roles 64, RDS identifiers 63).
 */
export function awsName(name: string, maxLength: number, allowed: RegExp = /[^a-zA-Z0-9-]/g): string {
  const clean = name.replace(allowed, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");
  if (clean.length <= maxLength) return clean;
  const hash = createHash("sha256").update(clean).digest("hex").slice(0, 6);
  return `${clean.slice(0, maxLength - hash.length - 1).replace(/-$/, "")}-${hash}`;
}

/** Child resource names derive from the component's name. */
export function childName(component: string, child: string): string {
  return `${component}-${child}`;
}
