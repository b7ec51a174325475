import path from "node:path";
import { shopctlHome } from "../engine/settings.js";
import { UsageError } from "../exit-codes.js";

/** The DR operations that keep a journal; failback's phases are separate operations. */
export const OPERATIONS = ["failover", "failback-replicate", "failback-switch", "failback-standby", "drill"] as const;
export type Operation = (typeof OPERATIONS)[number];

/** `$SHOPCTL_HOME/dr/<stack>/`: the lock, the journals, their history and the reports of one stack. */
export function drDirectory(env: NodeJS.ProcessEnv, stack: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(stack)) throw new UsageError(`stack name "${stack}" cannot name a folder; use letters, digits, ".", "_" and "-"`);
  return path.join(shopctlHome(env), "dr", stack);
}

export const drFiles = {
  lock: (dir: string) => path.join(dir, "lock.json"),
  journal: (dir: string, operation: Operation) => path.join(dir, `${operation}.journal.jsonl`),
  history: (dir: string) => path.join(dir, "history"),
  reports: (dir: string) => path.join(dir, "reports"),
  /** The outputs copy every DR command saves when it read them from the state backend. */
  outputs: (dir: string) => path.join(dir, "outputs.json"),
};
