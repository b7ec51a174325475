// CPU seconds the test services spend while a bench subject runs, read from /proc: the share of
// the machine a loader leaves to OpenSearch is what bounds its docs/s on a shared machine.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface ServiceCpuSeconds {
  openSearch: number;
  postgres: number;
}

export const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

/** The fields of /proc/<pid>/stat after the parenthesised command name (state is [0]); undefined once the process is gone. */
export function statFields(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ");
  } catch {
    return undefined;
  }
}

/** utime + stime (fields 14 and 15 of the line) of a live process in seconds. */
function cpuSeconds(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function parentOf(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[1]);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").split("\n")[0]?.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the OpenSearch JVM and the PostgreSQL postmaster with its backends every `intervalMs`.
 * A backend's CPU counts from its first sample to its last, so one that lives less than an
 * interval is missed: the PostgreSQL figure is a lower bound.
 */
export class ServiceCpuSampler {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly owner = new Map<number, keyof ServiceCpuSeconds>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly servicesDir: string, private readonly intervalMs = 100) {}

  private pids(): [number, keyof ServiceCpuSeconds][] {
    const found: [number, keyof ServiceCpuSeconds][] = [];
    const openSearch = readPid(path.join(this.servicesDir, "opensearch", "opensearch.pid"));
    if (openSearch !== undefined) found.push([openSearch, "openSearch"]);
    const postmaster = readPid(path.join(this.servicesDir, "postgres", "data", "postmaster.pid"));
    if (postmaster === undefined) return found;
    found.push([postmaster, "postgres"]);
    for (const entry of readdirSync("/proc")) {
      const pid = Number(entry);
      if (Number.isInteger(pid) && parentOf(pid) === postmaster) found.push([pid, "postgres"]);
    }
    return found;
  }

  private sample(): void {
    for (const [pid, service] of this.pids()) {
      const used = cpuSeconds(pid);
      if (used === undefined) continue;
      if (!this.first.has(pid)) this.first.set(pid, used);
      this.last.set(pid, used);
      this.owner.set(pid, service);
    }
  }

  start(): void {
    this.first.clear();
    this.last.clear();
    this.sample();
    this.timer = setInterval(() => { this.sample(); }, this.intervalMs);
  }

  stop(): ServiceCpuSeconds {
    clearInterval(this.timer);
    this.sample();
    const total: ServiceCpuSeconds = { openSearch: 0, postgres: 0 };
    for (const [pid, end] of this.last) {
      const service = this.owner.get(pid);
      if (service !== undefined) total[service] += end - (this.first.get(pid) ?? end);
    }
    return total;
  }
}
